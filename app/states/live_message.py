"""`LiveMessageState`: the assistant message being streamed, in a substate of its own, so
each flush sends a few hundred bytes whatever the conversation's length (the patches
come from `publisher`/`live_text`)."""

from __future__ import annotations

from typing import Any

import reflex as rx


class LiveMessageState(rx.State):
    """The assistant message being streamed right now (empty `live_id`: none)."""

    live_id: str = ""
    live_head: str = ""
    live_tail: str = ""
    live_tool_calls: list[dict[str, Any]] = []

    def clear(self) -> None:
        """Empty the streamed-message bubble (a new session starts with none)."""
        if self.live_id or self.live_head or self.live_tail or self.live_tool_calls:
            self.live_id, self.live_head, self.live_tail = "", "", ""
            self.live_tool_calls = []
