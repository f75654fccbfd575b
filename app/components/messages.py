"""Chat bubbles: finished messages, the message being streamed, and the list."""

from __future__ import annotations

import reflex as rx

from app.components.attachments import message_attachments
from app.components.branching import branch_actions, user_text_or_editor
from app.components.feedback import feedback_buttons, feedback_comment
from app.components.genui import message_ui, unlinked_ui
from app.components.interrupts import decision_notes
from app.components.markdown import finished_markdown, safe_markdown
from app.components.reasoning import answer_reasoning, live_reasoning
from app.components.starters import starter_buttons
from app.components.subagents import live_subagents, message_subagents
from app.components.tool_card import tool_calls
from app.components.usage import answer_usage
from app.states.live_message import LiveMessageState
from app.states.thread import ThreadState


def _avatar(role: rx.Var | str) -> rx.Component:
    return rx.cond(
        role == "user",
        rx.fragment(),
        rx.box(rx.icon("bot", size=16), class_name="avatar", aria_hidden="true"),
    )


def message_actions(message: rx.Var, state: type[ThreadState]) -> rx.Component:
    """The per-message action row: Copy, then Edit or Regenerate and the "n / m" switcher."""
    return rx.hstack(
        rx.tooltip(
            rx.icon_button(
                rx.icon("copy", size=14),
                variant="ghost",
                size="1",
                color_scheme="gray",
                aria_label="Copy",
                type="button",
                on_click=[rx.set_clipboard(message["text"]), rx.toast("Copied", duration=1200)],
            ),
            content="Copy",
        ),
        rx.cond(message["role"] == "assistant", feedback_buttons(message["id"])),
        # Edit, Regenerate and the switcher need checkpoint history.
        rx.cond(state.cannot.contains("history"), rx.fragment(),
                branch_actions(message, state)),
        class_name="message-actions",
        spacing="1",
        custom_attrs={"data-message-id": message["id"]},
    )


def message_bubble(message: rx.Var, state: type[ThreadState] = ThreadState) -> rx.Component:
    """One finished message. `message` is a view dict {id, role, text, tool_calls}."""
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
                    tool_calls(message["tool_calls"], state.hide_tool_calls,
                               (state.interrupts.length() > 0) & ~state.is_loading),
                    message_subagents(message["id"], state),
                    rx.cond(message["text"] != "",
                            finished_markdown(text=message["text"].to(str))),
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
            message_actions(message, state),
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


def live_bubble(state: type[ThreadState] = ThreadState) -> rx.Component:
    """The assistant message being streamed, with a blinking cursor."""
    text = LiveMessageState.live_head + LiveMessageState.live_tail
    return rx.cond(
        LiveMessageState.live_id != "",
        rx.box(
            _avatar("assistant"),
            rx.box(
                live_reasoning(),
                tool_calls(LiveMessageState.live_tool_calls, state.hide_tool_calls),
                message_subagents(LiveMessageState.live_id, state),
                safe_markdown(text),
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
    return rx.auto_scroll(
        rx.box(
            empty_state(state),
            rx.cond(
                state.is_thread_loading & (state.messages.length() == 0),
                rx.center(rx.spinner(size="3"), padding="3em"),
            ),
            rx.foreach(state.messages, lambda m: message_bubble(m, state)),
            live_bubble(state),
            live_subagents(state),
            unlinked_ui(state),
            thinking_indicator(state),
            class_name="message-column",
        ),
        class_name="message-scroll",
        id="message-scroll",
        # A key makes Reflex memoize the children separately: a streamed token then
        # re-renders only the live bubble, not every message of the thread.
        key="message-scroll",
    )
