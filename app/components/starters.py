"""Starter prompts on the empty chat: one button per starter, named by its label."""

from __future__ import annotations

import reflex as rx

from app.states.starters import StartersState


def starter_buttons() -> rx.Component:
    """The starters of the assistant in use (read when the empty chat appears)."""
    return rx.box(
        rx.foreach(
            StartersState.starters,
            lambda starter, index: rx.button(
                rx.cond(starter["attach"], rx.icon("paperclip", size=14),
                        rx.cond(starter["assistant"], rx.icon("sparkles", size=14),
                                rx.icon("message-circle", size=14))),
                starter["label"].to(str),
                variant="surface",
                color_scheme="gray",
                size="2",
                type="button",
                on_click=StartersState.choose(index),
                class_name="starter",
                title=starter["prompt"].to(str),
            ),
        ),
        class_name="starters",
        on_mount=StartersState.load,
        custom_attrs={"role": "group", "aria-label": "Starter prompts"},
    )
