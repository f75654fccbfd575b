"""The "Thinking" block of an answer: a button named "Thinking" while the model reasons
(open, streaming), "Thought for N s" once the answer started (folded); a click opens it.
The reasoning is shown as plain text (never HTML)."""

from __future__ import annotations

import reflex as rx

from app.states.deep_panels import LiveReasoningState
from app.states.live_message import LiveMessageState

ITEM = "reasoning"


def reasoning_block(text: rx.Var, label: rx.Var, *, open_: rx.Var | bool = False,
                    key: rx.Var | str | None = None) -> rx.Component:
    """A collapsible reasoning block. `open_` is its state when it (re)mounts; `key`
    remounts it (the live block folds when the answer starts)."""
    props = {"key": key} if key is not None else {}
    return rx.accordion.root(
        rx.accordion.item(
            header=rx.hstack(rx.icon("brain", size=14, aria_hidden="true"), rx.text(label),
                             align="center", spacing="2", class_name="reasoning-label"),
            content=rx.el.div(text, class_name="reasoning-text"),
            value=ITEM,
        ),
        type="single",
        collapsible=True,
        default_value=rx.cond(open_, ITEM, ""),
        variant="ghost",
        class_name="reasoning-block",
        **props,
    )


def answer_reasoning(message: rx.Var) -> rx.Component:
    """The reasoning of a finished answer (folded), when it has any."""
    return rx.cond(message["reasoning"],
                   reasoning_block(message["reasoning"], message["reasoning_label"]))


def live_reasoning() -> rx.Component:
    """The reasoning of the message being streamed: open while thinking, folded (and
    renamed "Thought for N s") when the answer starts."""
    state = LiveReasoningState
    return rx.cond(
        (state.id != "") & (state.id == LiveMessageState.live_id),
        reasoning_block(state.head + state.tail, state.label, open_=state.thinking,
                        key=state.id + rx.cond(state.thinking, "-thinking", "-answer")),
    )
