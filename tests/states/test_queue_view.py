"""The queue list: the stream's own queued runs plus the thread's pending runs read back
from the server (after a reload), oldest first; real server for the read-back."""

from __future__ import annotations

import asyncio

from app.sdk import AgentClient
from app.states.queue_view import pending_runs, queue_view, queued_text
from app.states.thread import human_message
from app.stream import ThreadStream


def test_queued_text_reads_the_last_message_of_an_input():
    assert queued_text({"messages": [human_message("hi there")]}) == "hi there"
    assert queued_text({"msgs": [{"type": "human", "content": [{"type": "text", "text": "x"}]}]},
                       "msgs") == "x"
    assert queued_text(None) == "" and queued_text({"messages": []}) == ""


def test_view_merges_stream_entries_then_unknown_server_runs():
    stream_queue = [
        {"client_id": "c1", "run_id": "r1", "input": {"messages": [human_message("one")]}},
        {"client_id": "c2", "run_id": None, "input": {"messages": [human_message("two")]}},
    ]
    server = [{"run_id": "r1", "text": "one"}, {"run_id": "r9", "text": "nine"}]
    assert queue_view(stream_queue, server) == [
        {"key": "r1", "text": "one"}, {"key": "c2", "text": "two"}, {"key": "r9", "text": "nine"}]


def test_pending_runs_keeps_pending_ones_oldest_first():
    runs = [
        {"run_id": "b", "status": "pending", "created_at": "2025-01-02",
         "kwargs": {"input": {"messages": [human_message("second")]}}},
        {"run_id": "z", "status": "running", "created_at": "2025-01-01", "kwargs": {}},
        {"run_id": "a", "status": "pending", "created_at": "2025-01-01",
         "kwargs": {"input": {"messages": [human_message("first")]}}},
    ]
    assert [(r["run_id"], r["text"]) for r in pending_runs(runs)] == [
        ("a", "first"), ("b", "second")]


async def test_queued_messages_are_read_back_from_the_server(api_url):
    """What a reloaded tab sees: the runs queued behind the running one, with their text."""
    client = AgentClient(api_url)
    stream = ThreadStream("chat", client=client)
    slow = {"configurable": {"reply": " ".join(["word"] * 30), "token_delay": 0.05}}
    try:
        first = asyncio.ensure_future(stream.submit(
            {"messages": [human_message("first")]}, config=slow, stream_resumable=True))
        while not any(m.get("type") == "ai" for m in stream.messages):  # noqa: ASYNC110
            await asyncio.sleep(0.02)  # the first run is running (no longer pending)
        queued = [asyncio.ensure_future(stream.submit(
            {"messages": [human_message(text)]}, config=slow)) for text in ("second", "third")]
        while sum(1 for e in stream.queue if e["run_id"]) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.02)  # both queued runs exist on the server
        runs = await client.runs.list(stream.thread_id, limit=50)
        read_back = pending_runs(runs)
        assert [r["text"] for r in read_back] == ["second", "third"]
        assert [r["run_id"] for r in read_back] == [e["run_id"] for e in stream.queue]
        # A fresh tab (no stream queue) lists them from the server alone.
        assert [v["text"] for v in queue_view([], read_back)] == ["second", "third"]
        await stream.cancel_queued(read_back[1]["run_id"])
        await stream.cancel_queued(read_back[0]["run_id"])
        await stream.stop()
        await asyncio.wait_for(asyncio.gather(first, *queued), 20)
    finally:
        await stream.aclose()
        await client.aclose()
