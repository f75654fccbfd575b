"""The assistant message being streamed, in two small substates, so each flush sends a
few hundred bytes whatever the conversation's length and re-renders only its text.

`LiveMessageState` says which message streams (and its tool calls); `LiveTextState` holds
its text, which changes on every flush: only the components showing the text read it.
The text is a logged var (`AppendLogged`): a flush sends only the characters added since
the last one, never the text again. `live_cuts` says where the text's finished markdown
blocks end and `live_plain` where the plain start of the open paragraph ends
(app/states/markdown_blocks.py), so the browser renders each block once and parses
only the end of the paragraph being written.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from app.states.append_log import AppendLogged, empty_log
from app.states.markdown_blocks import js_offsets, next_cuts, plain_prefix


class LiveTextState(AppendLogged, rx.State):
    """The text of the message being streamed (see the module docstring)."""

    logged_vars: ClassVar[tuple[str, ...]] = ("live_text",)

    live_text: str = ""
    live_text_log: dict[str, Any] = empty_log("")
    # Where the finished markdown blocks of live_text end (JavaScript offsets), and where
    # the plain prefix of its open paragraph ends (0: none; see markdown_blocks).
    live_cuts: list[int] = []
    live_plain: int = 0
    # The same cuts in Python offsets, and how much of the text was looked at for them.
    _cuts: list[int] = []
    _cuts_checked: int = 0

    def show(self, text: str, *, new_message: bool = False) -> None:
        """Show `text` (a new message's when `new_message`)."""
        if new_message or not text.startswith(self.live_text):
            self._cuts, self._cuts_checked = [], 0  # another message, or rewritten
        cuts, self._cuts_checked = next_cuts(text, self._cuts, self._cuts_checked)
        if cuts != self._cuts:
            self._cuts = cuts
            self.live_cuts = js_offsets(text, cuts)
        elif not cuts and self.live_cuts:
            self.live_cuts = []
        start = cuts[-1] if cuts else 0
        plain = plain_prefix(text, start)
        plain = js_offsets(text, [plain])[0] if plain > start else 0
        if plain != self.live_plain:
            self.live_plain = plain
        self._write_logged("live_text", text)

    def clear(self) -> None:
        if self.live_text:
            self._write_logged("live_text", "")
        if self.live_cuts:
            self.live_cuts = []
        if self.live_plain:
            self.live_plain = 0
        self._cuts, self._cuts_checked = [], 0


class LiveMessageState(rx.State):
    """The assistant message being streamed right now (empty `live_id`: none)."""

    live_id: str = ""
    live_tool_calls: list[dict[str, Any]] = []

    async def show(self, message_id: str, text: str,
                   tool_calls: list[dict[str, Any]]) -> None:
        """Show `text` (and tool calls) as the streamed message `message_id`."""
        new_message = message_id != self.live_id
        if new_message:
            self.live_id = message_id
        (await self.get_state(LiveTextState)).show(text, new_message=new_message)
        if tool_calls != self.live_tool_calls:
            self.live_tool_calls = tool_calls

    async def clear(self) -> None:
        """Empty the streamed-message bubble (a new session starts with none)."""
        if self.live_id or self.live_tool_calls:
            self.live_id = ""
            self.live_tool_calls = []
        (await self.get_state(LiveTextState)).clear()
