"""Pieces several benches share: Chromium's launch flags, a seeded long thread, and the
CPU / memory of a process tree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from agents.server import AgentServer
from app.sdk import AgentClient
from tests.e2e.app_process import ROOT, ChatApp, start_app, stop_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def cpu_by_process(pid: int) -> dict[int, float]:
    """User + system CPU seconds of a process and each of its children, by pid."""
    found: dict[int, float] = {}
    for proc in _tree(pid):
        try:
            times = proc.cpu_times()
            found[proc.pid] = times.user + times.system
        except psutil.Error:
            pass
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its children."""
    return sum(cpu_by_process(pid).values())


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its children."""
    total = 0
    for proc in _tree(pid):
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


async def seed_thread(client: AgentClient, messages: int) -> str:
    """A `chat` thread holding `messages` messages (one real run, then a state update)."""
    thread = await client.threads.create()
    config = {"configurable": {"reply": "First answer.", "token_delay": 0.0}}
    async with client.runs.stream(thread.thread_id, "chat", config=config,
                                  input={"messages": [{"type": "human", "content": "start"}]},
                                  stream_mode=["values"]) as stream:
        async for _ in stream:
            pass
    history = []
    for i in range(messages - 2):
        if i % 2 == 0:
            history.append({"type": "human", "content": f"Question {i}: " + "tell me more " * 8})
        else:
            history.append({"type": "ai", "content": f"Answer {i}. " + "Here is detail. " * 30})
    await client.threads.update_state(thread.thread_id, {"messages": history}, as_node="model")
    return thread.thread_id


# Benchmarks open threads they seed themselves and start many runs from one tab: one
# shared thread list and no per-visitor limits (what is measured is the streaming).
BENCH_APP_ENV = {"LANGGRAPH_CHAT_THREADS": "shared", "LANGGRAPH_CHAT_RUNS_PER_MINUTE": "0",
                 "LANGGRAPH_CHAT_CONCURRENT_RUNS": "0"}


@contextmanager
def served_app(tmp: Path, extra_env: dict[str, str] | None = None) -> Iterator[
        tuple[AgentServer, ChatApp]]:
    """A test Agent Server and the chat app built against it, both stopped afterwards."""
    server = AgentServer(config=ROOT / "tests" / "langgraph.json", jobs=10)
    server.start()
    app = None
    try:
        app = start_app(server.url, tmp, {**BENCH_APP_ENV, **(extra_env or {})})
        yield server, app
    finally:
        if app is not None:
            stop_app(app)
        server.stop()
