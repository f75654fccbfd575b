"""SDK figures: SSE parsing cost per token event, and a real run's latency and throughput.

Run with `python -m bench` (all benches) or `python -m bench.bench_sdk`.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import time
from pathlib import Path

from agents.server import AgentServer
from app.sdk import AgentClient
from app.sdk.sse import EventDecoder

ROOT = Path(__file__).resolve().parent.parent
TOKEN_EVENTS = 20_000


def _token_event(i: int) -> bytes:
    """A messages-tuple token event shaped like the server's (~1.1 kB)."""
    chunk = {
        "content": f"word{i} ",
        "additional_kwargs": {},
        "response_metadata": {},
        "type": "AIMessageChunk",
        "name": None,
        "id": "lc_run--019a2f6e-1c2b-7d31-9a6f-5d2b0c8e4f11",
        "tool_calls": [],
        "invalid_tool_calls": [],
        "usage_metadata": None,
        "tool_call_chunks": [],
        "chunk_position": None,
    }
    metadata = {
        "created_by": "system",
        "graph_id": "chat",
        "assistant_id": "eb6db400-e3c8-5d06-a834-015cb89efe69",
        "run_attempt": 1,
        "langgraph_version": "1.2.22",
        "langgraph_api_version": "0.16.7",
        "langgraph_plan": "enterprise",
        "langgraph_host": "self-hosted",
        "langgraph_api_url": "http://127.0.0.1:2024",
        "run_id": "01a20503-a167-744e-aeb6-7be82c5756f1",
        "thread_id": "01a20503-a167-744e-aeb6-7be82c5756f2",
        "langgraph_step": 1,
        "langgraph_node": "model",
        "langgraph_triggers": ["branch:to:model"],
        "langgraph_path": ["__pregel_pull", "model"],
        "langgraph_checkpoint_ns": "model:6f0c5b4e-2a1d-5c3e-8f7a-1b2c3d4e5f60",
        "checkpoint_ns": "model:6f0c5b4e-2a1d-5c3e-8f7a-1b2c3d4e5f60",
        "ls_provider": "fake",
        "ls_model_name": "fake-chat-model",
        "ls_model_type": "chat",
        "ls_temperature": None,
    }
    data = json.dumps([chunk, metadata], separators=(",", ":")).encode()
    return b"event: messages\r\ndata: " + data + f"\r\nid: 1795380175643-{i}\r\n\r\n".encode()


def bench_parse() -> None:
    body = b"".join(_token_event(i) for i in range(TOKEN_EVENTS))
    chunks = [body[i : i + 16384] for i in range(0, len(body), 16384)]
    decoder, count = EventDecoder(), 0
    text_decoder = codecs.getincrementaldecoder("utf-8")()
    start = time.perf_counter()
    for chunk in chunks:  # as iter_stream_parts: httpx decodes text, then the decoder
        count += sum(1 for _ in decoder.feed(text_decoder.decode(chunk)))
    decoder.finish("bench")
    elapsed = time.perf_counter() - start
    assert count == TOKEN_EVENTS
    size = len(body) / TOKEN_EVENTS
    print(
        f"sdk  parse   {TOKEN_EVENTS} token events of {size:.0f} B: "
        f"{elapsed / count * 1e6:.1f} us/event ({count / elapsed:,.0f} events/s, "
        f"{len(body) / elapsed / 1e6:.0f} MB/s)"
    )


async def bench_server(url: str, tokens: int = 1000) -> None:
    async with AgentClient(url) as client:
        await client.threads.create()  # warm the pool
        thread = await client.threads.create()
        config = {"configurable": {"tokens": tokens, "token_delay": 0}}
        start = time.perf_counter()
        async with client.runs.stream(
            thread.thread_id,
            "chat",
            input={"messages": [{"type": "human", "content": "go"}]},
            config=config,
            stream_mode=["messages-tuple", "values"],
        ) as stream:
            headers_at = time.perf_counter() - start
            first_at = first_token_at = None
            count = 0
            async for part in stream:
                now = time.perf_counter() - start
                first_at = first_at or now
                if part.mode == "messages":
                    count += 1
                    first_token_at = first_token_at or now
            total = time.perf_counter() - start
    rate = count / (total - first_token_at) if first_token_at else 0.0
    print(
        f"sdk  run     headers (run id known) {headers_at * 1e3:.0f} ms, first event "
        f"{first_at * 1e3:.0f} ms, first token {first_token_at * 1e3:.0f} ms"
    )
    print(f"sdk  run     {count} token events in {total:.2f} s: {rate:,.0f} tokens/s end to end")


def main() -> None:
    bench_parse()
    with AgentServer(config=ROOT / "tests" / "langgraph.json") as server:
        asyncio.run(bench_server(server.url))


if __name__ == "__main__":
    main()
