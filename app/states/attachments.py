"""Files attached in the composer, and a sent attachment opened larger.

`AttachmentState` keeps the files picked (the "Attach files" button), dropped on the
composer or pasted into it: they arrive by HTTP upload (`rx.upload`), are checked
against the limits (`app.stream.attachments`; refused ones are explained in an alert,
the typed text is never touched) and wait, previewed with "Remove attachment", until
the message is sent; `take()` hands them to the send. Only small previews go to the
browser; the bytes stay in the backend.

`AttachmentViewState` opens a sent image larger (the whole image is sent only then) or
downloads a sent file, read from the shown message.
"""

from __future__ import annotations

import base64
from typing import Any

import reflex as rx

from app.settings import get_settings
from app.states.attachment_cards import thumbnail
from app.states.chat_registry import linked_chat
from app.states.tab_sessions import sessions
from app.stream.attachments import (
    ALLOWED_TYPES,
    Attachment,
    AttachmentError,
    AttachmentLimits,
    add_attachments,
    attachment_payload,
    clean_name,
)

UPLOAD_ID = "composer-files"  # rx.upload id (its zone is inside DROP_ID)
# The file chooser's filter (a hint: the content is what is checked).
ACCEPT = {mime: [] for mime in ALLOWED_TYPES}


def _size(upload: Any) -> int:
    """An upload's size without reading it into memory."""
    if getattr(upload, "size", None) is not None:
        return int(upload.size)
    handle = upload.file
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    return size


def preview(attachment: Attachment) -> dict[str, Any]:
    """How the composer shows a pending file: its card, with a small thumbnail."""
    view = attachment.view()
    thumb = thumbnail(view["url"].partition(",")[2]) if view["url"] else ""
    return {**view, "url": thumb}


class AttachmentState(rx.State):
    """The composer's pending files (previews) and why the last ones were refused."""

    files: list[dict[str, Any]] = []
    errors: list[str] = []
    _pending: list[Attachment] = []

    def limits(self) -> AttachmentLimits:
        return get_settings().attachment_limits

    @rx.event
    async def add_files(self, files: list[rx.UploadFile]):
        """Files picked, dropped or pasted: keep those that fit, say why the others not.
        (A drop of refused files only calls this with none: `refuse` says why.)"""
        if not files:
            return
        limits = self.limits()
        received: list[tuple[str, bytes]] = []
        errors: list[str] = []
        for upload in files:
            name = clean_name(upload.filename or "file")
            try:
                limits.check_size(name, _size(upload))
            except AttachmentError as exc:
                errors.append(str(exc))
                continue
            received.append((name, await upload.read()))
        kept, refused = add_attachments(self._pending, received, limits)
        self._set(kept)
        self.errors = errors + refused

    @rx.event
    def refuse(self, names: list[str]):
        """Files the chooser or the drop zone refused by type (never uploaded): their
        names."""
        errors = []
        for raw in names or []:
            name = clean_name(str(raw or ""))
            try:
                self.limits().check_file(name, b"")
            except AttachmentError as exc:
                errors.append(str(exc))
        self.errors = errors

    @rx.event
    def remove(self, index: int) -> None:
        """"Remove attachment" on a preview."""
        self._set([a for i, a in enumerate(self._pending) if i != index])
        self.errors = []

    @rx.event
    def dismiss_errors(self) -> None:
        self.errors = []

    def _set(self, kept: list[Attachment]) -> None:
        old = {id(a): view for a, view in zip(self._pending, self.files, strict=False)}
        self._pending = list(kept)
        self.files = [old.get(id(a)) or preview(a) for a in kept]

    def take(self) -> list[Attachment]:
        """The pending files, handed to a send (the composer is emptied of them)."""
        taken = list(self._pending)
        if taken or self.files or self.errors:
            self._pending, self.files, self.errors = [], [], []
        return taken

    def put_back(self, files: list[Attachment]) -> None:
        """A send that could not go: its files return to the composer (unless others
        were attached meanwhile)."""
        if files and not self._pending:
            self._set(files)


class AttachmentViewState(rx.State):
    """A sent image opened larger (`url` is its whole data URL while it is open)."""

    url: str = ""
    name: str = ""
    _chat: str = ""

    @rx.event
    async def open(self, message_id: str, index: int):
        """Open an attachment of a shown message: an image in the dialog, a file as a
        download."""
        chat = await linked_chat(self)
        session = sessions.get(chat.tab_token())
        message = session.stream.message(message_id) if session is not None else None
        found = attachment_payload(message, int(index)) if message else None
        if found is None:
            return rx.toast.error("This attachment is no longer in the thread.")
        view, payload = found
        if not payload:
            return rx.toast.info(f"{view['name']} is not stored in the thread.")
        if view["kind"] == "image" and view["url"].startswith("data:"):
            self.url, self.name = view["url"], view["name"]
            return None
        return rx.download(data=base64.b64decode(payload), filename=view["name"],
                           mime_type=view["mime_type"] or "application/octet-stream")

    @rx.event
    def open_changed(self, opened: bool) -> None:
        if not opened:
            self.url, self.name = "", ""
