"""Fixtures for ThreadStream tests against the real Agent Server (`api_url`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from app.sdk import AgentClient
from app.stream import ThreadStream

FAST = {"token_delay": 0.005}


def chat_config(reply: str | None = None, **extra: Any) -> dict[str, Any]:
    """Run config for the `chat` graph: a fixed reply, streamed fast."""
    configurable: dict[str, Any] = {**FAST, **extra}
    if reply is not None:
        configurable["reply"] = reply
    return {"configurable": configurable}


@pytest.fixture
async def client(api_url: str) -> AsyncIterator[AgentClient]:
    async with AgentClient(api_url) as agent_client:
        yield agent_client


@pytest.fixture
async def make_stream(api_url: str) -> AsyncIterator[Callable[..., ThreadStream]]:
    """Build ThreadStreams on the test server; all are closed after the test."""
    made: list[ThreadStream] = []

    def make(assistant_id: str = "chat", **options: Any) -> ThreadStream:
        stream = ThreadStream(assistant_id=assistant_id, api_url=api_url, **options)
        made.append(stream)
        return stream

    yield make
    for stream in made:
        await stream.aclose()
