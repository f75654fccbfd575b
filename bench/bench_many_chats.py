"""Many chats at once: N concurrent chats (10, 25, 50), each streaming ~20 tokens/s from
the `chat` graph, through our Reflex app; then the same with Reflex state in a real
redis-server (`REFLEX_REDIS_URL`) and two backend workers (`GRANIAN_WORKERS=2`).

Clients: websocket clients speaking the app's own protocol (bench/reflex_client.py,
replaying what a real Chromium tab sends), not browser tabs: 50 Chromium tabs do not fit
on two shared cores, and would measure Chromium's scheduling more than the app.

Delay per token: the fake model stamps every token with its index and the moment it
emitted it (`stamp_tokens`: `word#<index>@<epoch us>`); a client notes when a state delta
first carried that token. So the delay spans the Agent Server, the app's backend (SSE
parse, merge, coalesced flush) and the websocket; the browser's rendering is not in it.
For scale, the same N runs are first read by N direct SSE clients (the Python SDK, no
app): what the Agent Server and the machine alone add.

Printed per N: tokens received, p50/p95/max delay, the achieved token rate per chat,
backend CPU seconds per chat (user+system of the app's process tree over the run; also
by process, busiest first, and redis-server's), memory per chat ((peak RSS during the
run - RSS before the chats connected) / N), websocket frames and bytes per chat, and the
bench process's own CPU (all clients; near 100% would make the delays its own).
Target: p95 under 250 ms at 50 chats.

Run alone: `python -m bench many_chats`. Env: BENCH_CHATS (10,25,50), BENCH_CHATS_TOKENS
(150 per chat), BENCH_CHATS_TOKEN_DELAY (0.05).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import redis

from agents.server import AgentServer, free_port
from app.sdk import AgentClient
from bench.common import BENCH_APP_ENV, cpu_by_process, cpu_seconds, rss_bytes
from bench.reflex_client import STAMP, ReflexChat, record_session
from tests.e2e.app_process import ROOT, ChatApp, start_app, stop_app

COUNTS = tuple(int(n) for n in os.environ.get("BENCH_CHATS", "10,25,50").split(","))
TOKENS = int(os.environ.get("BENCH_CHATS_TOKENS", "150"))
TOKEN_DELAY = float(os.environ.get("BENCH_CHATS_TOKEN_DELAY", "0.05"))
TARGET_P95_MS = 250


def run_config() -> dict:
    return {"configurable": {"tokens": TOKENS, "token_delay": TOKEN_DELAY,
                             "stamp_tokens": True}}


@dataclass
class Outcome:
    chats: int
    expected: int
    delays: list[float]  # seconds, every token of every chat
    rate: float  # median tokens/s per chat (first to last token received)
    cpu_s: float | None = None  # backend CPU over the run, all chats
    cpu_split: list[float] | None = None  # the same by process (busiest first)
    redis_cpu_s: float | None = None
    rss_per_chat: float | None = None  # bytes
    frames_per_chat: float | None = None
    bytes_per_chat: float | None = None
    client_cpu_pct: float = 0.0  # this process (all clients), % of one core


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def _rate(stamps: list[float]) -> float:
    return (len(stamps) - 1) / (max(stamps) - min(stamps)) if len(stamps) > 1 else 0.0


async def direct_chats(api_url: str, count: int) -> Outcome:
    """`count` concurrent runs read straight from the Agent Server (no app)."""
    async with AgentClient(api_url) as client:
        threads = [await client.threads.create() for _ in range(count)]
        per_chat: list[list[tuple[float, float]]] = [[] for _ in range(count)]
        me = psutil.Process()
        cpu_before = sum(me.cpu_times()[:2])
        started = time.monotonic()

        async def one(i: int) -> None:
            seen: set[int] = set()
            async with client.runs.stream(
                threads[i].thread_id, "chat", config=run_config(),
                input={"messages": [{"type": "human", "content": f"chat {i}"}]},
                stream_mode=["messages-tuple"],
            ) as stream:
                async for part in stream:
                    if part.mode != "messages":
                        continue
                    now = time.time()
                    chunk = part.data[0] if isinstance(part.data, list) else part.data
                    text = chunk.get("content") if isinstance(chunk, dict) else None
                    for index, stamp in STAMP.findall(text if isinstance(text, str) else ""):
                        if int(index) not in seen:
                            seen.add(int(index))
                            per_chat[i].append((int(stamp) / 1e6, now))

        await asyncio.gather(*(one(i) for i in range(count)))
        wall = time.monotonic() - started
        cpu = sum(me.cpu_times()[:2]) - cpu_before
    delays = [received - emitted for chat in per_chat for emitted, received in chat]
    rate = statistics.median(_rate([r for _, r in chat]) for chat in per_chat)
    return Outcome(count, count * TOKENS, delays, rate, client_cpu_pct=100 * cpu / wall)


async def app_chats(app: ChatApp, recording, count: int, redis_pid: int | None) -> Outcome:
    """`count` concurrent chats through the app, started together."""
    pid = app.proc.pid
    rss_before = rss_bytes(pid)
    chats = [ReflexChat(recording, f"chat {i}") for i in range(count)]
    try:
        for start in range(0, count, 10):  # connect in small waves, like tabs opening
            await asyncio.gather(*(c.open() for c in chats[start:start + 10]))
        await asyncio.sleep(1.0)  # the load chains settle
        peak = rss_bytes(pid)
        me = psutil.Process()
        cpu_before, client_before = cpu_by_process(pid), sum(me.cpu_times()[:2])
        redis_before = cpu_seconds(redis_pid) if redis_pid else 0.0
        started = time.monotonic()
        await asyncio.gather(*(c.send() for c in chats))
        deadline = started + TOKENS * TOKEN_DELAY * 4 + 60
        while time.monotonic() < deadline:
            if all(len(c.tokens) >= TOKENS for c in chats):
                break
            peak = max(peak, rss_bytes(pid))
            await asyncio.sleep(0.25)
        wall = time.monotonic() - started
        cpu_after = cpu_by_process(pid)
        split = sorted((cpu_after[p] - cpu_before.get(p, 0.0) for p in cpu_after), reverse=True)
        redis_cpu = cpu_seconds(redis_pid) - redis_before if redis_pid else None
        client_cpu = sum(me.cpu_times()[:2]) - client_before
        await asyncio.sleep(0.5)  # the last state writes of each run
    finally:
        await asyncio.gather(*(c.close() for c in chats))
    delays = [d for c in chats for d in c.delays()]
    rate = statistics.median(_rate([r for _, r in c.tokens.values()]) for c in chats)
    return Outcome(count, count * TOKENS, delays, rate, cpu_s=sum(split),
                   cpu_split=[c for c in split if c >= 0.05], redis_cpu_s=redis_cpu,
                   rss_per_chat=(peak - rss_before) / count,
                   frames_per_chat=statistics.mean(c.frames for c in chats),
                   bytes_per_chat=statistics.mean(c.bytes for c in chats),
                   client_cpu_pct=100 * client_cpu / wall)


def print_outcome(label: str, o: Outcome) -> None:
    received = len(o.delays)
    p50, p95 = _quantile(o.delays, 0.5) * 1000, _quantile(o.delays, 0.95) * 1000
    line = (f"  {label:<7}{o.chats:>4} chats: {received}/{o.expected} tokens, "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(o.delays, default=0) * 1000:.0f} ms, "
            f"{o.rate:.1f} tok/s/chat")
    if o.cpu_s is not None:
        split = "+".join(f"{c:.1f}" for c in o.cpu_split or [])
        line += (f"; backend CPU {o.cpu_s / o.chats:.2f} s/chat ({split} s)"
                 + (f" + redis {o.redis_cpu_s:.1f} s" if o.redis_cpu_s is not None else "")
                 + ", "
                 f"RSS +{(o.rss_per_chat or 0) / 1e6:.1f} MB/chat, "
                 f"{o.frames_per_chat:.0f} frames {(o.bytes_per_chat or 0) / 1e3:.0f} KB/chat")
    line += f"; bench clients {o.client_cpu_pct:.0f}% CPU"
    if label != "direct" and o.chats == max(COUNTS):
        met = p95 < TARGET_P95_MS and received == o.expected
        line += f"  [p95 < {TARGET_P95_MS} ms: {'met' if met else 'MISSED'}]"
    print(line, flush=True)


@asynccontextmanager
async def redis_server() -> AsyncIterator[tuple[str, int]]:
    """A throwaway redis-server on a free port: (url, pid)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    proc = await asyncio.create_subprocess_exec(
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
        "no", "--dir", str(workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                await asyncio.sleep(0.1)
        client.close()
        yield url, proc.pid
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


async def run_app_counts(server: AgentServer, label: str, extra_env: dict[str, str],
                         redis_pid: int | None = None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-chats-"))
    app = start_app(server.url, tmp, {**BENCH_APP_ENV, **extra_env})
    try:
        app.config_file.write_text(json.dumps({"configurable": {"tokens": 3,
                                                                "token_delay": 0}}))
        recording = await record_session(app.url)
        app.config_file.write_text(json.dumps(run_config()))
        processes = len(psutil.Process(app.proc.pid).children(recursive=True)) + 1
        print(f"  {label}: {processes} processes in the app's tree, "
              f"RSS {rss_bytes(app.proc.pid) / 1e6:.0f} MB before the chats", flush=True)
        for count in COUNTS:
            print_outcome("app", await app_chats(app, recording, count, redis_pid))
    finally:
        stop_app(app)


async def run_all() -> None:
    server = AgentServer(config=ROOT / "tests" / "langgraph.json", jobs=max(COUNTS) + 10)
    server.start()
    try:
        print(f"{TOKENS} tokens per chat, {TOKEN_DELAY * 1000:.0f} ms apart "
              f"({1 / TOKEN_DELAY:.0f} tokens/s); delay = token emitted by the graph -> "
              "state delta received by the chat's websocket", flush=True)
        print("  Agent Server alone (N direct SSE clients, the Python SDK):")
        for count in COUNTS:
            print_outcome("direct", await direct_chats(server.url, count))
        await run_app_counts(server, "our app, one backend worker, default state manager", {})
        async with redis_server() as (url, redis_pid):
            await run_app_counts(server, "our app, REFLEX_REDIS_URL + GRANIAN_WORKERS=2",
                                 {"REFLEX_REDIS_URL": url, "GRANIAN_WORKERS": "2"}, redis_pid)
    finally:
        server.stop()


def main() -> None:
    asyncio.run(run_all())


if __name__ == "__main__":
    main()
