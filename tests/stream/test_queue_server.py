"""The queue on a real server: runs queued behind the running one are read back when
another tab (or a reloaded one) opens the thread, with their text."""

from __future__ import annotations

import asyncio

from app.sdk import AgentClient
from app.stream import ThreadStream
from app.stream.inputs import as_message
from app.stream.queue import pending_entries


async def test_queued_messages_are_read_back_from_the_server(api_url):
    """What a reloaded tab sees: the runs queued behind the running one, with their text."""
    client = AgentClient(api_url)
    stream = ThreadStream("chat", client=client)
    fresh = ThreadStream("chat", client=client)
    slow = {"configurable": {"reply": " ".join(["word"] * 30), "token_delay": 0.05}}
    try:
        first = asyncio.ensure_future(stream.submit(
            {"messages": [as_message("first")]}, config=slow, stream_resumable=True))
        while not any(m.get("type") == "ai" for m in stream.messages):  # noqa: ASYNC110
            await asyncio.sleep(0.02)  # the first run is running (no longer pending)
        queued = [asyncio.ensure_future(stream.submit(
            {"messages": [as_message(text)]}, config=slow)) for text in ("second", "third")]
        while sum(1 for e in stream.queue if e["run_id"]) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.02)  # both queued runs exist on the server
        runs = await client.runs.list(stream.thread_id, limit=50)
        read_back = pending_entries(runs)
        assert [r.text for r in read_back] == ["second", "third"]
        assert [r.run_id for r in read_back] == [e["run_id"] for e in stream.queue]
        # A fresh tab lists them from the server alone while it follows the running run.
        opening = asyncio.ensure_future(fresh.open(stream.thread_id))
        while len(fresh.queue) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        assert [e["text"] for e in fresh.queue] == ["second", "third"]
        await stream.cancel_queued(read_back[1].run_id)
        await stream.cancel_queued(read_back[0].run_id)
        await stream.stop()
        await asyncio.wait_for(asyncio.gather(first, *queued, opening), 20)
    finally:
        await fresh.aclose()
        await stream.aclose()
        await client.aclose()
