"""Decide what to send to the browser after the stream changed.

`ViewPublisher.frame(messages, live_id)` returns a `Frame`: the finished message list
(only when it differs from what was last published) and the live-message patch.
`ViewPublisher.live_frame(message)` is the cheap path when only the streamed message
changed. Finished messages are written to the list once; the message being streamed
goes to the small live substate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.states.live_text import LiveText
from app.states.message_view import fingerprint, to_view


@dataclass
class Frame:
    messages: list[dict[str, Any]] | None = None  # None: the list is unchanged
    live: dict[str, Any] = field(default_factory=dict)
    panels: dict[str, dict[str, Any]] = field(default_factory=dict)  # see panel_publisher

    @property
    def empty(self) -> bool:
        return self.messages is None and not self.live and not self.panels


@dataclass
class ViewPublisher:
    """Remembers what the browser shows so each flush sends only the difference."""

    live: LiveText = field(default_factory=LiveText)
    published: list[str] | None = None

    def reset(self) -> None:
        """Forget what was published (the tab state was rebuilt)."""
        self.published = None
        self.live = LiveText(tail_limit=self.live.tail_limit)

    @property
    def live_id(self) -> str:
        return self.live.message_id

    def frame(
        self,
        messages: Iterable[Any],
        live_id: str | None,
        status_of: Callable[[str], str | None] | None = None,
        extras_of: Callable[[str], dict[str, Any]] | None = None,
    ) -> Frame:
        """A full comparison: the message `live_id` (if it is the last assistant
        message) streams; every other message belongs to the list. `extras_of(id)`: more
        fields of an assistant message's view (its reasoning and usage)."""
        views = to_view(messages)
        if status_of is not None:
            for view in views:
                view["status"] = status_of(view["id"]) or ""
        if extras_of is not None:
            for view in views:
                if view["role"] == "assistant" and view["id"] != live_id:
                    view.update(extras_of(view["id"]))
        live_view = None
        if live_id and views and views[-1]["id"] == live_id and views[-1]["role"] == "assistant":
            live_view = views.pop()
        frame = Frame()
        keys = [fingerprint(v) for v in views]
        if keys != self.published:
            self.published = keys
            frame.messages = views
        if live_view is None:
            frame.live = self.live.clear()
        else:
            frame.live = self.live.update(live_view["id"], live_view["text"],
                                          live_view["tool_calls"])
        return frame

    def live_frame(self, message: Any) -> Frame:
        """Only the streamed message changed: patch the live fields, nothing else."""
        views = to_view([message])
        view = views[0]
        return Frame(live=self.live.update(view["id"], view["text"], view["tool_calls"]))
