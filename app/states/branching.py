"""Branch switchers and the inline message editor.

The chat state (`ThreadState` or a developer's subclass) calls `sync(stream,
message_ids, chat=...)` when the shown messages change; the switchers ("n / m" with
Previous / Next) are rebuilt from what the stream already holds. Edit, regenerate and
switching run through that chat state (which owns the stream); the chosen branch is
kept in the page URL (`?branch=`) so a reload shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import reflex as rx

from app.states.branch_view import switchers, thread_url
from app.states.browser import replace_url
from app.states.chat_registry import chat_state_named


class BranchState(rx.State):
    """Which shown messages have alternatives, and which message is being edited."""

    switchers: dict[str, dict[str, Any]] = {}
    editing_id: str = ""
    branch: str = ""
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    def sync(self, stream: Any, message_ids: Iterable[str], chat: str = "") -> list[Any]:
        """Rebuild the switchers (`chat`: the full name of the chat state showing them);
        returns the URL update when the branch changed."""
        if chat and self._chat != chat:
            self._chat = chat
        found = switchers(stream, message_ids)
        if found != self.switchers:
            self.switchers = found
        branch = str(getattr(stream, "branch", "") or "")
        thread_id = getattr(stream, "thread_id", None) or ""
        if branch == self.branch:
            return []
        self.branch = branch
        if not thread_id:
            return []
        return [replace_url(thread_url(thread_id, branch))]

    @rx.event
    def start_edit(self, message_id: str) -> None:
        self.editing_id = message_id

    @rx.event
    def cancel_edit(self) -> None:
        self.editing_id = ""

    @rx.event
    def save_edit(self, form: dict[str, Any]):
        """The editor's Save: fork the conversation with the new text."""
        message_id = self.editing_id
        text = str((form or {}).get("text") or "").strip()
        if not message_id or not text:
            return None
        self.editing_id = ""
        return chat_state_named(self._chat).edit_message(message_id, text)
