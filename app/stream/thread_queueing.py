"""The submission queue of a `ThreadStream`: runs queued on the server behind the running
one (by this client, or found pending when the thread opened), followed in turn and
cancellable. `ThreadStream` inherits `ThreadQueueing`; the list itself is `queue`'s."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from app.sdk import AgentClient
from app.sdk.capabilities import Capabilities
from app.sdk.errors import AgentServerError, NotFoundError
from app.stream.abilities import require
from app.stream.callbacks import Callbacks
from app.stream.inputs import input_field, mint_id
from app.stream.modes import RunModes
from app.stream.queue import QueuedRun, pending_entries, queued_text, running_run_id
from app.stream.thread_loading import ThreadLoading

QUEUE_READ_LIMIT = 50  # runs read back from the server when a thread opens


class ThreadQueueing(ThreadLoading):
    """What a `ThreadStream` does with runs waiting behind the running one."""

    client: AgentClient
    capabilities: Capabilities
    _callbacks: Callbacks
    _modes: RunModes

    async def _follow_run(self, run_id: str, generation: int, *, last_event_id: str | None,
                          stream_mode: Sequence[str] | None = None) -> None:
        raise NotImplementedError

    def _run_info(self) -> dict[str, Any]:
        raise NotImplementedError

    async def _read_server_queue(self) -> str | None:
        """Read the thread's runs: pending ones join the queue; returns a running run's
        id ("" when none runs, None when the list cannot be read). A backend that cannot
        join runs has nothing to follow: ""."""
        if not self._thread_id or not self.capabilities.join:
            return ""
        try:
            runs = await self.client.runs.list(self._thread_id, limit=QUEUE_READ_LIMIT)
        except AgentServerError:
            return None
        self._queue.replace_server_entries(pending_entries(runs, self.messages_key))
        await self._listeners.notify()
        return running_run_id(runs)

    async def _follow_queued(self, entry: QueuedRun) -> None:
        """The queue's drain: stream one queued run from its start, then re-read what the
        server still queues when entries came from it (another tab may have changed it)."""
        generation = self._generation
        await self._follow_run(entry.run_id or "", generation, last_event_id="-1")
        if self._queue.has_server_entries() and generation == self._generation:
            running = await self._read_server_queue()
            if running:
                await self._follow_run(running, generation, last_event_id="-1")

    async def _enqueue(self, run_input: Any, command: Any, stream_mode: Any,
                       fields: dict[str, Any]) -> bool:
        """Queue a run on the server behind the running one and wait until it has been
        streamed; False when there is no thread to queue on yet."""
        require(self.capabilities, "queue", "Sending while the agent answers")
        generation = self._generation
        while self._thread_id is None and self._is_loading and generation == self._generation:  # noqa: ASYNC110, E501
            await asyncio.sleep(0.01)  # the running submit is still creating the thread
        if self._thread_id is None or generation != self._generation:
            return False
        entry = QueuedRun(client_id=mint_id(), input=run_input, command=command,
                          thread_id=self._thread_id,
                          text=queued_text(run_input, self.messages_key))
        done = self._queue.add(entry)
        await self._listeners.notify()
        try:
            run = await self.client.runs.create(
                self._thread_id, self.assistant_id, input=input_field(run_input, command),
                command=command, multitask_strategy="enqueue", stream_resumable=True,
                stream_mode=self._modes.for_run(stream_mode), **fields)
        except AgentServerError as exc:
            self._queue.remove(entry.client_id)
            self._error = exc
            await self._callbacks.call("on_error", exc, self._run_info())
            await self._listeners.notify()
            return True
        self._queue.started(entry, run.run_id)
        await self._listeners.notify()
        if not self._is_loading:
            await self._queue.drain(self._wanted(self._generation))
        await done
        return True

    async def cancel_queued(self, key: str) -> bool:
        """Cancel a queued run (by run id or client id); False when it is not queued.
        When the server cannot be told, the entry stays listed (it will still run) and
        the error is raised."""
        entry = self._queue.find(key)
        if entry is None:
            return False
        position = self._queue.position(entry)
        self._queue.remove(key)  # before the request: the drain must not start it
        if entry.run_id and entry.thread_id:
            generation = self._generation
            try:
                await self.client.runs.cancel(entry.thread_id, entry.run_id,
                                              action="interrupt")
            except NotFoundError:
                pass  # already gone on the server
            except AgentServerError:
                if generation == self._generation:
                    self._queue.put_back(entry, position)
                    await self._listeners.notify()
                raise
        await self._listeners.notify()
        return True

    async def clear_queue(self) -> None:
        for entry in list(self._queue):
            await self.cancel_queued(entry.client_id)
