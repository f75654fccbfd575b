"""The whole chat panel, ready to drop into a page: `chat_page(MyThreadState)`."""

from __future__ import annotations

import reflex as rx

from app.components.agent_panel import agent_panel
from app.components.alerts import error_alert
from app.components.composer import composer, queued_messages
from app.components.deployment import read_only_status
from app.components.header import header
from app.components.identity import sign_in_screen
from app.components.interrupts import interrupt_panel
from app.components.messages import message_list
from app.components.sidebar import sidebar
from app.states.chat_registry import use_chat_state
from app.states.identity import IdentityState
from app.states.thread import ThreadState


def interrupt_slot(state: type[ThreadState] = ThreadState) -> rx.Component:
    """The human-in-the-loop panel (empty while nothing waits for a person)."""
    return rx.box(interrupt_panel(state), id="interrupt-slot", class_name="interrupt-slot")


def chat_panel(state: type[ThreadState] = ThreadState) -> rx.Component:
    """Messages, error alert, queue, interrupt slot and composer, in one column."""
    return rx.box(
        header(state),
        message_list(state),
        rx.box(
            rx.box(
                error_alert(state),
                read_only_status(state),
                interrupt_slot(state),
                queued_messages(state),
                composer(state),
                class_name="composer-column",
            ),
            class_name="composer-dock",
        ),
        class_name="chat-panel",
    )


def chat_page(state: type[ThreadState] = ThreadState) -> rx.Component:
    """Sidebar + chat panel filling the window (registers `state` for the sidebar)."""
    use_chat_state(state)
    return rx.cond(
        IdentityState.needs_sign_in,
        sign_in_screen(),
        rx.box(sidebar(state), chat_panel(state), agent_panel(), class_name="app-shell"),
    )
