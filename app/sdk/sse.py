"""Server-sent events of a run, parsed into `StreamPart`s.

Lines and fields are decoded by httpx-sse's decoders. On top of them this module keeps
one guarantee httpx-sse does not give: a stream that ends in the middle of an event
(no blank line after it) raises `MalformedResponseError` instead of dropping that event
silently. It also turns `error` events into `RunError` and event names into
(mode, namespace).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

# The decoders are not re-exported by httpx-sse; pyproject pins httpx-sse below 0.5.
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from app.sdk.errors import MalformedResponseError, RunError, StreamCutError
from app.sdk.http import connection_error, shown_url, snippet
from app.sdk.models import StreamPart


def split_event_name(name: str) -> tuple[str, tuple[str, ...]]:
    """`"messages|child:1"` -> `("messages", ("child:1",))`."""
    mode, *namespace = name.split("|")
    return mode, tuple(namespace)


def run_error(data: Any) -> RunError:
    """The RunError for the data of an `error` event."""
    if isinstance(data, dict):
        return RunError(
            str(data.get("error") or "Error"), str(data.get("message") or ""), data=data
        )
    return RunError("Error", str(data), data=data)


class EventDecoder:
    """Turns event-stream lines into StreamParts (one decoder per response) and knows
    whether an event has started without ending."""

    __slots__ = ("_lines", "_sse", "_names", "pending", "last_event_id")

    def __init__(self) -> None:
        self._lines = SSELineDecoder()
        self._sse = SSEDecoder()
        self._names: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.pending = False  # a field line came after the last blank line
        self.last_event_id: str | None = None

    def feed(self, text: str) -> Iterator[StreamPart]:
        """Feed a piece of the body; yields the parts of the events it completed (an
        error raised by a later event comes after the parts before it)."""
        for line in self._lines.decode(text):
            part = self.line(line)
            if part is not None:
                yield part

    def finish(self, url: str) -> None:
        """The body ended: raise when it stopped in the middle of an event."""
        rest = "".join(self._lines.flush())
        if rest.strip() or self.pending:
            raise StreamCutError(
                f"event stream from {url} ended in the middle of an event: "
                f"{snippet(rest) or 'no blank line after the last event'!r}"
            )

    def line(self, line: str) -> StreamPart | None:
        """Feed one line (without its line break); returns a part when an event ends."""
        if line and line[0] != ":":
            self.pending = True
        event = self._sse.decode(line)
        if not line:
            self.pending = False
        if event is None:
            return None
        if event.id:
            self.last_event_id = event.id
        return self._part(event.event or "message", event.data, event.id or None)

    def _part(self, name: str, raw: str, event_id: str | None) -> StreamPart | None:
        if not raw.strip():  # heartbeats and empty events carry nothing
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            raise MalformedResponseError(
                f"event {name!r} carries data that is not JSON: {snippet(raw)!r}"
            ) from None
        parsed = self._names.get(name)
        if parsed is None:
            parsed = self._names[name] = split_event_name(name)
        if parsed[0] == "error":
            raise run_error(data)
        return StreamPart(name, parsed[0], parsed[1], data, event_id)


async def iter_stream_parts(
    response: httpx.Response, decoder: EventDecoder | None = None
) -> AsyncIterator[StreamPart]:
    """The parts of an event-stream response, in order.

    Raises RunError at an `error` event (after the parts before it), MalformedResponseError
    for non-JSON data or a stream cut in the middle of an event, AgentConnectionError /
    AgentTimeoutError when the connection fails.
    """
    decoder = decoder or EventDecoder()
    method, url = response.request.method, shown_url(response.request.url)
    try:
        async for text in response.aiter_text():
            for part in decoder.feed(text):
                yield part
    except httpx.RemoteProtocolError as exc:
        raise StreamCutError(f"event stream from {url} was cut off: {exc}") from None
    except httpx.HTTPError as exc:
        raise connection_error(exc, method, url) from None
    decoder.finish(url)
