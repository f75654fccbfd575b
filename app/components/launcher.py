"""A floating launcher: the chat as a popover any Reflex page can drop in with one call.

    def about() -> rx.Component:
        return rx.box(my_content(), chat_launcher())   # or chat_launcher(SupportChat)

A round button in the corner opens a compact chat (messages, the panel that asks for
input, the composer) for the given chat state; the conversation goes on while the page
stays open, and the page's address is left alone.
"""

from __future__ import annotations

import reflex as rx

from app.components.alerts import error_alert
from app.components.attachments import attachment_viewer
from app.components.chat import interrupt_slot
from app.components.composer import composer, queued_messages
from app.components.deployment import read_only_status
from app.components.icon_buttons import ghost_icon_button
from app.components.messages import message_list
from app.states.browser import install_shortcuts
from app.states.chat_registry import use_chat_state
from app.states.identity import IdentityState
from app.states.thread import ThreadState


def launcher_panel(state: type[ThreadState], title: str) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.icon("messages-square", size=16, aria_hidden="true"),
            rx.text(rx.cond(state.title != "", state.title, title), weight="medium",
                    size="2", class_name="topbar-title"),
            rx.spacer(),
            ghost_icon_button("square-pen", "New chat", small=True, icon_size=14,
                              on_click=state.start_new(0, False),
                              custom_attrs={"data-shortcut": "new-thread"}),
            rx.popover.close(ghost_icon_button("x", "Close chat", small=True, icon_size=14)),
            align="center", spacing="2", class_name="launcher-header",
        ),
        message_list(state),
        rx.box(error_alert(state), read_only_status(state), interrupt_slot(state),
               queued_messages(state), composer(state), class_name="launcher-dock"),
        attachment_viewer(),
        class_name="launcher-panel",
    )


def chat_launcher(state: type[ThreadState] = ThreadState, *, title: str = "Chat"
                  ) -> rx.Component:
    """The launcher button and its chat popover, for `state` (registered as the chat
    state the helper states serve)."""
    use_chat_state(state)
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.icon_button(rx.icon("message-circle", size=22), size="4", radius="full",
                               aria_label="Open chat", class_name="launcher-button"),
            ),
            rx.popover.content(
                launcher_panel(state, title),
                side="top", align="end", side_offset=12, class_name="launcher-popover",
                aria_label=title, custom_attrs={"data-chat-launcher": "true"},
            ),
            on_open_change=state.open_embedded,
        ),
        class_name="launcher",
        on_mount=[IdentityState.resolve, install_shortcuts()],
        custom_attrs={"data-chat-launcher": "true"},
    )
