"""Generative UI cards: each UI message shown by the Reflex component registered for its
name on the chat state (`ChatView.ui_component`), right after the chat message it is
linked to; unlinked ones after the last message. A name without a component shows a
neutral card, a group "UI: <name>" with the props as formatted JSON. Props are data:
text in them is rendered as text, never as HTML.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.states.genui import GenUIState, registry
from app.states.thread import ThreadState

CARDS = list[dict[str, Any]]


def fallback_card(card: rx.Var) -> rx.Component:
    """A UI message no component is registered for: its name and props as JSON."""
    name = card["name"].to(str)
    return rx.el.section(
        rx.hstack(rx.icon("layout-panel-top", size=14, aria_hidden="true"),
                  rx.text("UI: ", name, size="2", weight="medium"),
                  align="center", spacing="2"),
        rx.el.pre(card["json"].to(str), class_name="genui-json"),
        rx.cond(card["truncated"], rx.text("Some props were too large or not data and are "
                                           "not shown.", size="1", color_scheme="gray")),
        class_name="genui-card genui-fallback",
        custom_attrs={"role": "group", "aria-label": "UI: " + name,
                      "data-ui-id": card["id"], "data-ui-name": name},
    )


def ui_card(card: rx.Var, state: type[ThreadState] = ThreadState) -> rx.Component:
    """One card: the registered component for its name, else `fallback_card`."""
    components = registry(state)
    if not components:
        return fallback_card(card)
    props = card["props"].to(dict[str, Any])
    cases = [
        (name, rx.box(entry.render(props), class_name="genui-card",
                      custom_attrs={"data-ui-id": card["id"], "data-ui-name": name}))
        for name, entry in components.items()
    ]
    return rx.match(card["name"], *cases, fallback_card(card))


def message_ui(message_id: rx.Var, state: type[ThreadState] = ThreadState) -> rx.Component:
    """The cards linked to one chat message."""
    cards = GenUIState.by_message.get(message_id.to(str), []).to(CARDS)
    return rx.foreach(cards, lambda card: ui_card(card, state))


def unlinked_ui(state: type[ThreadState] = ThreadState) -> rx.Component:
    """Cards linked to no shown message (status cards, or a message not streamed yet)."""
    return rx.box(rx.foreach(GenUIState.rest, lambda card: ui_card(card, state)),
                  class_name="genui-rest")
