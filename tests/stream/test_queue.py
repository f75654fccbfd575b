"""Unit tests of the submission queue."""

from app.stream.queue import QueuedRun, SubmissionQueue


def test_queue_add_find_remove_clear():
    queue = SubmissionQueue()
    queue.add(QueuedRun(client_id="c1", input={"messages": ["a"]}, run_id="r1"))
    queue.add(QueuedRun(client_id="c2", input=None))
    assert len(queue) == 2
    assert queue.find("r1").client_id == "c1"
    assert queue.remove("c2").client_id == "c2"
    assert [e.run_id for e in queue] == ["r1"]
    assert queue.to_json()[0]["input"] == {"messages": ["a"]}
    assert len(queue.clear()) == 1 and len(queue) == 0


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


def _stream_with_queue(client: _Client):
    from app.stream import ThreadStream
    from app.stream.queue import QueueRunner

    stream = ThreadStream("chat", client=client, thread_id="t-1")  # type: ignore[arg-type]
    runner = QueueRunner(stream)
    for number in (1, 2):
        runner._queued.add(QueuedRun(client_id=f"c{number}", run_id=f"r{number}",
                                     thread_id="t-1"))
    return runner


async def test_cancel_tells_the_server_and_drops_the_entry():
    client = _Client()
    runner = _stream_with_queue(client)
    assert await runner.cancel("r1")
    assert client.runs.cancelled == ["r1"]
    assert [entry["run_id"] for entry in runner.to_json()] == ["r2"]


async def test_cancel_the_server_did_not_hear_keeps_the_entry_listed():
    import pytest

    from app.sdk import AgentConnectionError

    runner = _stream_with_queue(_Client(AgentConnectionError("server down")))
    with pytest.raises(AgentConnectionError):
        await runner.cancel("r1")
    # The run is still queued on the server: the list must still say so, in order.
    assert [entry["run_id"] for entry in runner.to_json()] == ["r1", "r2"]
