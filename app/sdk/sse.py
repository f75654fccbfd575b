"""Server-sent events of a run, parsed into `StreamPart`s.

A small parser of its own (rather than httpx-sse's) because it must notice a stream that
ends in the middle of an event, which httpx-sse drops silently; it also decodes JSON
straight from bytes on the per-token hot path.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from app.sdk.errors import MalformedResponseError, RunError
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
    """Turns event-stream lines into StreamParts (one decoder per response)."""

    __slots__ = ("_event", "_data", "_id", "_names", "last_event_id")

    def __init__(self) -> None:
        self._event = ""
        self._data: list[bytes] = []
        self._id: str | None = None
        self._names: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.last_event_id: str | None = None

    @property
    def pending(self) -> bool:
        """True while an event has started but not ended with a blank line."""
        return bool(self._event or self._data)

    def line(self, line: bytes) -> StreamPart | None:
        """Feed one line (without its line break); returns a part when an event ends."""
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line:
            return self._dispatch()
        if line[0] == 58:  # ":" comment, e.g. ": heartbeat"
            return None
        field, sep, value = line.partition(b":")
        if sep and value[:1] == b" ":
            value = value[1:]
        if field == b"data":
            self._data.append(value)
        elif field == b"event":
            self._event = value.decode("utf-8", errors="replace")
        elif field == b"id":
            if b"\0" not in value:
                self._id = value.decode("utf-8", errors="replace")
        # "retry" and unknown fields are ignored, as the SSE spec says.
        return None

    def _dispatch(self) -> StreamPart | None:
        name, chunks, event_id = self._event or "message", self._data, self._id
        self._event, self._data = "", []
        if event_id is not None:
            self.last_event_id = event_id
        raw = chunks[0] if len(chunks) == 1 else b"\n".join(chunks)
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
    feed = decoder.line
    rest = b""
    method, url = response.request.method, shown_url(response.request.url)
    try:
        async for chunk in response.aiter_bytes():
            if rest:
                chunk = rest + chunk
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                part = feed(chunk[start:end])
                start = end + 1
                if part is not None:
                    yield part
            rest = chunk[start:]
    except httpx.RemoteProtocolError as exc:
        raise MalformedResponseError(f"event stream from {url} was cut off: {exc}") from None
    except httpx.HTTPError as exc:
        raise connection_error(exc, method, url) from None
    if rest.strip(b"\r") or decoder.pending:
        raise MalformedResponseError(
            f"event stream from {url} ended in the middle of an event: "
            f"{snippet(rest) or 'no blank line after the last event'!r}"
        )
