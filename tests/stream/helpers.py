"""Small helpers for the real-server ThreadStream tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from app.stream import ThreadStream


async def wait_for(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Poll until `predicate()` is true (fails the test after `within` seconds)."""
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def count_calls(obj: Any, name: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Wrap `obj.name` so that every call's arguments are recorded in the returned list."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    original = getattr(obj, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    setattr(obj, name, wrapper)
    return calls


async def server_messages(stream: ThreadStream) -> list[dict[str, Any]]:
    state = await stream.client.threads.get_state(stream.thread_id)
    return list((state.values or {}).get("messages") or [])
