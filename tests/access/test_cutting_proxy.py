"""The fault-injection proxy (tests/fakes/cutting_proxy.py): it cuts exactly where
planned, follows keep-alive requests, and breaks a real Agent Server event stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from app.sdk import AgentClient
from app.sdk.errors import AgentServerError
from tests.fakes.cutting_proxy import CutPlan, CuttingProxy

PATTERN = bytes(range(256)) * 64  # 16 KiB, every offset recognisable


async def answer_with_pattern(reader: asyncio.StreamReader,
                              writer: asyncio.StreamWriter) -> None:
    """A raw upstream: answers each request (a line + blank line) with a head and
    PATTERN, on a keep-alive connection."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(PATTERN))
            writer.write(PATTERN)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def upstream() -> AsyncIterator[str]:
    server = await asyncio.start_server(answer_with_pattern, "127.0.0.1", 0)
    try:
        yield f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()


HEAD = len(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(PATTERN))


async def fetch(port: int, paths: list[str]) -> bytes:
    """Send requests for `paths` on one connection; everything received until EOF."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received = b""
    try:
        for path in paths:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            await writer.drain()
            want = len(received) + HEAD + len(PATTERN)
            while len(received) < want:
                chunk = await reader.read(65536)
                if not chunk:
                    return received
                received += chunk
        return received
    finally:
        writer.close()


def test_a_seeded_plan_is_reproducible():
    first = CutPlan.seeded(7, 100, 10, 5000).offsets()
    assert first == CutPlan.seeded(7, 100, 10, 5000).offsets()
    assert first != CutPlan.seeded(8, 100, 10, 5000).offsets()
    assert len(first) == 100 and all(10 <= o <= 5000 for o in first)
    assert len(set(first)) > 90


@pytest.mark.parametrize("offset", [0, 1, HEAD, HEAD + 1, 5000, HEAD + len(PATTERN) - 1])
async def test_cuts_exactly_at_the_planned_byte(upstream, offset):
    async with CuttingProxy(upstream, CutPlan([offset])) as proxy:
        got = await fetch(proxy.port, ["/runs/stream"])
        await proxy.settle()
        assert len(got) == offset
        expected = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(PATTERN) + PATTERN
        assert got == expected[:offset]
        [record] = proxy.requests
        assert (record.cut, record.delivered, record.planned_cut) == (True, offset, offset)
        # The plan is used up: the next stream goes through whole.
        assert len(await fetch(proxy.port, ["/runs/stream"])) == HEAD + len(PATTERN)


async def test_only_matching_requests_are_cut_and_keep_alive_is_followed(upstream):
    async with CuttingProxy(upstream, CutPlan([HEAD + 100, 7])) as proxy:
        got = await fetch(proxy.port, ["/threads/x/state", "/threads/x/history",
                                       "/threads/x/runs/stream"])
        await proxy.settle()
        whole = HEAD + len(PATTERN)
        assert len(got) == 2 * whole + HEAD + 100
        assert [r.request_line for r in proxy.requests] == [
            "GET /threads/x/state HTTP/1.1", "GET /threads/x/history HTTP/1.1",
            "GET /threads/x/runs/stream HTTP/1.1"]
        assert [(r.cut, r.delivered, r.head_bytes) for r in proxy.requests] == [
            (False, whole, HEAD), (False, whole, HEAD), (True, HEAD + 100, HEAD)]
        assert proxy.plan.offsets() == [7]


async def test_an_offset_past_the_answer_goes_back_to_the_plan(upstream):
    whole = HEAD + len(PATTERN)
    async with CuttingProxy(upstream, CutPlan([whole + 10, 3])) as proxy:
        assert len(await fetch(proxy.port, ["/a/stream"])) == whole  # not reached
        await proxy.settle()
        assert proxy.plan.offsets() == [whole + 10, 3]
        assert len(await fetch(proxy.port, ["/a/stream", "/b/stream"])) == 2 * whole
        await proxy.settle()
        assert proxy.plan.offsets() == [whole + 10, 3]
        assert proxy.cuts == []


async def test_an_agent_server_event_stream_breaks_at_the_cut(api_url):
    reply = " ".join(f"w{i}" for i in range(60))
    body = {"input": {"messages": [{"type": "human", "content": "cut me"}]},
            "stream_mode": ["messages-tuple", "values"], "stream_resumable": True,
            "on_disconnect": "continue",
            "config": {"configurable": {"reply": reply, "token_delay": 0.005}}}
    async with AgentClient(api_url) as direct, CuttingProxy(api_url) as proxy:
        # Through the proxy without a cut: the whole stream, measured.
        async with AgentClient(proxy.url) as client:
            thread = await client.threads.create()
            parts = [p async for p in client.runs.stream(thread.thread_id, "chat", **body)]
        [whole] = proxy.requests[-1:]
        assert not whole.cut and whole.head_bytes and parts
        # Now cut it halfway through the body.
        offset = whole.head_bytes + (whole.delivered - whole.head_bytes) // 2
        proxy.plan = CutPlan([offset])
        thread = await direct.threads.create()
        seen = []
        async with AgentClient(proxy.url) as client:
            with pytest.raises(AgentServerError) as failure:
                async with client.runs.stream(thread.thread_id, "chat", **body) as stream:
                    run_id = stream.run_id
                    async for part in stream:
                        seen.append(part)
        assert proxy.cuts[-1].delivered == offset
        assert 0 < len(seen) < len(parts)
        assert "cut off" in str(failure.value) or "closed" in str(failure.value).lower()
        # The raw connection broke too (httpx, no SDK in between).
        proxy.plan = CutPlan([offset])
        with pytest.raises(httpx.RemoteProtocolError):
            async with httpx.AsyncClient(base_url=proxy.url) as raw:
                async with raw.stream("GET", f"/threads/{thread.thread_id}/runs/{run_id}/stream",
                                      headers={"Last-Event-ID": "-1"}) as response:
                    async for _ in response.aiter_bytes():
                        pass
        # The server went on: the run finishes whole.
        await direct.runs.join_result(thread.thread_id, run_id)
        state = await direct.threads.get_state(thread.thread_id)
        assert state.values["messages"][-1]["content"] == reply
