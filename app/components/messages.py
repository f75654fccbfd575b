"""Chat bubbles: finished messages, the message being streamed, and the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import VarData
from reflex_base.vars.function import FunctionStringVar

from app.components.append_log import append_log_sync
from app.components.attachments import message_attachments
from app.components.branching import branch_actions, user_text_or_editor
from app.components.feedback import feedback_buttons, feedback_comment
from app.components.follow_bottom import follow_bottom
from app.components.genui import message_ui, unlinked_ui
from app.components.icon_buttons import message_tool
from app.components.interrupts import decision_notes
from app.components.reasoning import answer_reasoning, live_reasoning
from app.components.starters import starter_buttons
from app.components.stream_markdown import message_markdown, stream_markdown
from app.components.subagents import live_subagents, message_subagents
from app.components.tool_card import tool_calls
from app.components.usage import answer_usage
from app.states.live_message import LiveMessageState, LiveTextState
from app.states.thread import ThreadState


def _avatar(role: rx.Var | str) -> rx.Component:
    return rx.cond(
        role == "user",
        rx.fragment(),
        rx.box(rx.icon("bot", size=16), class_name="avatar", aria_hidden="true"),
    )


def message_actions(message: rx.Var, state: type[ThreadState],
                    busy: rx.Var | bool | None = None,
                    events: dict[str, Callable[[Any], Any]] | None = None,
                    branching: rx.Var | None = None) -> rx.Component:
    """The per-message action row: Copy, then Edit or Regenerate and the "n / m" switcher
    (disabled while `busy`, by default while a run is active; `events`: regenerate and
    set_branch, by default the state's; `branching`: the server keeps history, by
    default as the state knows it)."""
    return rx.hstack(
        message_tool("copy", "Copy", on_click=[rx.set_clipboard(message["text"]),
                                               rx.toast("Copied", duration=1200)]),
        rx.cond(message["role"] == "assistant", feedback_buttons(message["id"])),
        # Edit, Regenerate and the switcher need checkpoint history.
        rx.cond(state.cannot.contains("history") if branching is None else ~branching,
                rx.fragment(), branch_actions(message, state, busy, **(events or {}))),
        class_name="message-actions",
        spacing="1",
        custom_attrs={"data-message-id": message["id"]},
    )


def message_bubble(message: rx.Var, state: type[ThreadState] = ThreadState, *,
                   hide_tools: rx.Var | bool | None = None,
                   awaiting: rx.Var | bool | None = None,
                   busy: rx.Var | bool | None = None,
                   events: dict[str, Callable[[Any], Any]] | None = None,
                   branching: rx.Var | None = None) -> rx.Component:
    """One finished message. `message` is a view dict {id, role, text, tool_calls}.
    `hide_tools`, `awaiting` (a person must decide on its pending tool calls), `busy`
    (a run is active), `events` (regenerate, set_branch) and `branching` (edit and
    regenerate are possible) default to the chat state's; `message_rows` passes them in
    so a row reads nothing of the chat state (see there)."""
    if hide_tools is None:
        hide_tools = state.hide_tool_calls
    if awaiting is None:
        awaiting = (state.interrupts.length() > 0) & ~state.is_loading
    role = message["role"]
    is_user = role == "user"
    return rx.box(
        _avatar(role),
        rx.box(
            rx.cond(
                is_user,
                user_text_or_editor(message, rx.fragment(
                    rx.cond(message["text"] != "",
                            rx.text(message["text"], class_name="user-text")),
                    message_attachments(message))),
                rx.fragment(
                    answer_reasoning(message),
                    tool_calls(message["tool_calls"], hide_tools, awaiting),
                    message_subagents(message["id"], state, hide_tools),
                    rx.cond(message["text"] != "",
                            message_markdown(text=message["text"].to(str),
                                             plain=message["plain"].to(int))),
                    message_attachments(message),
                    message_ui(message["id"], state),
                    answer_usage(message),
                ),
            ),
            rx.cond(
                message["status"] == "failed",
                rx.text(rx.icon("circle-alert", size=12), "Not sent", size="1", color_scheme="red",
                        class_name="not-sent"),
            ),
            message_actions(message, state, busy, events, branching),
            rx.cond(role == "assistant", feedback_comment(message["id"])),
            decision_notes(message),
            class_name=rx.cond(is_user, "bubble bubble-user", "bubble bubble-ai"),
        ),
        class_name=rx.cond(is_user, "message message-user", "message message-ai"),
        custom_attrs={
            "role": "article",
            "aria-label": rx.cond(
                is_user, "User message", rx.cond(role == "assistant", "Assistant message",
                                                  "System message")
            ),
            "data-message-id": message["id"],
        },
    )


_ROWS: dict[type, Callable[..., rx.Component]] = {}
_ONE_TEXT = rx.event.passthrough_event_spec(str)
# React.memo comparing a row's data props only: its event props are new functions on each
# render of the list, but each sends the same event (no per-row value is captured).
_SAME_DATA = FunctionStringVar.create(
    "((row) => memo(row, (before, after) => Object.keys(after).length === "
    "Object.keys(before).length && Object.keys(after).every((key) => "
    "typeof after[key] === 'function' || Object.is(before[key], after[key]))))",
    _var_data=VarData(imports={"react": [ImportVar(tag="memo")]}),
)


def _row_component(state: type[ThreadState]) -> Callable[..., rx.Component]:
    """`message_bubble` as a React.memo component for `state` (one per chat state)."""
    if state not in _ROWS:
        def row(message: rx.Var[dict[str, Any]], hide_tools: rx.Var[bool],
                awaiting: rx.Var[bool], branching: rx.Var[bool],
                on_regenerate: rx.EventHandler[_ONE_TEXT],
                on_set_branch: rx.EventHandler[_ONE_TEXT]) -> rx.Component:
            return message_bubble(message, state, hide_tools=hide_tools, awaiting=awaiting,
                                  busy=False, branching=branching,
                                  events={"regenerate": on_regenerate,
                                          "set_branch": on_set_branch})

        row.__name__ = row.__qualname__ = f"message_row_{state.get_name()}"
        _ROWS[state] = rx.memo(row, wrapper=_SAME_DATA)
    return _ROWS[state]


def message_rows(state: type[ThreadState] = ThreadState) -> rx.Component:
    """The finished messages, each a memoized row: a row reads nothing of the chat state
    (its flags come in as props), so a change of the chat state (a run starting, the
    list growing) renders again only the rows whose message changed, whatever the
    thread's length. A run starting or ending changes nothing in them: their forking
    actions say "wait" while a run is going on (ThreadState.BUSY). Disabling them (as a
    `disabled` fieldset did) restyled the whole page twice per run, every button's
    `:disabled` change reaching Radix's `:has(:disabled)` rules, more so the longer the
    thread; hiding them restyled every action bar."""
    row = _row_component(state)
    awaiting = (state.interrupts.length() > 0) & ~state.is_loading
    branching = ~state.cannot.contains("history")
    return rx.el.div(
        rx.foreach(state.messages,
                   lambda m: row(message=m, hide_tools=state.hide_tool_calls,
                                 awaiting=awaiting, branching=branching,
                                 on_regenerate=state.regenerate,
                                 on_set_branch=state.set_branch)),
        class_name="message-rows",
    )


def live_bubble(state: type[ThreadState] = ThreadState) -> rx.Component:
    """The assistant message being streamed, with a blinking cursor; its markdown
    renders finished blocks once, only the open tail per flush."""
    return rx.cond(
        LiveMessageState.live_id != "",
        rx.box(
            _avatar("assistant"),
            rx.box(
                live_reasoning(),
                tool_calls(LiveMessageState.live_tool_calls, state.hide_tool_calls),
                message_subagents(LiveMessageState.live_id, state),
                stream_markdown(LiveTextState.live_text, LiveTextState.live_cuts,
                                LiveTextState.live_plain),
                rx.el.span(class_name="cursor", aria_hidden="true"),
                message_ui(LiveMessageState.live_id, state),
                class_name="bubble bubble-ai streaming",
            ),
            class_name="message message-ai",
            custom_attrs={
                "role": "article",
                "aria-label": "Assistant message (streaming)",
                "aria-busy": "true",
                "data-message-id": LiveMessageState.live_id,
            },
        ),
    )


def thinking_indicator(state: type[ThreadState] = ThreadState) -> rx.Component:
    """Dots shown while a run started but no assistant text arrived yet."""
    return rx.cond(
        state.is_loading & (LiveMessageState.live_id == ""),
        rx.box(
            _avatar("assistant"),
            rx.box(
                rx.el.span(class_name="dot"),
                rx.el.span(class_name="dot"),
                rx.el.span(class_name="dot"),
                class_name="bubble bubble-ai thinking",
                aria_label="Assistant is thinking",
            ),
            class_name="message message-ai",
        ),
    )


def empty_state(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.cond(
        (state.messages.length() == 0) & ~state.is_loading & ~state.is_thread_loading,
        rx.vstack(
            rx.box(rx.icon("messages-square", size=36), class_name="empty-icon"),
            rx.heading("How can I help?", size="6", weight="medium"),
            rx.text(
                "Ask anything. Answers stream from your LangGraph Agent Server.",
                color_scheme="gray",
                size="2",
            ),
            starter_buttons(),
            align="center",
            spacing="3",
            class_name="empty-state",
        ),
    )


def message_list(state: type[ThreadState] = ThreadState) -> rx.Component:
    return follow_bottom(
        rx.box(
            empty_state(state),
            rx.cond(
                state.is_thread_loading & (state.messages.length() == 0),
                rx.center(rx.spinner(size="3"), padding="3em"),
            ),
            message_rows(state),
            live_bubble(state),
            live_subagents(state),
            unlinked_ui(state),
            thinking_indicator(state),
            # The list and the streamed text arrive as patches: merged here, in the browser.
            append_log_sync(state),
            append_log_sync(LiveTextState),
            class_name="message-column",
        ),
        thread=state.active_thread_id,
        class_name="message-scroll",
        id="message-scroll",
    )
