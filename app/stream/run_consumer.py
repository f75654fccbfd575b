"""The task that reads the current run's stream, so reading can be stopped (`abort`)
without cancelling whoever awaits the run, and every way it ends is one result."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

ABORTED = RuntimeError("aborted")  # the result of a read stopped by `abort` (not an error)
Read = Callable[[], Awaitable[BaseException | None]]


class RunConsumer:
    """Runs one `read()` at a time in a task of its own."""

    def __init__(self) -> None:
        self._task: asyncio.Task[Any] | None = None
        self._aborting = False

    @property
    def streaming(self) -> bool:
        """True while a run's events are being read."""
        return self._task is not None and not self._task.done()

    async def run(self, read: Read) -> BaseException | None:
        """`read()`'s result (the error that ended the run, None when it finished), or
        `ABORTED` when `abort()` stopped it. The caller being cancelled propagates."""
        task = asyncio.create_task(self._guarded(read))
        self._task = task
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.done():
                raise  # our caller was cancelled, not the read
            return ABORTED

    async def _guarded(self, read: Read) -> BaseException | None:
        try:
            return await read()
        except asyncio.CancelledError:
            if self._aborting:
                return ABORTED
            raise

    async def abort(self) -> None:
        """Stop reading the current stream without touching the server."""
        task = self._task
        if task is None or task.done():
            return
        self._aborting = True
        try:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        finally:
            self._aborting = False
