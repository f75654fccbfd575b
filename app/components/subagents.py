"""Subagent cards: one group "Subagent <type>" per `task` call (type, description, status,
elapsed time, its own messages and tool calls), collapsible.

Finished subagents are cards in the bubble of the message that called them
(`SubagentCardsState`); running ones stream in their slot substates, right after the
message being written (`live_subagents`), so a subagent's token re-renders only its card.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.components.markdown import finished_markdown
from app.components.tool_card import tool_calls
from app.states.deep_panels import SLOT_STATES, SubagentCardsState, ToolProgressState
from app.states.thread import ThreadState


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("done", rx.badge(rx.icon("check", size=12), "done", color_scheme="green")),
        ("error", rx.badge(rx.icon("triangle-alert", size=12), "error", color_scheme="red")),
        ("pending", rx.badge(rx.spinner(size="1"), "starting", color_scheme="gray")),
        rx.badge(rx.spinner(size="1"), "running", color_scheme="amber"),
    )


def _header(card: rx.Var) -> rx.Component:
    return rx.el.summary(
        rx.hstack(
            rx.icon("bot", size=14, aria_hidden="true"),
            rx.text(card["type"], weight="medium", size="2", class_name="subagent-type"),
            rx.text(card["description"], size="2", color_scheme="gray",
                    class_name="subagent-description"),
            rx.spacer(),
            rx.cond(card["elapsed"].to(str) != "", rx.text(card["elapsed"], size="1",
                                                   color_scheme="gray", class_name="elapsed")),
            _status_badge(card["status"]),
            align="center",
            spacing="2",
            width="100%",
        ),
        class_name="subagent-summary",
    )


def _message(view: rx.Var, state: type[ThreadState],
             hide_tools: rx.Var | None = None) -> rx.Component:
    """One finished message of a subagent: its tool calls and its text."""
    return rx.box(
        tool_calls(view["tool_calls"], state.hide_tool_calls if hide_tools is None
                   else hide_tools),
        rx.cond(view["text"] != "", finished_markdown(text=view["text"].to(str))),
        class_name="subagent-message",
        custom_attrs={"data-role": view["role"]},
    )


def _card(card: rx.Var, body: list[rx.Component], *, live: bool) -> rx.Component:
    return rx.el.details(
        _header(card),
        rx.box(*body, class_name="subagent-body"),
        open=live,
        class_name="subagent-card",
        custom_attrs={"role": "group", "aria-label": "Subagent " + card["type"].to(str),
                      "data-status": card["status"], "data-call-id": card["id"]},
    )


def finished_card(card: rx.Var, state: type[ThreadState],
                  hide_tools: rx.Var | None = None) -> rx.Component:
    """A subagent not streaming live (finished, or read back after a reload)."""
    return _card(card, [
        rx.foreach(card["messages"].to(list[dict[str, Any]]),
                   lambda view: _message(view, state, hide_tools)),
        rx.cond(card["result"].to(str) != "", rx.box(finished_markdown(text=card["result"].to(str)),
                                             class_name="subagent-message")),
    ], live=False)


def message_subagents(message_id: rx.Var, state: type[ThreadState] = ThreadState,
                      hide_tools: rx.Var | None = None) -> rx.Component:
    """The finished subagent cards of the calls one AI message made (`hide_tools`: the
    state's setting unless given, as a message row gives it)."""
    return rx.foreach(
        SubagentCardsState.cards,
        lambda card: rx.cond(card["ai_message_id"] == message_id,
                             finished_card(card, state, hide_tools)),
    )


def slot_card(slot: type[rx.State], state: type[ThreadState]) -> rx.Component:
    """A running subagent streaming into its slot."""
    text = slot.live_head + slot.live_tail
    return rx.cond(
        slot.card["id"] != "",
        _card(slot.card, [
            rx.foreach(slot.messages, lambda view: _message(view, state)),
            tool_calls(slot.live_tool_calls, state.hide_tool_calls),
            rx.cond(text != "", rx.el.div(
                text, class_name=rx.cond(slot.thinking, "subagent-live thinking-text",
                                         "subagent-live"),
                custom_attrs={"aria-live": "off"})),
        ], live=True),
    )


def tool_progress() -> rx.Component:
    """The running tools' progress, when the server streams it (`tools` mode)."""
    return rx.foreach(ToolProgressState.items, lambda item: rx.el.p(
        rx.spinner(size="1"), rx.el.span(item["name"], class_name="tool-name"),
        rx.el.span(item["text"]), class_name="tool-progress",
        custom_attrs={"role": "status"}))


def live_subagents(state: type[ThreadState] = ThreadState) -> rx.Component:
    """Every subagent streaming right now, each in its own card, and the running tools'
    progress."""
    return rx.box(*(slot_card(slot, state) for slot in SLOT_STATES), tool_progress(),
                  class_name="live-subagents")
