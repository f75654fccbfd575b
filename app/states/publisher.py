"""Decide what to send to the browser after the stream changed.

`ViewPublisher.frame(messages, streaming)` returns a `Frame`: the finished message list
(only when it differs from what was last published), the live-message patch, or nothing.
Finished messages are written to the list once; the message being streamed goes to the
small live substate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.states.live_text import LiveText
from app.states.message_view import fingerprint, to_view


@dataclass
class Frame:
    messages: list[dict[str, Any]] | None = None  # None: the list is unchanged
    live: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.messages is None and not self.live


@dataclass
class ViewPublisher:
    """Remembers what the browser shows so each flush sends only the difference."""

    live: LiveText = field(default_factory=LiveText)
    published: list[str] | None = None

    def reset(self) -> None:
        """Forget what was published (the tab state was rebuilt)."""
        self.published = None
        self.live = LiveText(tail_limit=self.live.tail_limit)

    def frame(self, messages: Iterable[Any], streaming: bool) -> Frame:
        views = to_view(messages)
        live_view = None
        if streaming and views and views[-1]["role"] == "assistant":
            live_view = views.pop()
        frame = Frame()
        keys = [fingerprint(v) for v in views]
        if keys != self.published:
            self.published = keys
            frame.messages = views
        if live_view is None:
            frame.live = self.live.clear()
        else:
            frame.live = self.live.update(
                live_view["id"], live_view["text"], live_view["tool_calls"]
            )
        return frame
