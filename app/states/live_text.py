"""Cheap streaming of the message being written.

The text of the streamed message is split into a `head` that is resent rarely and a
short `tail` that carries the newest tokens. Each flush sends only the fields that
changed, so the bytes per token stay small whatever the length of the conversation
(and grow only slowly with the length of the message itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TAIL_LIMIT = 1024  # characters; the head is resent when the tail grows past this


@dataclass
class LiveText:
    """Tracks what the browser holds of the live message and yields minimal patches."""

    tail_limit: int = TAIL_LIMIT
    message_id: str = ""
    head: str = ""
    tail: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)

    def update(self, message_id: str, text: str, tool_calls: list[dict[str, Any]]) -> dict:
        """The changed live fields (`live_id`, `live_head`, `live_tail`, `live_tool_calls`)."""
        patch: dict[str, Any] = {}
        if message_id != self.message_id:
            self.message_id = message_id
            patch["live_id"] = message_id
            self.head, self.tail = "", ""
            patch["live_head"] = ""
            patch["live_tail"] = ""
        if not text.startswith(self.head):
            # The text was rewritten (e.g. a replay or a server correction): start over.
            self.head, self.tail = "", ""
            patch["live_head"] = ""
        tail = text[len(self.head) :]
        if len(tail) > self.tail_limit:
            self.head, tail = text, ""
            patch["live_head"] = self.head
        if tail != self.tail:
            self.tail = tail
            patch["live_tail"] = tail
        elif "live_tail" in patch and patch["live_tail"] == tail:
            pass
        if tool_calls != self.tool_calls:
            self.tool_calls = [dict(c) for c in tool_calls]
            patch["live_tool_calls"] = self.tool_calls
        return patch

    def clear(self) -> dict:
        """Patch that empties the live message (it has been written to the list)."""
        patch: dict[str, Any] = {}
        if self.message_id:
            patch["live_id"] = ""
        if self.head:
            patch["live_head"] = ""
        if self.tail:
            patch["live_tail"] = ""
        if self.tool_calls:
            patch["live_tool_calls"] = []
        self.message_id, self.head, self.tail, self.tool_calls = "", "", "", []
        return patch
