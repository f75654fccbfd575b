"""The pump's coalescing wait ends early for what must reach the browser at once."""

from __future__ import annotations

import asyncio
import time

from app.states.pump import _wait_any


async def test_a_structural_change_ends_the_coalescing_wait() -> None:
    event = asyncio.Event()
    work = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.01, event.set)
    started = time.monotonic()
    await _wait_any(5.0, work, event)
    assert time.monotonic() - started < 1.0
    work.cancel()


async def test_the_end_of_the_work_ends_the_coalescing_wait() -> None:
    work = asyncio.ensure_future(asyncio.sleep(0.01))
    started = time.monotonic()
    await _wait_any(5.0, work, asyncio.Event())
    assert time.monotonic() - started < 1.0


async def test_tokens_alone_wait_out_the_window() -> None:
    work = asyncio.get_running_loop().create_future()
    started = time.monotonic()
    await _wait_any(0.05, work, asyncio.Event())
    assert time.monotonic() - started >= 0.045
    work.cancel()
