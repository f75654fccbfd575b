"""Who is told that a `ThreadStream` changed, and the version counter they are told."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


# The `scope` of a change that touched only the run's activity (subagents, tool progress).
ACTIVITY = "activity"
# The `scope` of a message's change when its last chunk came (`chunk_position` "last",
# which langchain-core sends after a model's final token): the message is complete.
COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class StreamChange:
    """What changed: `version` grows with every change; `message_id` is set when only that
    message changed (a token arrived), with `scope` "complete" when that was its last chunk;
    `scope` "activity" when only the subagents or tool progress did (a subagent's token);
    both None when anything else may have changed."""

    version: int
    message_id: str | None = None
    scope: str | None = None


Listener = Callable[[StreamChange], Any]


class Listeners:
    """The subscribed listeners; a listener may be sync or async, and one that fails is
    logged, never allowed to break the stream."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.version = 0

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change)` after every change; returns the unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def bump(self) -> None:
        """Count a change without telling anyone (the caller notifies later)."""
        self.version += 1

    async def notify(self, message_id: str | None = None, *, scope: str | None = None) -> None:
        """Count a change and await every listener."""
        self.version += 1
        change = StreamChange(self.version, message_id, scope)
        for listener in list(self._listeners):
            try:
                result = listener(change)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("ThreadStream listener failed")

    def notify_soon(self) -> None:
        """Count a change and call every listener from sync code (an async listener's
        coroutine is scheduled, not awaited)."""
        self.version += 1
        change = StreamChange(self.version)
        for listener in list(self._listeners):
            try:
                result = listener(change)
                if inspect.isawaitable(result):
                    asyncio.ensure_future(result)
            except Exception:
                log.exception("ThreadStream listener failed")
