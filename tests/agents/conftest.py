"""A minimal httpx client for driving graphs on the real test server.

The project's sdk is written separately; these tests speak the wire protocol directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from httpx_sse import connect_sse

FAST = {"token_delay": 0.005}


@dataclass
class Run:
    """Everything one streamed run sent: `(event name, data)` pairs in order."""

    events: list[tuple[str, Any]] = field(default_factory=list)

    def named(self, prefix: str) -> list[Any]:
        """Data of the events whose name is `prefix` or starts with `prefix|`."""
        return [d for e, d in self.events if e == prefix or e.startswith(prefix + "|")]

    def names(self) -> list[str]:
        return [e for e, _ in self.events]

    @property
    def last_values(self) -> dict[str, Any]:
        values = [d for e, d in self.events if e == "values"]
        return values[-1] if values else {}

    @property
    def final_text(self) -> str:
        """Content of the last message in the last `values` event."""
        return self.last_values["messages"][-1]["content"]

    def tokens(self) -> list[str]:
        """Text of every streamed AI message chunk, in order."""
        out = []
        for message, _meta in self.named("messages"):
            if message.get("type") == "AIMessageChunk" and isinstance(message.get("content"), str):
                if message["content"]:
                    out.append(message["content"])
        return out

    def interrupts(self) -> list[dict[str, Any]]:
        """Interrupts announced in `updates` events."""
        found = []
        for update in self.named("updates"):
            if isinstance(update, dict) and "__interrupt__" in update:
                found.extend(update["__interrupt__"])
        return found


class Wire:
    """Threads, streamed runs and state over plain httpx."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30.0)

    def thread(self) -> str:
        response = self.client.post("/threads", json={})
        response.raise_for_status()
        return response.json()["thread_id"]

    def stream(
        self,
        thread_id: str,
        assistant: str,
        *,
        input: Any = None,
        command: dict[str, Any] | None = None,
        configurable: dict[str, Any] | None = None,
        stream_mode: tuple[str, ...] = ("values", "updates", "messages-tuple", "custom"),
        **body: Any,
    ) -> Run:
        payload: dict[str, Any] = {
            "assistant_id": assistant,
            "input": input,
            "stream_mode": list(stream_mode),
            "config": {"configurable": {**FAST, **(configurable or {})}},
            **body,
        }
        if command is not None:
            payload["command"] = command
        run = Run()
        path = f"/threads/{thread_id}/runs/stream"
        with connect_sse(self.client, "POST", path, json=payload) as source:
            source.response.raise_for_status()
            for sse in source.iter_sse():
                if sse.data:
                    run.events.append((sse.event, json.loads(sse.data)))
        return run

    def ask(self, thread_id: str, assistant: str, text: str, **kwargs: Any) -> Run:
        """Send one human message."""
        message = {"type": "human", "content": text}
        return self.stream(thread_id, assistant, input={"messages": [message]}, **kwargs)

    def state(self, thread_id: str) -> dict[str, Any]:
        response = self.client.get(f"/threads/{thread_id}/state")
        response.raise_for_status()
        return response.json()

    def status(self, thread_id: str) -> str:
        return self.client.get(f"/threads/{thread_id}").json()["status"]

    def history(self, thread_id: str, limit: int = 50) -> list[dict[str, Any]]:
        response = self.client.post(f"/threads/{thread_id}/history", json={"limit": limit})
        response.raise_for_status()
        return response.json()

    def pending(self, thread_id: str) -> list[dict[str, Any]]:
        """Interrupts the thread is waiting on, from its state."""
        return [i for task in self.state(thread_id)["tasks"] for i in task["interrupts"]]


@pytest.fixture(scope="session")
def wire(api_url: str) -> Iterator[Wire]:
    client = Wire(api_url)
    yield client
    client.client.close()
