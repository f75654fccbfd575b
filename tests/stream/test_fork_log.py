"""Recorded fork points: the rules as plain functions, then on the real server --
opening a long thread without forks reads one history page, and a recorded fork older
than that page brings its branch switcher (older pages read only back to it)."""

from __future__ import annotations

from typing import Any

import httpx

from app.sdk import AgentClient
from app.stream import ThreadStream
from app.stream.fork_log import (
    FORKS_KEY,
    MAX_FORKS,
    history_target,
    read_forks,
    record_fork,
    recorded_forks,
    with_forks,
)

FAST = {"configurable": {"reply": "an answer", "token_delay": 0}}
WINDOW = 4  # states in the newest history page: far fewer than the threads here have


# -- the rules ---------------------------------------------------------------------------

def test_recorded_forks_skip_malformed_metadata():
    assert recorded_forks(None) == []
    assert recorded_forks({"forks": "abc"}) == []
    assert recorded_forks({"forks": ["a", 3, "", None, "x" * 65, "b"]}) == ["a", "b"]


def test_with_forks_adds_newest_last_once_and_keeps_the_newest():
    assert with_forks(["a", "b"], ["c"]) == ["a", "b", "c"]
    assert with_forks(["a", "b"], ["a"]) == ["b", "a"]  # made again: now the newest
    assert with_forks([], ["c", "c", ""]) == ["c"]
    many = [f"id-{i:03}" for i in range(MAX_FORKS)]
    assert with_forks(many, ["new"]) == [*many[1:], "new"]
    assert len(with_forks(many, ["new"])) == MAX_FORKS


def test_history_target_is_the_oldest_recorded_fork():
    assert history_target([]) is None
    ids = ["1f0a-0003", "1f0a-0001", "1f0a-0002"]
    assert history_target(ids) == "1f0a-0001"


# -- on the real server -------------------------------------------------------------------

class CountingTransport(httpx.AsyncBaseTransport):
    """Remembers each request's method and path, and the response bytes."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[tuple[str, str, Any]] = []
        self.bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.requests.append((request.method, request.url.path, request.content))
        self.bytes += len(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body,
                              request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def history_pages(self) -> int:
        return sum(1 for _, path, _ in self.requests if path.endswith("/history"))


async def _long_thread(api_url: str, turns: int, *, fork_first: bool) -> tuple[str, str]:
    """A thread of `turns` turns; with `fork_first` its first message was edited before
    the later turns. Returns the thread id and the first message's fork point."""
    builder = ThreadStream("chat", api_url=api_url, fetch_state_history=False)
    try:
        await builder.submit("original", config=FAST)
        point = await builder.fork_point(builder.messages[0])
        if fork_first:
            await builder.submit({"messages": [{"type": "human", "content": "edited"}]},
                                 checkpoint=point, config=FAST)
        for turn in range(turns - 1):
            await builder.submit(f"turn {turn}", config=FAST)
        await builder.client.threads.update(builder.thread_id, metadata={"title": "long"})
        return builder.thread_id, point["checkpoint_id"]
    finally:
        await builder.aclose()


async def _open(api_url: str, thread: str) -> tuple[ThreadStream, CountingTransport]:
    """A tab opening the thread: the newest page of WINDOW states, then older pages back
    to the recorded forks (the stream reads them itself, after loads and runs)."""
    counter = CountingTransport()
    stream = ThreadStream("chat", client=AgentClient(api_url, http_transport=counter),
                          thread_id=thread, fetch_state_history=WINDOW)
    await stream.load()
    return stream, counter


def _switcher(stream: ThreadStream, message: dict[str, Any]) -> list[str] | None:
    return (stream.get_messages_metadata(message) or {}).get("branch_options")


async def test_long_thread_without_forks_reads_one_history_page(api_url, client):
    thread, _ = await _long_thread(api_url, 5, fork_first=False)
    stream, counter = await _open(api_url, thread)
    try:
        assert len(stream.messages) == 10
        assert stream.history_gaps(stream.messages)  # the first messages are older
        assert counter.history_pages() == 1
        # The one other request is the metadata read, without the values.
        searches = [body for _, path, body in counter.requests if path == "/threads/search"]
        assert len(searches) == 1 and b'"select"' in searches[0]
        assert len(counter.requests) == 2
    finally:
        await stream.aclose()
        await stream.client.aclose()


async def test_a_recorded_old_fork_brings_its_switcher(api_url, client):
    thread, fork_id = await _long_thread(api_url, 4, fork_first=True)
    unrecorded, counter = await _open(api_url, thread)
    try:  # a fork made by another client, older than the newest page: no switcher
        assert _switcher(unrecorded, unrecorded.messages[0]) is None
        assert counter.history_pages() == 1
    finally:
        await unrecorded.aclose()
        await unrecorded.client.aclose()

    assert await record_fork(client.threads, thread, fork_id) == [fork_id]
    assert await record_fork(client.threads, thread, fork_id) == [fork_id]  # once
    kept = (await client.threads.get(thread)).metadata
    assert kept["title"] == "long" and kept[FORKS_KEY] == [fork_id]  # merged, not replaced

    stream, counter = await _open(api_url, thread)
    try:
        first = stream.messages[0]
        assert first["content"] == "edited"
        options = _switcher(stream, first)
        assert options is not None and len(options) == 2
        assert stream.get_messages_metadata(first)["branch"] == options[1]  # "2 / 2"
        bodies = [body for _, path, body in counter.requests if path.endswith("/history")]
        assert len(bodies) > 1 and len(set(bodies)) == len(bodies)  # each page read once
        stream.set_branch(options[0])
        assert [m["content"] for m in stream.messages] == ["original", "an answer"]
        # A run afterwards re-reads only the newest page; the switcher stays.
        stream.set_branch(options[1])
        before = counter.history_pages()
        await stream.submit("one more", config=FAST)
        assert counter.history_pages() - before == 1
        assert _switcher(stream, stream.messages[0]) == options
    finally:
        await stream.aclose()
        await stream.client.aclose()


async def test_record_fork_keeps_the_newest_hundred(client):
    thread = (await client.threads.create()).thread_id
    old = [f"1f0a0000-0000-6000-8000-{i:012}" for i in range(MAX_FORKS)]
    await client.threads.update(thread, metadata={FORKS_KEY: old})
    newest = "1f0a0000-0000-6000-8000-999999999999"
    assert await record_fork(client.threads, thread, newest) == [*old[1:], newest]
    assert await read_forks(client.threads, thread) == [*old[1:], newest]
