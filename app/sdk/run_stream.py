"""`RunStream`: an open event stream of one run, as an async context manager and iterator."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any

import httpx

from app.sdk.errors import AgentServerError
from app.sdk.http import Transport
from app.sdk.models import StreamPart
from app.sdk.sse import EventDecoder, iter_stream_parts

_LOCATION = re.compile(r"(?:/threads/(?P<thread>[^/?#]+))?/runs/(?P<run>[^/?#]+)")


def ids_from_location(location: str | None) -> tuple[str | None, str | None]:
    """(thread_id, run_id) from a `Content-Location: /threads/{t}/runs/{r}` header."""
    if not location:
        return None, None
    matches = list(_LOCATION.finditer(location))
    if not matches:
        return None, None
    last = matches[-1]
    return last.group("thread"), last.group("run")


class RunStream:
    """The events of one run.

    ```
    async with client.runs.stream(thread_id, "chat", input=...) as stream:
        stream.run_id, stream.thread_id      # known before the first event
        async for part in stream: ...
    ```
    Leaving the block early closes the HTTP response (the run itself goes on unless it
    was started with `on_disconnect="cancel"`). Iterating without `async with` also works;
    the response is then closed when the iteration ends.
    """

    def __init__(
        self,
        transport: Transport,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        thread_id: str | None = None,
        run_id: str | None = None,
    ) -> None:
        self._transport = transport
        self._method = method
        self._path = path
        self._json_body = json_body
        self._params = params
        self._headers = headers
        self.thread_id = thread_id
        self.run_id = run_id
        self.response: httpx.Response | None = None
        self._decoder = EventDecoder()
        self._opener: AbstractAsyncContextManager[httpx.Response] | None = None
        self._parts: AsyncIterator[StreamPart] | None = None
        self._owned_by_iteration = False
        self._closed = False

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event received (resumable runs), for `runs.join`."""
        return self._decoder.last_event_id

    @property
    def closed(self) -> bool:
        return self._closed

    async def open(self) -> RunStream:
        """Send the request and read the headers (done by `async with`)."""
        if self._closed:
            raise AgentServerError("this run stream is closed; start or join the run again")
        if self.response is not None:
            return self
        opener = self._transport.stream(
            self._method,
            self._path,
            json_body=self._json_body,
            params=self._params,
            headers=self._headers,
        )
        response = await opener.__aenter__()
        self._opener, self.response = opener, response
        thread_id, run_id = ids_from_location(response.headers.get("content-location"))
        self.thread_id = thread_id or self.thread_id
        self.run_id = run_id or self.run_id
        self._parts = iter_stream_parts(response, self._decoder)
        return self

    async def aclose(self) -> None:
        """Close the HTTP response; safe to call more than once, and from another task
        while one is iterating (that iteration then just ends)."""
        if self._closed:
            return
        self._closed = True
        parts, self._parts = self._parts, None
        opener, self._opener = self._opener, None
        try:
            # A generator suspended in another task's read cannot be closed from here;
            # closing the response below ends that read instead.
            if parts is not None and not getattr(parts, "ag_running", False):
                await parts.aclose()  # type: ignore[attr-defined]
        finally:
            if opener is not None:
                await opener.__aexit__(None, None, None)

    async def __aenter__(self) -> RunStream:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> RunStream:
        return self

    async def __anext__(self) -> StreamPart:
        parts = self._parts
        if parts is None:
            if self._closed:
                raise StopAsyncIteration
            await self.open()
            self._owned_by_iteration = True
            parts = self._parts
            assert parts is not None
        try:
            return await parts.__anext__()
        except StopAsyncIteration:
            await self.aclose()
            raise
        except Exception:
            if self._closed:  # closed by aclose() meanwhile: the stream just ends
                raise StopAsyncIteration from None
            if self._owned_by_iteration:
                await self.aclose()
            raise
        except BaseException:
            if self._owned_by_iteration:
                await self.aclose()
            raise

    def __repr__(self) -> str:
        return f"RunStream(thread_id={self.thread_id!r}, run_id={self.run_id!r})"
