"""The composer: Enter sends, Shift+Enter adds a line; Send turns into Stop while a run
streams; messages sent meanwhile are queued on the server and listed above the box.
Files come by "Attach files", a drop on the box or a paste into it."""

from __future__ import annotations

import reflex as rx
from reflex.components.core.banner import has_connection_errors

from app.components.attachments import (
    attach_button,
    attachment_errors,
    drop_zone,
    pending_attachments,
)
from app.components.deployment import cannot_title, streaming_hint
from app.components.icon_buttons import ghost_icon_button
from app.states.browser import COMPOSER_ID
from app.states.thread import ThreadState


def queued_messages(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.cond(
        state.queue.length() > 0,
        rx.vstack(
            rx.foreach(
                state.queue,
                lambda item: rx.hstack(
                    rx.badge(rx.icon("clock", size=11), "Queued", color_scheme="gray",
                             variant="soft"),
                    rx.text(item["text"], size="2", class_name="queued-text"),
                    rx.spacer(),
                    ghost_icon_button("x", "Remove queued message", small=True,
                                      title="Remove queued message",
                                      on_click=state.remove_queued(item["key"])),
                    align="center",
                    width="100%",
                    class_name="queued-item",
                    role="listitem",
                    key=item["key"],
                ),
            ),
            spacing="1",
            width="100%",
            aria_label="Queued messages",
            role="list",
        ),
    )


def connected() -> rx.Var:
    """True once the page's websocket is up and its state hydrated (events sent before
    wait in the browser's queue; the composer says so)."""
    return rx.State.is_hydrated & ~has_connection_errors


def _status(text: str) -> rx.Component:
    return rx.text(rx.spinner(size="1"), text, size="1", color_scheme="gray", role="status",
                   class_name="composer-status")


def connection_status(state: type[ThreadState]) -> rx.Component:
    """"Connecting…" until the page's websocket is up; "Reconnecting…" while the answer's
    stream from the Agent Server broke and is being rejoined (nothing is lost)."""
    return rx.cond(
        connected(),
        rx.cond(state.reconnecting, _status("Reconnecting…")),
        _status("Connecting…"),
    )


def composer(state: type[ThreadState] = ThreadState) -> rx.Component:
    """The message box in a drop zone for files: "Attach files", previews, refusals."""
    return rx.form(
        attachment_errors(),
        drop_zone(rx.box(
            pending_attachments(),
            rx.text_area(
                id=COMPOSER_ID,
                name="message",
                placeholder=rx.cond(state.read_only != "", "Read-only",
                                    "Message the assistant…"),
                disabled=state.read_only != "",
                enter_key_submit=True,
                auto_height=True,
                rows="1",
                size="3",
                variant="soft",
                aria_label="Message",
                class_name="composer-input",
                auto_focus=True,
            ),
            rx.hstack(
                attach_button(state),
                connection_status(state),
                streaming_hint(state),
                rx.spacer(),
                rx.cond(
                    state.is_loading,
                    rx.hstack(
                        rx.button(
                            rx.icon("list-plus", size=16),
                            "Queue",
                            type="submit",
                            variant="soft",
                            color_scheme="gray",
                            aria_label="Queue message",
                            disabled=state.cannot.contains("queue"),
                            title=cannot_title(state, "queue"),
                        ),
                        rx.button(
                            rx.icon("square", size=14),
                            "Stop",
                            type="button",
                            color_scheme="red",
                            variant="soft",
                            on_click=state.stop,
                            aria_label="Stop",
                            disabled=state.cannot.contains("cancel"),
                            title=cannot_title(state, "cancel"),
                        ),
                        spacing="2",
                    ),
                    rx.button(
                        rx.icon("arrow-up", size=16),
                        "Send",
                        type="submit",
                        aria_label="Send",
                        disabled=state.read_only != "",
                    ),
                ),
                justify="end",
                align="center",
                class_name="composer-actions",
            ),
            class_name="composer-box",
        )),
        on_submit=state.send,
        reset_on_submit=True,
        width="100%",
    )
