"""`FilesState`: the Files panel and the open file's dialog (view, download, edit, save).

The file list and the open file's view come from `PanelPublisher` (paths and sizes only;
the open file's text cut at `panel_views.MAX_SHOWN`); the whole text goes to the browser
only when the user downloads or edits it. Saving is `ThreadStream.save_file` (a state
update in the agent's own file shape), refused while a run streams or an interrupt waits:
the reason (`edit_blocked`) is shown and the Edit and Save buttons are disabled.
"""

from __future__ import annotations

import posixpath
from typing import Any

import reflex as rx

from app.states import backend
from app.states.chat_registry import chat_state_named
from app.states.errors import describe
from app.states.tab_sessions import TabSession, sessions
from app.stream.thread_activity import FileEditRefused


class FilesState(rx.State):
    """The Files panel and the open file's dialog."""

    files: list[dict[str, str]] = []  # [{"path", "size"}]
    edit_blocked: str = ""  # why files cannot be saved now ("" when they can)
    open_path: str = ""
    open_text: str = ""
    open_kind: str = "code"  # code | markdown | binary | missing
    open_language: str = "text"
    open_note: str = ""
    open_editable: bool = False
    editing: bool = False
    draft: str = ""
    saving: bool = False
    save_error: str = ""
    notice: str = ""
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    def _session(self) -> TabSession | None:
        return sessions.get(self.router.session.client_token)

    async def _show(self, session: TabSession, path: str) -> list[Any]:
        """Make `path` the open file (or none) and publish the panels (inside the lock)."""
        session.panels.open_path = path
        session.mark_full()
        chat = await self.get_state(chat_state_named(self._chat))
        return await chat.apply_view(session)

    def _full_text(self, session: TabSession | None) -> str | None:
        entry = session.stream.files.get(self.open_path) if session else None
        return str(entry["text"]) if entry and not entry.get("binary") else None

    @rx.event
    async def open_file(self, path: str):
        """Open a file's dialog."""
        session = self._session()
        if session is None:
            return None
        self.editing, self.draft, self.save_error, self.notice = False, "", "", ""
        return await self._show(session, path) or None

    @rx.event
    async def dialog_changed(self, is_open: bool):
        """The dialog was dismissed (Escape, outside click, Close)."""
        if is_open:
            return None
        self.editing, self.draft, self.save_error = False, "", ""
        session = self._session()
        if session is None:
            self.open_path = ""
            return None
        return await self._show(session, "") or None

    @rx.event
    def start_edit(self) -> None:
        """Edit the open file (its whole text goes into the editor)."""
        text = self._full_text(self._session())
        if self.edit_blocked or not self.open_editable or text is None:
            return
        self.draft, self.editing, self.save_error, self.notice = text, True, "", ""

    @rx.event
    def cancel_edit(self) -> None:
        self.editing, self.draft, self.save_error = False, "", ""

    @rx.event
    def download(self):
        """Send the open file's whole text to the browser as a download."""
        text = self._full_text(self._session())
        if text is None:
            return None
        name = posixpath.basename(self.open_path) or "file.txt"
        return rx.download(data=text, filename=name)

    @rx.event(background=True)
    async def save(self, form: dict[str, Any]):
        """Save the edited text back into the thread's state."""
        text = str((form or {}).get("text") or "")
        async with self:
            session, path = self._session(), self.open_path
            if session is None or not path or not self.editing:
                return
            self.saving, self.save_error = True, ""
        problem = ""
        try:
            await session.stream.save_file(path, text)
        except FileEditRefused as exc:
            problem = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            found = describe(exc, api_url=backend.api_url())
            problem = f"Not saved: {found.title}. {found.detail}"
        async with self:
            self.saving = False
            if problem:
                self.save_error = problem
                return
            self.editing, self.draft, self.notice = False, "", "Saved."
            events = await self._show(session, path)
        if events:
            yield events
