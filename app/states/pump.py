"""The flush pump: run one stream operation and send its changes to the browser while it
runs, at most every `FLUSH_SECONDS` (a completed message or new values go out at once),
and stop the work when the tab has been gone longer than the grace period.

Reflex sends one websocket frame per `yield` of a background event, so the pump is an
async generator the chat state's handlers iterate; it enters `async with state` only for
the short write of each flush (`state.apply_view`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from app.states.tab_sessions import TabSession, sessions, tab_connected

FLUSH_SECONDS = 0.05  # coalesce browser updates to at most ~20 per second
# How long a tab may be gone (no websocket) before its streaming stops; a reload comes
# back well within it. LANGGRAPH_CHAT_DISCONNECT_GRACE overrides it (seconds).
DISCONNECT_GRACE_SECONDS = float(os.environ.get("LANGGRAPH_CHAT_DISCONNECT_GRACE") or 10.0)
log = logging.getLogger("app.chat")


class PumpedState(Protocol):
    """What the pump needs of a chat state."""

    async def __aenter__(self) -> Any: ...
    async def __aexit__(self, *exc: object) -> Any: ...
    def tab_token(self) -> str: ...
    async def apply_view(self, session: TabSession, *, final: bool = False) -> list[Any]: ...


async def flush_while(state: PumpedState, session: TabSession,
                      work: Callable[[], Awaitable[Any]],
                      outcome: list[BaseException | None]) -> AsyncIterator[list[Any]]:
    """Run `work()` and yield the browser events of each flush; appends the error it
    raised (or None) to `outcome`. A session rebuilt mid-conversation (new worker,
    restart, new token) reads its thread first, so a run never shows on top of an empty
    history."""
    async with state:
        token = state.tab_token()

    async def run() -> Any:
        if not session.loaded and session.stream.thread_id:
            session.loaded = True
            await session.stream.load()
        session.loaded = True
        return await work()

    task = asyncio.ensure_future(run())
    session.pumping += 1
    gone_since: float | None = None
    try:
        while not task.done():
            session.changed.clear()
            session.structural.clear()
            flushed_at = time.monotonic()
            async with state:
                events = await state.apply_view(session)
            if events:
                yield events
            await _wait_any(1.0, task, session.changed)
            if not task.done():
                # Coalesce tokens: at most one flush per FLUSH_SECONDS; a change after a
                # quiet spell, or a structural one (a message completed, the run's stream
                # ended, even during the wait), goes out at once. So does the end of work.
                # A completed message's last tokens may wait a little longer for the end
                # of the run (TabSession.hold_until), to go out with it.
                while not task.done() and not session.structural.is_set():
                    wait = max(flushed_at + FLUSH_SECONDS, session.hold_until)
                    if wait <= time.monotonic():
                        break
                    await _wait_any(wait - time.monotonic(), task, session.structural)
            if session.cancelled or not tab_connected(token):
                gone_since = gone_since or time.monotonic()
                gone_for = time.monotonic() - gone_since
                if session.cancelled or gone_for > DISCONNECT_GRACE_SECONDS:
                    if not session.cancelled:
                        log.warning("tab %s gone for %.1fs: stopped its stream", token,
                                    gone_for)
                        # Forget the session: a tab that comes back rebuilds it from the
                        # server and rejoins the run.
                        if sessions.get(token) is session:
                            sessions.drop(token)
                    task.cancel()
            else:
                gone_since = None
        try:
            await task
            outcome.append(None)
        except asyncio.CancelledError:
            outcome.append(None)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            outcome.append(exc)
    finally:
        session.pumping -= 1
        if not task.done():
            task.cancel()


async def _wait_any(seconds: float, task: asyncio.Future, event: asyncio.Event) -> None:
    """Sleep up to `seconds`, waking early when `task` ends or `event` is set."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({task, waiter}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
