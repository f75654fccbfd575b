"""Reading one run's stream: its connection, where its events go, which were seen.

`RunEvents.read(opener, ...)` opens a run's event stream (a new run or a join) and takes
its `StreamPart`s in order: `messages` tokens and root `values`
merge into the shown thread, `metadata` names the run, every other mode goes to its
callback (which may change the shown values through `mutate`). Every event also goes to
the thread's `AgentActivity` with the time it arrived (subagents, thinking, timing); a
subagent's tokens (namespace `tools:<task id>`) go only there, never into the messages.
Event ids of earlier connections to the same run are remembered, so a rejoin skips what
it saw, and the last event id of each run lets a later join resume after it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from app.sdk import StreamPart
from app.sdk.errors import AgentServerError, MalformedResponseError, RunError
from app.stream.agent_activity import AgentActivity
from app.stream.callbacks import Callbacks
from app.stream.chunks import is_last_chunk
from app.stream.listeners import ACTIVITY, COMPLETE, Listeners
from app.stream.namespaces import is_subagent_namespace
from app.stream.shown import ShownThread


class RunEvents:
    """The event router of one thread (see the module docstring)."""

    def __init__(self, shown: ShownThread, callbacks: Callbacks, listeners: Listeners,
                 mutate: Callable[[Any], None], activity: AgentActivity | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._shown = shown
        self._activity = activity if activity is not None else AgentActivity()
        self._clock = clock
        self._callbacks = callbacks
        self._listeners = listeners
        self._mutate = mutate
        self.run_id: str | None = None
        self.received = 0  # new events applied since the last connection opened
        self._prior_ids: set[str] = set()  # events of earlier connections
        self._ids: set[str] = set()  # events of the connection being read
        self._last_run: str | None = None  # the run `_last_id` belongs to
        self._last_id: str | None = None

    async def read(self, opener: Callable[[], Any], still_wanted: Callable[[], bool],
                   shown_ids: list[str],
                   on_created: Callable[[], Awaitable[None]] | None) -> BaseException | None:
        """Open a run's stream with `opener()` and apply its events while
        `still_wanted()`; returns the error that ended it (None on success). Messages in
        `shown_ids` are marked sent once the server accepted the run (failed when it did
        not); `on_created` runs then, for a new run."""
        shown = self._shown
        shown.start_stream()
        self._activity.run_started(self._clock())
        accepted = False
        try:
            async with opener() as stream:
                accepted = True
                if not still_wanted():
                    return None
                self.connected(stream.run_id)
                shown.mark_sent(shown_ids)
                if on_created is not None:
                    await on_created()
                await self._listeners.notify()
                async for part in stream:
                    if not still_wanted():
                        return None
                    try:
                        await self.handle(part)
                    except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
                        raise MalformedResponseError(
                            f"the server sent a {part.event!r} event of an unexpected shape "
                            f"({type(exc).__name__}: {exc})") from None
        except RunError as exc:
            return exc
        except AgentServerError as exc:
            if not accepted:
                for message_id in shown_ids:
                    shown.mark_failed(message_id)
            return exc
        finally:
            self.disconnected()
        return None

    def connected(self, run_id: str | None) -> None:
        """A connection to a run opened (its id known from the response headers)."""
        self.run_id = run_id or self.run_id
        self._ids = set()
        self.received = 0
        if self._last_run != self.run_id:
            self._last_run, self._last_id = self.run_id, None

    def disconnected(self) -> None:
        """The connection ended: its events count as seen for a later rejoin."""
        self._prior_ids |= self._ids

    def resume_point(self, run_id: str) -> str | None:
        """The last event id seen of `run_id` (None when this stream never followed it)."""
        return self._last_id if self._last_run == run_id else None

    def replay_from_start(self) -> None:
        """A join from the first event comes: forget what was seen and held."""
        self._prior_ids.clear()
        self._shown.forget_chunks()
        self._activity.replay()

    async def handle(self, part: StreamPart) -> None:
        """Apply one event, then tell the listeners what changed."""
        if part.id:
            if part.id in self._prior_ids:
                return  # already seen before a reconnect
            self._ids.add(part.id)
            self._last_id = part.id
        self.received += 1
        mode, namespace, data = part.mode, list(part.namespace), part.data
        shown = self._shown
        subagents = self._activity.add(mode, namespace, data, self._clock())
        if mode == "messages" and not is_subagent_namespace(namespace):
            if shown.on_message(data):
                scope = COMPLETE if is_last_chunk(data) else None
                await self._listeners.notify(shown.live_message_id, scope=scope)
            return
        if mode == "values" and not namespace:
            shown.on_values(data)  # subgraph values never overwrite the root's
            await self._listeners.notify()
            return
        if mode == "metadata" and isinstance(data, Mapping) and data.get("run_id"):
            self.run_id = str(data["run_id"])
        if await self._callbacks.on_event(mode, data, namespace, self._mutate):
            await self._listeners.notify()
        elif subagents:
            await self._listeners.notify(scope=ACTIVITY)
