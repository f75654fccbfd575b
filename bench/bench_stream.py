"""Stream-core figures: merge cost per token and per values event, branch tree cost, the
bytes fetched to open a long thread with history on and off, and with paged history
what the chat reads for branch switchers (recorded forks only, see app.stream.fork_log).

Run with `python -m bench stream` (or `python -m bench.bench_stream`).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx

from agents.server import AgentServer
from app.sdk import AgentClient, StreamPart
from app.stream import ThreadStream
from app.stream.branches import BranchTree, MessageBranches
from app.stream.chunks import parse_partial_json
from app.stream.fork_log import record_fork

ROOT = Path(__file__).resolve().parent.parent
THREAD_MESSAGES = 500
ANSWER_TOKENS = 2_000
CHECKPOINTS = 1_000
META = {"langgraph_node": "model", "langgraph_step": 1, "tags": [], "run_id": "r",
        "checkpoint_ns": "model:1", "ls_model_name": "fake"}


def _conversation(n: int) -> list[dict[str, Any]]:
    kinds = ("human", "ai")
    return [{"type": kinds[i % 2], "id": f"m{i}", "content": f"message {i} " * 20}
            for i in range(n)]


def _token(i: int) -> StreamPart:
    chunk = {"type": "AIMessageChunk", "id": "live", "content": f"w{i} ", "tool_calls": [],
             "tool_call_chunks": [], "usage_metadata": None, "response_metadata": {}}
    return StreamPart("messages", "messages", (), [chunk, META])


async def _merge_costs() -> None:
    stream = ThreadStream("chat", api_url="http://127.0.0.1:9", thread_id="t",
                          initial_values={"messages": _conversation(THREAD_MESSAGES)})
    stream._is_loading = True  # as during a run: the live message is exposed
    parts = [_token(i) for i in range(ANSWER_TOKENS)]
    start = time.perf_counter()
    for part in parts:
        await stream._events.handle(part)
    bare = (time.perf_counter() - start) / ANSWER_TOKENS
    reads: list[int] = []
    stream.subscribe(lambda change: reads.append(len(stream.live_message()["content"])))
    stream._shown.forget_chunks()
    start = time.perf_counter()
    for part in parts:
        await stream._events.handle(part)
    with_reader = (time.perf_counter() - start) / ANSWER_TOKENS
    print(f"token merge, {THREAD_MESSAGES}-message thread, {ANSWER_TOKENS}-token answer: "
          f"{bare * 1e6:.1f} us/token (no listener), {with_reader * 1e6:.1f} us/token "
          f"(listener reading the live message)")
    values = StreamPart("values", "values", (), {"messages": _conversation(THREAD_MESSAGES)})
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        await stream._events.handle(values)
    per_values = (time.perf_counter() - start) / rounds
    print(f"values event with {THREAD_MESSAGES} messages: {per_values * 1e3:.3f} ms/event")
    await stream.aclose()
    _partial_json_cost()


def _partial_json_cost() -> None:
    """Parsing streamed tool-call arguments (done lazily, when a message is read)."""
    full = json.dumps({"content": "word " * 2000, "path": "/notes.md", "n": [1, 2, 3]})
    for label, text in (("complete", full), ("cut mid-string", full[: len(full) // 2]),
                        ("cut after a key", full[: full.index('"path"') + 4])):
        rounds = 2_000
        start = time.perf_counter()
        for _ in range(rounds):
            parse_partial_json(text)
        took = (time.perf_counter() - start) / rounds
        print(f"tool-call args {len(text) / 1024:.1f} KiB ({label}): "
              f"{took * 1e6:.1f} us/parse")


def _history(n: int) -> list[dict[str, Any]]:
    """A thread of `n` checkpoints, one message each, with a regenerate fork every 50."""
    states: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    parent: str | None = None
    for i in range(n):
        cid = f"{i:08d}"
        if i % 50 == 49 and parent is not None:  # a sibling of the previous checkpoint
            sibling_parent = states[-1]["parent_checkpoint"]
            states.append({"checkpoint": {"checkpoint_id": cid + "f"},
                           "parent_checkpoint": sibling_parent,
                           "values": {"messages": [*messages[:-1], {"id": f"f{i}"}]}})
        messages = [*messages, {"type": "ai", "id": f"m{i}", "content": "x"}]
        states.append({"checkpoint": {"checkpoint_id": cid},
                       "parent_checkpoint": {"checkpoint_id": parent} if parent else None,
                       "values": {"messages": messages}})
        parent = cid
    return list(reversed(states))


def _branch_costs() -> None:
    history = _history(CHECKPOINTS)
    rounds = 10
    start = time.perf_counter()
    for _ in range(rounds):
        tree = BranchTree(history)
        view = tree.view("")
        MessageBranches.build(view)
    elapsed = (time.perf_counter() - start) / rounds
    print(f"branch tree + message metadata for {len(history)} checkpoints: "
          f"{elapsed * 1e3:.1f} ms (target < 50 ms)")


async def _history_bytes() -> None:
    server = AgentServer(config=ROOT / "tests" / "langgraph.json", jobs=4)
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            thread = (await http.post("/threads", json={})).json()["thread_id"]
            turns = 20
            for turn in range(turns):
                body = {"assistant_id": "chat", "input": {"messages": [
                    {"type": "human", "content": f"question {turn}"}]},
                    "config": {"configurable": {"tokens": 200, "token_delay": 0}}}
                await http.post(f"/threads/{thread}/runs/wait", json=body)
            state = await http.get(f"/threads/{thread}/state")
            history = await http.post(f"/threads/{thread}/history", json={"limit": 10})
        one = len(state.content)
        print(f"open a {turns * 2}-message thread: history off {one / 1024:.0f} KiB "
              f"(one GET /state), history on (limit 10) {len(history.content) / 1024:.0f} KiB "
              f"({len(history.content) / one:.1f} copies); fetched once per load/run end")
        stream = ThreadStream("chat", api_url=server.url, thread_id=thread,
                              fetch_state_history=True)
        start = time.perf_counter()
        await stream.load()
        load_on = time.perf_counter() - start
        lean = ThreadStream("chat", api_url=server.url, thread_id=thread,
                            fetch_state_history=False)
        start = time.perf_counter()
        await lean.load()
        load_off = time.perf_counter() - start
        print(f"ThreadStream.load of that thread: history on {load_on * 1e3:.0f} ms, "
              f"off {load_off * 1e3:.0f} ms")
        json.dumps(stream.snapshot())
        await stream.aclose()
        await lean.aclose()
    finally:
        server.stop()


class _CountingTransport(httpx.AsyncBaseTransport):
    """Counts requests and response body bytes (plain JSON requests only)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests = 0
        self.bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.requests += 1
        self.bytes += len(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body,
                              request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _wait_run(http: httpx.AsyncClient, thread: str, text: str | None,
                    checkpoint: str | None = None) -> None:
    body: dict[str, Any] = {
        "assistant_id": "chat",
        "input": {"messages": [{"type": "human", "content": text}]} if text else None,
        "config": {"configurable": {"tokens": 8, "token_delay": 0}}}
    if checkpoint:
        body["checkpoint"] = {"checkpoint_id": checkpoint}
    response = await http.post(f"/threads/{thread}/runs/wait", json=body)
    response.raise_for_status()


async def _first_state_parent(http: httpx.AsyncClient, thread: str, message_index: int) -> str:
    """The parent checkpoint of the oldest state showing message `message_index`."""
    history = (await http.post(f"/threads/{thread}/history", json={"limit": 100})).json()
    for state in reversed(history):  # oldest first
        if len(state["values"].get("messages") or []) > message_index:
            return state["parent_checkpoint"]["checkpoint_id"]
    raise RuntimeError("message not found in history")


async def _open_as_the_chat(url: str, thread: str) -> tuple[ThreadStream, _CountingTransport]:
    """Open a thread the way the chat does: load, which (with messages older than the
    fetched history) reads back to the forks recorded in the thread's metadata."""
    counter = _CountingTransport()
    stream = ThreadStream("chat", client=AgentClient(url, http_transport=counter),
                          thread_id=thread)
    await stream.load()
    return stream, counter


def _switcher_count(stream: ThreadStream) -> int:
    return sum(1 for m in stream.messages
               if (stream.get_messages_metadata(m) or {}).get("branch_options"))


async def _switchers_beyond_window() -> None:
    """A 200-message thread whose first message was edited and whose first answer was
    regenerated: what the chat reads to open it, with those forks unrecorded (as for a
    thread without forks, or forked by another client), recorded in its metadata, and
    what reading every switcher (the whole history) would cost."""
    server = AgentServer(config=ROOT / "tests" / "langgraph.json", jobs=4)
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            thread = (await http.post("/threads", json={})).json()["thread_id"]
            await _wait_run(http, thread, "first question")
            forks = [await _first_state_parent(http, thread, 0)]
            await _wait_run(http, thread, "edited first question", forks[0])
            forks.append(await _first_state_parent(http, thread, 1))
            await _wait_run(http, thread, None, forks[1])
            for turn in range(99):
                await _wait_run(http, thread, f"question {turn}")
            everything = await http.post(f"/threads/{thread}/history", json={"limit": 1000})
        total = len(everything.json())
        print(f"200-message thread, forks at messages 1 and 2, {total} checkpoints "
              f"({len(everything.content) / 1024:.0f} KiB as one read):")

        stream, counter = await _open_as_the_chat(server.url, thread)
        print(f"  open, no fork recorded: {counter.requests} requests "
              f"{counter.bytes / 1024:.0f} KiB, {_switcher_count(stream)} switchers")
        start = time.perf_counter()
        found = await stream.ensure_history(stream.messages)
        took = time.perf_counter() - start
        print(f"  every switcher (ensure_history of all messages, the former policy): "
              f"{counter.requests} requests {counter.bytes / 1024:.0f} KiB in all, "
              f"{took * 1e3:.0f} ms, {_switcher_count(stream)} switchers (all found: {found})")
        await stream.aclose()
        await stream.client.aclose()

        async with AgentClient(server.url) as client:  # as the chat's edit/regenerate do
            for fork in forks:
                await record_fork(client.threads, thread, fork)
        stream, counter = await _open_as_the_chat(server.url, thread)
        print(f"  open, both forks recorded: {counter.requests} requests "
              f"{counter.bytes / 1024:.0f} KiB, {_switcher_count(stream)} switchers")
        before = (counter.requests, counter.bytes)
        await stream.submit("one more", config={"configurable": {"tokens": 8,
                                                                 "token_delay": 0}})
        print(f"  a run on that thread afterwards: {counter.requests - before[0]} requests "
              f"{(counter.bytes - before[1]) / 1024:.0f} KiB in all (run stream + newest "
              f"history page + metadata), {_switcher_count(stream)} switchers kept")
        await stream.aclose()
        await stream.client.aclose()
    finally:
        server.stop()


def main() -> None:
    asyncio.run(_merge_costs())
    _branch_costs()
    asyncio.run(_history_bytes())
    asyncio.run(_switchers_beyond_window())


if __name__ == "__main__":
    main()
