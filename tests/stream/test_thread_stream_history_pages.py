"""Paged history on the real server: branch switchers and branches that fork before the
fetched window are found by reading older pages once, and kept across runs."""

from __future__ import annotations

from typing import Any

import pytest

from app.stream import ThreadStream

from .conftest import chat_config
from .helpers import wait_for

WINDOW = 3  # states per newest page: far fewer than the thread has


@pytest.fixture(scope="module")
async def forked(api_url: str) -> tuple[str, list[str]]:
    """A thread whose first message was edited, then 3 more turns on the edit.
    Returns the thread id and the two branch options at the first message (tests
    here only add turns to the edited branch, so they can share it)."""
    stream = ThreadStream("chat", api_url=api_url)
    try:
        return await _fork_at_start(stream)
    finally:
        await stream.aclose()


async def _fork_at_start(stream: ThreadStream) -> tuple[str, list[str]]:
    await stream.submit("hello", config=chat_config("reply one"))
    parent = stream.get_messages_metadata(stream.messages[0])["parent_checkpoint"]
    await stream.submit({"messages": [{"type": "human", "content": "hi"}]},
                        checkpoint=parent, config=chat_config("reply edited"))
    for turn in range(3):
        await stream.submit(f"turn {turn}", config=chat_config(f"answer {turn}"))
    options = stream.get_messages_metadata(stream.messages[0])["branch_options"]
    assert len(options) == 2
    return stream.thread_id, options


def count_history_reads(stream: ThreadStream) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    original = stream.client.threads.get_history

    async def counted(thread_id: str, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return await original(thread_id, **kwargs)

    stream.client.threads.get_history = counted  # type: ignore[method-assign]
    return calls


async def test_older_pages_bring_the_first_messages_switcher(make_stream, forked):
    thread_id, options = forked
    stream: ThreadStream = make_stream(thread_id=thread_id, fetch_state_history=WINDOW)
    reads = count_history_reads(stream)
    await stream.load()
    first = stream.messages[0]
    assert first["content"] == "hi"
    assert stream.get_messages_metadata(first)["branch_options"] is None
    assert first["id"] in stream.history_gaps(stream.messages)

    assert await stream.ensure_history(stream.messages, page_size=4)
    meta = stream.get_messages_metadata(first)
    assert meta["branch_options"] == options and meta["branch"] == options[1]  # "2 / 2"
    assert stream.history_gaps(stream.messages) == []
    befores = [call.get("before") for call in reads[1:]]
    assert all(befores) and len(set(befores)) == len(befores)  # each older page read once
    assert await stream.ensure_history(stream.messages)  # nothing more to read
    assert len(reads) == 1 + len(befores)

    stream.set_branch(options[0])
    assert [m["content"] for m in stream.messages] == ["hello", "reply one"]
    stream.set_branch(options[1])
    reads.clear()
    await stream.submit("one more", config=chat_config("last"))
    # The newest page again, plus the states the run wrote beyond it; no older page.
    after_run = [call.get("before") for call in reads]
    assert after_run[0] is None and len(after_run) <= 2
    assert not set(after_run) & set(befores)
    meta = stream.get_messages_metadata(stream.messages[0])
    assert meta["branch_options"] == options  # older pages kept across the run
    assert stream.messages[-1]["content"] == "last"


async def test_loading_a_branch_that_forks_before_the_window(make_stream, forked):
    thread_id, options = forked
    stream: ThreadStream = make_stream(thread_id=thread_id, fetch_state_history=WINDOW)
    stream.set_branch(options[0])  # e.g. from the page URL, before the thread loads
    await stream.load()
    assert [m["content"] for m in stream.messages] == ["hello", "reply one"]
    assert stream.branch == options[0]


async def test_switching_to_an_unknown_branch_reads_older_pages(make_stream, forked):
    thread_id, options = forked
    stream: ThreadStream = make_stream(thread_id=thread_id, fetch_state_history=WINDOW)
    await stream.load()
    assert stream.messages[0]["content"] == "hi"
    stream.set_branch(options[0])
    await wait_for(lambda: stream.branch == options[0])
    assert [m["content"] for m in stream.messages] == ["hello", "reply one"]
    assert stream.error is None


async def test_a_run_longer_than_a_page_joins_onto_the_kept_pages(make_stream, forked):
    thread_id, options = forked
    stream: ThreadStream = make_stream(thread_id=thread_id, fetch_state_history=2)
    await stream.load()
    assert await stream.ensure_history(stream.messages)
    await stream.submit("more", config=chat_config("answer"))  # writes > 2 checkpoints
    meta = stream.get_messages_metadata(stream.messages[0])
    assert meta["branch_options"] == options
    assert [m["content"] for m in stream.messages][-2:] == ["more", "answer"]
    assert stream.history_gaps(stream.messages) == []
