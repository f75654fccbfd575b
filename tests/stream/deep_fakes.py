"""Scripted event streams and a fake Agent Server client for ThreadStream's deep-agent
data (no server): stream parts in the shapes the real server sends for the `deep` agent,
a fake clock advancing 0.5 s per event."""

from __future__ import annotations

from typing import Any

from app.sdk import StreamPart
from app.stream import ThreadStream
from tests.stream.test_thread_stream_synthetic import FakeRunStream

HUMAN = {"type": "human", "id": "h", "content": "Write a report on owls."}
CALLS = [
    {"name": "task", "id": "call_r", "args": {"description": "Find facts about owls.",
                                              "subagent_type": "researcher"}},
    {"name": "task", "id": "call_a", "args": {"description": "Collect numbers about owls.",
                                              "subagent_type": "analyst"}},
]


def part(mode: str, data: Any, namespace: tuple[str, ...] = (), event_id: str = "") -> StreamPart:
    event = "|".join([mode, *namespace])
    return StreamPart(event, mode, namespace, data, event_id or None)


def chunk(message_id: str, content: Any = "", **fields: Any) -> dict[str, Any]:
    return {"type": "AIMessageChunk", "id": message_id, "content": content, **fields}


def root(message: dict[str, Any], **meta: Any) -> StreamPart:
    return part("messages", [message, {"lc_agent_name": "deep", **meta}])


def sub(ns: str, message: dict[str, Any], agent: str) -> StreamPart:
    return part("messages", [message, {"lc_agent_name": agent, "checkpoint_ns": ns}], (ns,))


def sub_values(ns: str, description: str) -> StreamPart:
    human = {"type": "human", "id": f"h-{ns}", "content": description}
    return part("values", {"messages": [human]}, (ns,))


def tool_result(call_id: str, text: str, ns: str) -> StreamPart:
    message = {"type": "tool", "id": f"t-{call_id}", "tool_call_id": call_id, "name": "task",
               "content": text, "status": "success"}
    return part("messages", [message, {"langgraph_checkpoint_ns": ns}])


class ClockedRunStream(FakeRunStream):
    """A scripted run stream whose events each arrive 0.5 s after the previous one."""

    def __init__(self, parts: list[StreamPart], clock: FakeClock) -> None:
        super().__init__(parts)
        self.clock = clock

    async def _iterate(self):
        for item in self.parts:
            self.clock.now += 0.5
            yield item


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeThreads:
    def __init__(self) -> None:
        self.state: dict[str, Any] = {"values": {"messages": [HUMAN]}, "next": [], "tasks": [],
                                      "checkpoint": {"checkpoint_id": "c1"}}
        self.updates: list[tuple[Any, Any]] = []
        self.metadata: dict[str, Any] = {}

    async def get_state(self, thread_id: str) -> dict[str, Any]:
        return self.state

    async def get_history(self, thread_id: str, limit: int = 10) -> list[dict[str, Any]]:
        return [self.state]

    async def update_state(self, thread_id: str, values: Any, **options: Any) -> dict:
        self.updates.append((values, options.get("checkpoint")))
        return {"checkpoint_id": "c2"}

    async def search(self, **options: Any) -> Any:
        item = type("T", (), {"metadata": self.metadata})()
        return type("Page", (), {"items": [item]})()

    async def update(self, thread_id: str, *, metadata: dict[str, Any]) -> None:
        self.metadata.update(metadata)


class FakeRuns:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.scripts: list[list[StreamPart]] = []
        self.bodies: list[dict[str, Any]] = []

    def join(self, thread_id: str, run_id: str, **options: Any) -> ClockedRunStream:
        return ClockedRunStream(self.scripts.pop(0), self.clock)

    def stream(self, thread_id: str, assistant_id: str, **body: Any) -> ClockedRunStream:
        self.bodies.append(body)
        return ClockedRunStream(self.scripts.pop(0), self.clock)

    async def list(self, thread_id: str, **options: Any) -> list[Any]:
        return []


class FakeAssistants:
    def __init__(self, tools: list[str]) -> None:
        self.tools = tools

    async def graph(self, assistant_id: str) -> dict[str, Any]:
        return {"nodes": [{"id": "tools", "metadata": {"__tools": self.tools}}]}


class FakeClient:
    def __init__(self, tools: list[str] | None = None) -> None:
        self.clock = FakeClock()
        self.threads = FakeThreads()
        self.runs = FakeRuns(self.clock)
        self.assistants = FakeAssistants(tools or [])

    async def aclose(self) -> None:
        return None


def make(tools: list[str] | None = None) -> tuple[ThreadStream, FakeClient]:
    client = FakeClient(tools)
    stream = ThreadStream("deep", client=client, thread_id="t-1")  # type: ignore[arg-type]
    stream._events._clock = client.clock
    return stream, client


def delegation() -> list[StreamPart]:
    """The main agent calls two subagents; their tokens interleave; both answer."""
    main = "main-1"
    return [
        root(chunk(main, "Delegating.", tool_call_chunks=[
            {"index": 0, "id": "call_r", "name": "task", "args": ""},
            {"index": 1, "id": "call_a", "name": "task", "args": ""}])),
        root(chunk(main, "", tool_call_chunks=[
            {"index": 0, "args": '{"description": "Find facts about owls.", '
                                 '"subagent_type": "researcher"}'},
            {"index": 1, "args": '{"description": "Collect numbers about owls.", '
                                 '"subagent_type": "analyst"}'}])),
        part("values", {"messages": [HUMAN, {"type": "ai", "id": main, "content": "Delegating.",
                                             "tool_calls": CALLS}]}),
        sub_values("tools:r", "Find facts about owls."),
        sub_values("tools:a", "Collect numbers about owls."),
        sub("tools:r", chunk("r-1", "Owls "), "researcher"),
        sub("tools:a", chunk("a-1", "Numbers: "), "analyst"),
        sub("tools:r", chunk("r-1", "hunt at night."), "researcher"),
        sub("tools:a", chunk("a-1", "250 species."), "analyst"),
        tool_result("call_r", "Owls hunt at night.", "tools:r"),
        tool_result("call_a", "Numbers: 250 species.", "tools:a"),
    ]


def delegation_to(count: int, tokens: int = 20, files: int = 0) -> tuple[list[StreamPart],
                                                                          dict[str, Any]]:
    """`count` subagents called at once, their tokens interleaved (`tokens` each); and the
    state the thread ends in (with `files` files)."""
    calls = [{"name": "task", "id": f"call_{i}", "args": {
        "description": f"Job {i} about owls.", "subagent_type": f"worker{i}"}}
        for i in range(count)]
    main = {"type": "ai", "id": "main-1", "content": "Delegating.", "tool_calls": calls}
    stored = {f"/notes/{i:04}.md": {"content": f"Note {i}. " * 20, "encoding": "utf-8",
                                     "created_at": "t", "modified_at": "t"}
              for i in range(files)}
    parts = [part("values", {"messages": [HUMAN, main], "files": stored})]
    parts += [sub_values(f"tools:{i}", f"Job {i} about owls.") for i in range(count)]
    for n in range(tokens):
        for i in range(count):
            parts.append(sub(f"tools:{i}", chunk(f"s{i}", f"word{n} "), f"worker{i}"))
    return parts, {"messages": [HUMAN, main], "files": stored}
