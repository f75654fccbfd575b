"""Unit tests of the submission queue: the list, its drain, and cancelling through the
stream (with a fake server that can fail)."""

import asyncio

import pytest

from app.sdk import AgentConnectionError
from app.stream import ThreadStream
from app.stream.inputs import as_message
from app.stream.queue import QueuedRun, SubmissionQueue, pending_entries, queued_text


async def _no_follow(entry: QueuedRun) -> None:
    return None


async def test_queue_add_find_remove_clear():
    queue = SubmissionQueue(_no_follow)
    queue.add(QueuedRun(client_id="c1", input={"messages": ["a"]}, run_id="r1"))
    queue.add(QueuedRun(client_id="c2", input=None))
    assert len(queue) == 2
    assert queue.find("r1").client_id == "c1"
    assert queue.remove("c2").client_id == "c2"
    assert [e.run_id for e in queue] == ["r1"]
    assert queue.to_json()[0]["input"] == {"messages": ["a"]}
    assert len(queue.reset()) == 1 and len(queue) == 0


async def test_drain_follows_entries_in_order_and_waits_for_run_ids():
    followed: list[str] = []

    async def follow(entry: QueuedRun) -> None:
        followed.append(entry.run_id)

    queue = SubmissionQueue(follow)
    first = queue.add(QueuedRun(client_id="c1", run_id="r1"))
    late = QueuedRun(client_id="c2")  # its create request is still in flight
    second = queue.add(late)
    drain = asyncio.ensure_future(queue.drain(lambda: True))
    await asyncio.sleep(0.01)
    assert followed == ["r1"] and first.done() and not second.done()
    queue.started(late, "r2")
    await asyncio.wait_for(drain, 1)
    assert followed == ["r1", "r2"] and second.done() and len(queue) == 0


async def test_server_entries_merge_with_own_ones_oldest_first():
    queue = SubmissionQueue(_no_follow)
    queue.add(QueuedRun(client_id="c1", run_id="r1", text="one", created_at=1.0))
    queue.add(QueuedRun(client_id="c2", text="two", created_at=3.0))
    queue.replace_server_entries([
        QueuedRun(client_id="r1", run_id="r1", text="one", from_server=True, created_at=1.0),
        QueuedRun(client_id="r9", run_id="r9", text="nine", from_server=True, created_at=2.0)])
    assert [(e.key, e.text) for e in queue] == [("r1", "one"), ("r9", "nine"), ("c2", "two")]
    queue.replace_server_entries([])  # the server no longer lists r9
    assert [e.key for e in queue] == ["r1", "c2"]


def test_queued_text_reads_the_last_message_of_an_input():
    assert queued_text({"messages": [as_message("hi there")]}) == "hi there"
    assert queued_text({"msgs": [{"type": "human", "content": [{"type": "text", "text": "x"}]}]},
                       "msgs") == "x"
    assert queued_text(None) == "" and queued_text({"messages": []}) == ""


def test_pending_entries_keeps_pending_runs_oldest_first():
    runs = [
        {"run_id": "b", "status": "pending", "created_at": "2025-01-02",
         "kwargs": {"input": {"messages": [as_message("second")]}}},
        {"run_id": "z", "status": "running", "created_at": "2025-01-01", "kwargs": {}},
        {"run_id": "a", "status": "pending", "created_at": "2025-01-01",
         "kwargs": {"input": {"messages": [as_message("first")]}}},
    ]
    assert [(r.run_id, r.text) for r in pending_entries(runs)] == [
        ("a", "first"), ("b", "second")]


class _Runs:
    def __init__(self, error: Exception | None) -> None:
        self.error = error
        self.cancelled: list[str] = []

    async def cancel(self, thread_id: str, run_id: str, **options: object) -> None:
        if self.error is not None:
            raise self.error
        self.cancelled.append(run_id)


class _Client:
    def __init__(self, error: Exception | None = None) -> None:
        self.runs = _Runs(error)
        self.threads = None


def _stream_with_queue(client: _Client) -> ThreadStream:
    stream = ThreadStream("chat", client=client, thread_id="t-1")  # type: ignore[arg-type]
    for number in (1, 2):
        stream._queue.add(QueuedRun(client_id=f"c{number}", run_id=f"r{number}",
                                    thread_id="t-1"))
    return stream


async def test_cancel_tells_the_server_and_drops_the_entry():
    client = _Client()
    stream = _stream_with_queue(client)
    assert await stream.cancel_queued("r1")
    assert client.runs.cancelled == ["r1"]
    assert [entry["run_id"] for entry in stream.queue] == ["r2"]


async def test_cancel_the_server_did_not_hear_keeps_the_entry_listed():
    stream = _stream_with_queue(_Client(AgentConnectionError("server down")))
    with pytest.raises(AgentConnectionError):
        await stream.cancel_queued("r1")
    # The run is still queued on the server: the list must still say so, in order.
    assert [entry["run_id"] for entry in stream.queue] == ["r1", "r2"]
