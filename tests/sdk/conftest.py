"""Fixtures for the client tests: one AgentClient per test, on the session's server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.sdk import AgentClient, StreamPart


@pytest.fixture
async def client(api_url: str) -> AsyncIterator[AgentClient]:
    async with AgentClient(api_url, timeout=10.0) as client:
        yield client


def human(text: str) -> dict[str, Any]:
    """Run input with one human message."""
    return {"messages": [{"type": "human", "content": text}]}


def reply_config(reply: str, token_delay: float = 0.01) -> dict[str, Any]:
    """Config making the `chat` graph stream exactly `reply`."""
    return {"configurable": {"reply": reply, "token_delay": token_delay}}


def token_text(parts: list[StreamPart]) -> str:
    """The text of the AI chunks among messages-tuple parts."""
    return "".join(
        p.data[0]["content"]
        for p in parts
        if p.mode == "messages" and p.data[0].get("type") == "AIMessageChunk"
    )


async def settled_run_status(client: AgentClient, thread_id: str, run_id: str) -> str:
    """The run's status once it is no longer pending or running.

    The server writes a run's final status just after its stream's last event, so a
    read straight after the stream ends can still see `running`.
    """
    status = ""
    for _ in range(100):
        status = (await client.runs.get(thread_id, run_id)).status
        if status not in ("pending", "running"):
            return status
        await asyncio.sleep(0.1)
    raise AssertionError(f"run {run_id} still {status} after 10 s")


async def settled_thread_status(client: AgentClient, thread_id: str) -> str:
    """The thread's status once no run is busy on it (see `settled_run_status`)."""
    status = ""
    for _ in range(100):
        status = (await client.threads.get(thread_id)).status
        if status != "busy":
            return status
        await asyncio.sleep(0.1)
    raise AssertionError(f"thread {thread_id} still busy after 10 s")
