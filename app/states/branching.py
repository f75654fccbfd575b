"""Branch switchers and the inline message editor.

`ThreadState` calls `sync(stream, message_ids)` when the shown messages change; the
switchers ("n / m" with Previous / Next) are rebuilt from what the stream already
holds. Edit, regenerate and switching run through `ThreadState` (which owns the
stream); the chosen branch is kept in the page URL (`?branch=`) so a reload shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import reflex as rx

from app.states.branch_view import switchers, thread_url


class BranchState(rx.State):
    """Which shown messages have alternatives, and which message is being edited."""

    switchers: dict[str, dict[str, Any]] = {}
    editing_id: str = ""
    branch: str = ""

    def sync(self, stream: Any, message_ids: Iterable[str]) -> list[Any]:
        """Rebuild the switchers; returns the URL update when the branch changed."""
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
        url = json.dumps(thread_url(thread_id, branch))
        return [rx.call_script(f"window.history.replaceState(null, '', {url})")]

    @rx.event
    def start_edit(self, message_id: str) -> None:
        self.editing_id = message_id

    @rx.event
    def cancel_edit(self) -> None:
        self.editing_id = ""

    @rx.event
    def save_edit(self, form: dict[str, Any]):
        """The editor's Save: fork the conversation with the new text."""
        from app.states.thread import ThreadState

        message_id = self.editing_id
        text = str((form or {}).get("text") or "").strip()
        if not message_id or not text:
            return None
        self.editing_id = ""
        return ThreadState.edit_message(message_id, text)
