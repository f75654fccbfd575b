"""Fixtures for the client tests: one AgentClient per test, on the session's server."""

from __future__ import annotations

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
