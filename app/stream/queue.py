"""The submission queue: runs submitted while another was in flight (strategy `enqueue`).

Each entry is a run the server already accepted and will start after the current one;
the UI lists them and can cancel any of them. `SubmissionQueue` is the list itself,
`QueueRunner` creates, streams and cancels the queued runs of one `ThreadStream`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from app.sdk.errors import AgentServerError, NotFoundError
from app.stream.inputs import input_field, mint_id

if TYPE_CHECKING:
    from app.stream.thread_stream import ThreadStream


@dataclass
class QueuedRun:
    """A queued submission: the server's run id (None until the server answered), what it
    sends, and a client id to find it before the run id is known."""

    client_id: str
    input: Any = None
    command: Any = None
    run_id: str | None = None
    thread_id: str | None = None
    created_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SubmissionQueue:
    """Queued runs, oldest first."""

    entries: list[QueuedRun] = field(default_factory=list)

    def add(self, entry: QueuedRun) -> None:
        self.entries.append(entry)

    def find(self, key: str) -> QueuedRun | None:
        """The entry whose run id or client id is `key`."""
        for entry in self.entries:
            if key in (entry.run_id, entry.client_id):
                return entry
        return None

    def remove(self, key: str) -> QueuedRun | None:
        entry = self.find(key)
        if entry is not None:
            self.entries.remove(entry)
        return entry

    def clear(self) -> list[QueuedRun]:
        dropped, self.entries = self.entries, []
        return dropped

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[QueuedRun]:
        return iter(self.entries)

    def to_json(self) -> list[dict[str, Any]]:
        return [entry.to_json() for entry in self.entries]


class QueueRunner:
    """The queue of one `ThreadStream`: creates a queued run on the server at once, then
    streams the queued runs one after the other once the current run is over, and
    cancels any that has not started. Works on its stream's run state."""

    def __init__(self, stream: ThreadStream) -> None:
        self._stream = stream
        self._queued = SubmissionQueue()
        self._waiters: dict[str, asyncio.Future[None]] = {}
        self._drain_lock = asyncio.Lock()

    def to_json(self) -> list[dict[str, Any]]:
        return self._queued.to_json()

    def reset(self) -> None:
        """Forget every entry (another thread is shown); their submits return."""
        self._queued.clear()
        for waiter in self._waiters.values():
            if not waiter.done():
                waiter.set_result(None)
        self._waiters = {}

    async def enqueue(self, run_input: Any, *, command: Any, stream_mode: Any,
                      **fields: Any) -> bool:
        """Create a queued run on the server and wait until it has been streamed; False
        when there is no thread to queue on (the running submit could not create it)."""
        stream = self._stream
        generation = stream._generation
        while stream._thread_id is None and stream._is_loading and generation == stream._generation:  # noqa: ASYNC110, E501
            await asyncio.sleep(0.01)  # the running submit is still creating the thread
        if stream._thread_id is None or generation != stream._generation:
            return False
        entry = QueuedRun(client_id=mint_id(), input=run_input, command=command,
                          thread_id=stream._thread_id, created_at=time.time())
        self._queued.add(entry)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[entry.client_id] = waiter
        await stream._listeners.notify()
        body = {k: v for k, v in fields.items() if v is not None and v is not False}
        try:
            run = await stream.client.runs.create(
                stream._thread_id, stream.assistant_id,
                input=input_field(run_input, command), command=command,
                multitask_strategy="enqueue", stream_resumable=True,
                stream_mode=stream._modes.for_run(stream_mode), **body,
            )
        except AgentServerError as exc:
            self._queued.remove(entry.client_id)
            self._waiters.pop(entry.client_id, None)
            stream._error = exc
            await stream._callbacks.call("on_error", exc,
                                         {"run_id": None, "thread_id": stream._thread_id})
            await stream._listeners.notify()
            return True
        entry.run_id = run.run_id
        await stream._listeners.notify()
        if not stream._is_loading:
            await self.drain(stream._generation)
        await waiter
        return True

    async def drain(self, generation: int) -> None:
        """Stream the queued runs one after the other (each joined from its start)."""
        if self._drain_lock.locked():
            return
        async with self._drain_lock:
            while self._queued and generation == self._stream._generation:
                entry = self._queued.entries[0]
                if entry.run_id is None:
                    await asyncio.sleep(0.02)  # its create request is still in flight
                    continue
                self._queued.remove(entry.client_id)
                waiter = self._waiters.pop(entry.client_id, None)
                try:
                    await self._stream._follow_run(entry.run_id, generation,
                                                   last_event_id="-1")
                finally:
                    if waiter is not None and not waiter.done():
                        waiter.set_result(None)

    async def cancel(self, key: str) -> bool:
        """Cancel a queued run (by run id or client id); False when it is not queued.
        When the server cannot be told, the entry stays listed (it will still run) and
        the error is raised."""
        entry = self._queued.find(key)
        if entry is None:
            return False
        position = self._queued.entries.index(entry)
        self._queued.remove(key)  # before the request: drain must not start it meanwhile
        if entry.run_id and entry.thread_id:
            generation = self._stream._generation
            try:
                await self._stream.client.runs.cancel(entry.thread_id, entry.run_id,
                                                      action="interrupt")
            except NotFoundError:
                pass  # already gone on the server
            except AgentServerError:
                if generation == self._stream._generation:
                    self._queued.entries.insert(position, entry)
                    await self._stream._listeners.notify()
                raise
        waiter = self._waiters.pop(entry.client_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        await self._stream._listeners.notify()
        return True

    async def clear(self) -> None:
        for entry in list(self._queued):
            await self.cancel(entry.client_id)
