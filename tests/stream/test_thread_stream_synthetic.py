"""ThreadStream on scripted event streams (a fake client): reconnect de-duplication,
replay reset and merge rules, without a server. The real-server tests cover the rest."""

from __future__ import annotations

from typing import Any

from app.sdk import StreamPart
from app.stream import ThreadStream

HUMAN = {"type": "human", "id": "h", "content": "hi"}


def token(text: str, event_id: str) -> StreamPart:
    chunk = {"type": "AIMessageChunk", "id": "m", "content": text}
    return StreamPart("messages", "messages", (), [chunk, {"langgraph_node": "model"}], event_id)


class FakeRunStream:
    def __init__(self, parts: list[StreamPart]) -> None:
        self.parts = parts
        self.run_id = "run-1"
        self.thread_id = "t-1"

    async def __aenter__(self) -> FakeRunStream:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        for part in self.parts:
            yield part


class FakeThreads:
    def __init__(self) -> None:
        self.state: dict[str, Any] = {
            "values": {"messages": [HUMAN]}, "next": [], "tasks": [],
            "checkpoint": {"checkpoint_id": "c1"}, "parent_checkpoint": None}

    async def get_state(self, thread_id: str) -> dict[str, Any]:
        return self.state

    async def get_history(self, thread_id: str, limit: int = 10) -> list[dict[str, Any]]:
        return [self.state]


class FakeRuns:
    def __init__(self) -> None:
        self.scripts: list[list[StreamPart]] = []
        self.joins: list[str | None] = []

    def join(self, thread_id: str, run_id: str, last_event_id: str | None = None,
             stream_mode: Any = None) -> FakeRunStream:
        self.joins.append(last_event_id)
        return FakeRunStream(self.scripts.pop(0))


class FakeClient:
    def __init__(self) -> None:
        self.threads = FakeThreads()
        self.runs = FakeRuns()

    async def aclose(self) -> None:
        return None


def make() -> tuple[ThreadStream, FakeClient]:
    client = FakeClient()
    return ThreadStream("chat", client=client, thread_id="t-1"), client  # type: ignore[arg-type]


async def test_reconnect_skips_events_already_seen():
    stream, client = make()
    client.runs.scripts = [
        [token("a", "1"), token("b", "2"), token("c", "3")],
        [token("b", "2"), token("c", "3"), token("d", "4"), token("e", "5")],  # re-sent
    ]
    live: list[str] = []
    stream.subscribe(lambda change: live.append(
        stream.live_message()["content"] if stream.live_message() else ""))
    await stream.join_stream("run-1", "-1")
    await stream.join_stream("run-1", "3")
    assert [text for text in live if text][-1] == "abcde"
    assert client.runs.joins == ["-1", "3"]


async def test_replay_from_start_resets_held_chunks():
    stream, client = make()
    script = [token("Hel", "1"), token("lo", "2")]
    client.runs.scripts = [list(script), list(script)]
    seen: list[str] = []
    stream.subscribe(lambda change: seen.append(
        stream.live_message()["content"] if stream.live_message() else ""))
    await stream.join_stream("run-1", "-1")
    first = len(seen)
    await stream.join_stream("run-1", "-1")
    # Each join shows the whole answer once more, never the replay glued to it.
    assert "Hello" in seen[:first] and "Hello" in seen[first:]
    assert not any("HelloHello" in text for text in seen)


async def test_values_keep_live_and_pending_messages_and_post_run_read_wins():
    stream, client = make()
    values_without_reply = StreamPart("values", "values", (), {"messages": [HUMAN], "n": 1})
    subgraph_values = StreamPart("values|child:1", "values", ("child:1",), {"messages": []})
    client.runs.scripts = [[token("par", "1"), values_without_reply, token("tial", "2"),
                            subgraph_values]]
    snapshots: list[list[str]] = []
    stream.subscribe(lambda change: snapshots.append([m["id"] for m in stream.messages]))
    client.threads.state = {**client.threads.state, "values": {
        "messages": [HUMAN, {"type": "ai", "id": "m", "content": "partial"}], "n": 2}}
    await stream.join_stream("run-1", "-1")
    assert ["h", "m"] in snapshots  # the live reply survived the values event
    first = next(i for i, ids in enumerate(snapshots) if ids)
    assert all(snapshots[first:])  # subgraph values never emptied the list
    assert stream.values["n"] == 2 and stream.messages[-1]["content"] == "partial"


async def test_event_of_unexpected_shape_is_a_clear_error_not_a_stuck_run():
    from app.sdk import MalformedResponseError

    bad_chunks = [
        {"type": "AIMessageChunk", "id": "m", "content": 5},
        {"type": "AIMessageChunk", "id": "m", "content": "x", "tool_call_chunks": ["x"]},
        {"type": "AIMessageChunk", "id": ["m"], "content": "x"},
    ]
    for bad in bad_chunks:
        client = FakeClient()
        errors: list[BaseException] = []
        stream = ThreadStream("chat", client=client, thread_id="t-1",  # type: ignore[arg-type]
                              on_error=lambda exc, run, seen=errors: seen.append(exc))
        broken = StreamPart("messages", "messages", (), [bad, {}], "2")
        client.runs.scripts = [[token("a", "1"), broken]]
        await stream.join_stream("run-1", "-1")
        assert not stream.is_loading
        assert isinstance(stream.error, MalformedResponseError)
        assert "'messages' event of an unexpected shape" in str(stream.error)
        assert errors == [stream.error]
        assert [m["id"] for m in stream.messages] == ["h"]  # the server's state is shown
