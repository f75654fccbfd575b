"""Attachments: the composer's drop zone, "Attach files" button, previews and refusals;
the attachments of a sent message (image thumbnails that open larger, files as named
chips that download), and the dialog an image opens in."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from app.components.icon_buttons import ghost_icon_button
from app.states.attachments import ACCEPT, UPLOAD_ID, AttachmentState, AttachmentViewState
from app.states.browser import DROP_ID, open_file_chooser
from app.states.thread import ThreadState

FILES = list[dict[str, Any]]


def drop_zone(*children: rx.Component) -> rx.Component:
    """`children` as a drop target for files (no click: the button opens the chooser);
    its hidden file input also takes files pasted into the composer."""
    return rx.box(
        rx.upload.root(
            *children,
            id=UPLOAD_ID,
            multiple=True,
            accept=ACCEPT,
            no_click=True,
            no_keyboard=True,
            on_drop=AttachmentState.add_files(rx.upload_files(upload_id=UPLOAD_ID)),
            # Only the names go to the backend (the files would travel as binary frames).
            on_drop_rejected=lambda rejected: AttachmentState.refuse(
                rejected.to(ArrayVar).map(
                    lambda item: item.to(ObjectVar)["file"].to(ObjectVar)["name"])),
            drag_active_style={"outline": "2px dashed var(--accent-8)",
                               "outline_offset": "2px", "border_radius": "16px"},
            class_name="composer-drop-zone",
        ),
        id=DROP_ID,
    )


def attach_button(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.tooltip(
        ghost_icon_button("paperclip", "Attach files", on_click=open_file_chooser(),
                          disabled=state.read_only != ""),
        content="Attach images or PDFs (or drop or paste them here)",
    )


def _pending(item: rx.Var, index: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(item["url"].to(str) != "",
                rx.image(src=item["url"].to(str), alt=item["name"].to(str),
                         class_name="attachment-thumb small"),
                rx.icon("file-text", size=20, aria_hidden="true")),
        rx.vstack(
            rx.text(item["name"].to(str), size="1", weight="medium", class_name="attachment-name"),
            rx.text(item["size_text"].to(str), size="1", color_scheme="gray"),
            spacing="0", min_width="0",
        ),
        ghost_icon_button("x", "Remove attachment", small=True, title="Remove attachment",
                          on_click=AttachmentState.remove(index)),
        align="center", spacing="2", class_name="attachment-chip",
        custom_attrs={"role": "listitem", "aria-label": item["name"].to(str)},
    )


def pending_attachments() -> rx.Component:
    """The files waiting to be sent, each with "Remove attachment"."""
    return rx.cond(
        AttachmentState.files.length() > 0,
        rx.hstack(rx.foreach(AttachmentState.files, _pending), wrap="wrap", spacing="2",
                  class_name="pending-attachments",
                  custom_attrs={"role": "list", "aria-label": "Attachments"}),
    )


def attachment_errors() -> rx.Component:
    """Why files were refused (too large, too many, not a supported type)."""
    return rx.cond(
        AttachmentState.errors.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("file-warning", size=14)),
            rx.box(rx.foreach(AttachmentState.errors, lambda e: rx.text(e, size="2"))),
            ghost_icon_button("x", "Clear file errors", small=True, color_scheme="amber",
                              on_click=AttachmentState.dismiss_errors),
            color_scheme="amber", size="1", role="alert", width="100%",
            class_name="attachment-errors",
        ),
    )


def _sent(message_id: rx.Var, item: rx.Var) -> rx.Component:
    name = item["name"].to(str)
    open_it = AttachmentViewState.open(message_id.to(str), item["index"].to(int))
    return rx.cond(
        item["thumb"].to(str) != "",
        rx.el.button(
            rx.image(src=item["thumb"].to(str), alt=name, class_name="attachment-thumb"),
            type="button", on_click=open_it, class_name="attachment-open",
            custom_attrs={"aria-label": "Open " + name, "title": name},
        ),
        rx.button(
            rx.icon(rx.cond(item["kind"].to(str) == "image", "image", "file-text"), size=14),
            rx.text(name, class_name="attachment-name"),
            rx.text(item["size_text"].to(str), color_scheme="gray", size="1"),
            type="button", variant="surface", color_scheme="gray", size="1",
            on_click=open_it, class_name="attachment-file",
            custom_attrs={"aria-label": "Download " + name, "title": item["mime_type"]},
        ),
    )


def message_attachments(message: rx.Var) -> rx.Component:
    """A sent message's attachments (only messages with files have the key)."""
    return rx.cond(
        message["attachments"],
        rx.hstack(rx.foreach(message["attachments"].to(FILES),
                             lambda item: _sent(message["id"], item)),
                  wrap="wrap", spacing="2", class_name="message-attachments"),
    )


def attachment_viewer() -> rx.Component:
    """An image opened from a message, at its size (fits the window)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(AttachmentViewState.name, size="3"),
            rx.cond(AttachmentViewState.url != "",
                    rx.image(src=AttachmentViewState.url, alt=AttachmentViewState.name,
                             class_name="attachment-large")),
            rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray",
                                      margin_top="0.75em")),
            max_width="min(92vw, 1100px)",
        ),
        open=AttachmentViewState.url != "",
        on_open_change=AttachmentViewState.open_changed,
    )
