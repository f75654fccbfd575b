"""What the deployment allows, said where the user meets it: the "Read-only" status of a
Fleet workspace agent's chat, the reason beside a control the backend cannot offer, and
the Dismiss panel of a backend that cannot take an answer to an interrupt."""

from __future__ import annotations

import reflex as rx

from app.components.markdown import safe_markdown
from app.states.interrupts import InterruptState
from app.states.thread import ThreadState, ThreadStateBase

Chat = type[ThreadStateBase]


def read_only_status(state: Chat = ThreadState) -> rx.Component:
    """A status (role=status) "Read-only" with the reason, while the chat cannot send."""
    return rx.cond(
        state.read_only != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("lock", size=16)),
            rx.box(
                rx.text("Read-only", weight="bold", size="2"),
                rx.text(state.read_only, size="2"),
            ),
            color_scheme="gray",
            role="status",
            width="100%",
            class_name="read-only-status",
        ),
    )


def cannot_title(state: Chat, ability: str) -> rx.Var:
    """The reason a control needing `ability` is disabled ("" when it is not)."""
    return rx.cond(state.cannot.contains(ability), state.cannot[ability].to(str), "")


def streaming_hint(state: Chat = ThreadState) -> rx.Component:
    """While a run streams on a backend that cannot stop it: why Stop is disabled."""
    return rx.cond(
        state.is_loading & state.cannot.contains("cancel"),
        rx.text(state.cannot["cancel"].to(str), size="1", color_scheme="gray",
                class_name="composer-hint"),
    )


def _request(action: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(rx.icon("wrench", size=14),
                  rx.text(action["name"], weight="medium", size="2"), spacing="2",
                  align="center"),
        rx.el.pre(action["args_text"], class_name="hitl-pre", aria_label="Arguments"),
        class_name="hitl-action",
        custom_attrs={"role": "group", "aria-label": "Tool call " + action["name"].to(str)},
    )


def _card(card: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(card["title"], weight="bold", size="2"),
        rx.cond(card["description"] != "",
                rx.box(safe_markdown(card["description"].to(str)), class_name="hitl-desc")),
        rx.cond(card["question"] != "",
                rx.box(safe_markdown(card["question"].to(str)), class_name="hitl-question")),
        rx.foreach(card["actions"].to(list[dict]), _request),
        class_name="hitl-card",
        custom_attrs={"data-kind": card["kind"], "data-interrupt-id": card["id"]},
    )


def dismiss_panel(state: Chat = ThreadState) -> rx.Component:
    """The pending requests, read-only, and the one thing this backend can do with them:
    Dismiss, which says what it does."""
    return rx.el.section(
        rx.hstack(
            rx.icon("hand", size=16),
            rx.heading("Needs your input", size="3", weight="medium", as_="h2"),
            align="center",
            spacing="2",
        ),
        rx.foreach(InterruptState.cards, _card),
        rx.text(state.cannot["resume"].to(str), size="2", class_name="dismiss-reason"),
        rx.cond(InterruptState.panel_error != "",
                rx.callout(InterruptState.panel_error, icon="info", color_scheme="amber",
                           size="1", role="alert")),
        rx.hstack(
            rx.spacer(),
            rx.button(rx.icon("x", size=14), "Dismiss", size="2", color_scheme="gray",
                      on_click=state.dismiss_interrupt, disabled=state.is_loading,
                      aria_label="Dismiss"),
            width="100%",
        ),
        class_name="hitl-panel",
        aria_label="Needs your input",
    )
