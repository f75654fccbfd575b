"""The error alert: what happened, what to do, and a Retry button."""

from __future__ import annotations

import reflex as rx

from app.states.thread import ThreadState


def error_alert(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.cond(
        state.error_title != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.box(
                rx.text(state.error_title, weight="bold", size="2"),
                rx.text(state.error_detail, size="2"),
                rx.hstack(
                    rx.button(
                        rx.icon("rotate-cw", size=14),
                        "Retry",
                        size="1",
                        color_scheme="red",
                        on_click=state.retry,
                    ),
                    rx.button(
                        "Dismiss",
                        size="1",
                        variant="ghost",
                        color_scheme="gray",
                        on_click=state.dismiss_error,
                    ),
                    rx.cond(
                        state.error_kind == "not_found",
                        rx.link(rx.button("New thread", size="1", variant="soft"), href="/"),
                    ),
                    spacing="2",
                    margin_top="0.5em",
                ),
            ),
            color_scheme="red",
            role="alert",
            width="100%",
            class_name="error-alert",
        ),
    )
