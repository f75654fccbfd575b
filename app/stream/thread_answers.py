"""Answering a thread's pending interrupts, the way its backend allows: resuming the run
with a value (`respond`, Agent Server: `command: {resume: ...}`) or completing the pause
without one (`dismiss_interrupt`, Managed Deep Agents' `resolve-interrupt`: the paused
step gets no decision). `ThreadStream` inherits `ThreadAnswers`."""

from __future__ import annotations

from typing import Any

from app.sdk.capabilities import Capabilities
from app.sdk.errors import AgentServerError
from app.stream.abilities import require
from app.stream.interrupts import BREAKPOINT, resume_command
from app.stream.thread_queueing import ThreadQueueing


class ThreadAnswers(ThreadQueueing):
    """What a `ThreadStream` does with the interrupts it shows."""

    capabilities: Capabilities

    async def submit(self, values: Any = None, **options: Any) -> None:
        raise NotImplementedError

    async def respond(self, value: Any, interrupt_id: str | None = None, **options: Any) -> None:
        """Answer pending interrupts: `value` for `interrupt_id` (or for the only one), or a
        map `{interrupt_id: value}` for several. A static breakpoint just continues."""
        require(self.capabilities, "resume", "Answering an interrupt")
        pending = self.interrupts
        if pending and all(item == BREAKPOINT for item in pending) and interrupt_id is None:
            await self.submit(None, **options)
            return
        await self.submit(None, command=resume_command(value, interrupt_id, pending), **options)

    async def dismiss_interrupt(self) -> None:
        """Complete the thread's pending interrupt without an answer (backends with
        `resolve_interrupt`): the agent goes on, or stops, without the person's decision.
        Then the thread is read again; a failure sets `error`."""
        require(self.capabilities, "resolve_interrupt", "Dismissing an interrupt")
        thread_id = self._thread_id
        if not thread_id or self._is_loading:
            return
        generation = self._generation
        self._error = None
        self._is_loading = True
        await self._listeners.notify()
        try:
            await self.client.resolve_interrupt(thread_id)
            await self._read_thread(generation)
        except AgentServerError as exc:
            if generation == self._generation:
                self._error = exc
        finally:
            if generation == self._generation:
                self._is_loading = False
                await self._listeners.notify()
