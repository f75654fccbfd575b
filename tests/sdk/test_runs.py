"""Background runs, cancel, join with Last-Event-ID and multitask strategies."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from app.sdk import AgentClient, ConflictError, NotFoundError, RunError, RunStream, StreamPart
from tests.sdk.conftest import human, reply_config, settled_run_status, token_text

SLOW = 0.05  # seconds per token: a run that lasts long enough to act on


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n)) + "."


async def _until_tokens(stream: RunStream, count: int) -> list[StreamPart]:
    """Parts up to and including the `count`-th token."""
    parts: list[StreamPart] = []
    async for part in stream:
        parts.append(part)
        if sum(p.mode == "messages" for p in parts) >= count:
            break
    return parts


def _without_overlap(parts: list[StreamPart]) -> list[StreamPart]:
    """The in-memory server can hand over one event twice in a row when a join's replay
    of stored events meets its live feed (same id, same data). Event ids cannot tell
    them apart in general (that server gives every event of a millisecond the id
    "<ms>-0"), so the SDK passes both on; this test's tokens are all different."""
    kept: list[StreamPart] = []
    for part in parts:
        if kept and (part.id, part.data) == (kept[-1].id, kept[-1].data):
            continue
        kept.append(part)
    return kept


async def _until_running(client: AgentClient, thread_id: str, run_id: str) -> None:
    for _ in range(100):
        if (await client.runs.get(thread_id, run_id)).status == "running":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"run {run_id} never started")


async def test_background_run_get_list_and_join_result(client: AgentClient) -> None:
    thread = await client.threads.create()
    run = await client.runs.create(
        thread.thread_id, "chat", input=human("hi"), config=reply_config("Background.")
    )
    assert run.thread_id == thread.thread_id and run.status in ("pending", "running")
    values = await client.runs.join_result(thread.thread_id, run.run_id)
    assert values["messages"][-1]["content"] == "Background."
    assert await settled_run_status(client, thread.thread_id, run.run_id) == "success"
    listed = await client.runs.list(thread.thread_id, status="success")
    assert [r.run_id for r in listed] == [run.run_id]


async def test_wait_returns_final_values(client: AgentClient) -> None:
    thread = await client.threads.create()
    values = await client.runs.wait(
        thread.thread_id, "chat", input=human("hi"), config=reply_config("Waited.")
    )
    assert values["messages"][-1]["content"] == "Waited."


async def test_leaving_the_stream_early_lets_the_run_finish(client: AgentClient) -> None:
    thread = await client.threads.create()
    reply = words(10)
    async with client.runs.stream(
        thread.thread_id,
        "chat",
        input=human("hi"),
        config=reply_config(reply, 0.02),
        stream_mode=["messages-tuple"],
    ) as stream:
        await _until_tokens(stream, 2)
    assert stream.closed and stream.run_id
    assert await settled_run_status(client, thread.thread_id, stream.run_id) == "success"
    state = await client.threads.get_state(thread.thread_id)
    assert state.values["messages"][-1]["content"] == reply


@pytest.mark.parametrize("action", ["interrupt", "rollback"])
async def test_cancel_a_streaming_run(client: AgentClient, action: str) -> None:
    thread = await client.threads.create()
    async with client.runs.stream(
        thread.thread_id,
        "chat",
        input=human("hi"),
        config=reply_config(words(60), SLOW),
        stream_mode=["messages-tuple"],
    ) as stream:
        parts = await _until_tokens(stream, 2)
        await client.runs.cancel(thread.thread_id, stream.run_id, action=action)
        parts += [part async for part in stream]  # the stream just ends, no error
    assert 2 <= sum(p.mode == "messages" for p in parts) < 60
    if action == "interrupt":
        assert await settled_run_status(client, thread.thread_id, stream.run_id) == "interrupted"
    else:
        await asyncio.sleep(0.3)
        with pytest.raises(NotFoundError):
            await client.runs.get(thread.thread_id, stream.run_id)


async def test_cancel_and_wait_a_background_run(client: AgentClient) -> None:
    thread = await client.threads.create()
    run = await client.runs.create(
        thread.thread_id, "chat", input=human("hi"), config=reply_config(words(60), SLOW)
    )
    await asyncio.sleep(0.8)
    await client.runs.cancel(thread.thread_id, run.run_id, wait=True)
    assert (await client.runs.get(thread.thread_id, run.run_id)).status == "interrupted"
    with pytest.raises(NotFoundError):
        await client.runs.cancel(thread.thread_id, str(uuid.uuid4()))


async def test_join_resumes_after_the_last_event_id(client: AgentClient) -> None:
    thread = await client.threads.create()
    reply = words(30)
    async with client.runs.stream(
        thread.thread_id,
        "chat",
        input=human("hi"),
        config=reply_config(reply, 0.03),
        stream_mode=["messages-tuple"],
        stream_resumable=True,
    ) as stream:
        before = await _until_tokens(stream, 5)
    last_id = stream.last_event_id
    assert last_id and before[-1].id == last_id
    await asyncio.sleep(0.2)  # events sent while away are kept for the join
    async with client.runs.join(thread.thread_id, stream.run_id, last_event_id=last_id) as joined:
        assert joined.run_id == stream.run_id
        after = _without_overlap([part async for part in joined])
    assert after[0].id != last_id
    assert token_text(before) + token_text(after) == reply

    replay = client.runs.join(thread.thread_id, stream.run_id, last_event_id="-1")
    everything = [part async for part in replay]
    assert everything[0].event == "metadata"
    assert token_text(everything) == reply


async def test_join_an_unknown_run_raises(client: AgentClient) -> None:
    thread = await client.threads.create()
    # The server answers HTTP 200 with an `error` event; NotFound if it ever sends 404.
    with pytest.raises((RunError, NotFoundError)) as info:
        async for _ in client.runs.join(thread.thread_id, str(uuid.uuid4())):
            pass
    assert "not found" in str(info.value).lower()


async def test_multitask_reject_conflicts_and_enqueue_waits(client: AgentClient) -> None:
    thread = await client.threads.create()
    first = await client.runs.create(
        thread.thread_id, "chat", input=human("one"), config=reply_config(words(20), SLOW)
    )
    await _until_running(client, thread.thread_id, first.run_id)
    with pytest.raises(ConflictError) as info:
        async with client.runs.stream(
            thread.thread_id, "chat", input=human("two"), multitask_strategy="reject"
        ) as stream:
            async for _ in stream:
                pass
    assert info.value.status == 409 and "already running" in str(info.value.detail)

    queued = client.runs.stream(
        thread.thread_id,
        "chat",
        input=human("three"),
        config=reply_config("Queued."),
        multitask_strategy="enqueue",
    )
    parts = [part async for part in queued]
    assert await settled_run_status(client, thread.thread_id, first.run_id) == "success"
    texts = [m["content"] for m in parts[-1].data["messages"]]
    assert texts == ["one", words(20), "three", "Queued."]


async def test_aclose_from_another_task_ends_the_iteration_quietly(client: AgentClient) -> None:
    thread = await client.threads.create()
    stream = client.runs.stream(
        thread.thread_id,
        "chat",
        input=human("hi"),
        config=reply_config(words(60), SLOW),
        stream_mode=["messages-tuple"],
    )
    got_token = asyncio.Event()
    seen: list[StreamPart] = []

    async def consume() -> None:
        async with stream:
            async for part in stream:
                seen.append(part)
                if part.mode == "messages":
                    got_token.set()

    consumer = asyncio.create_task(consume())
    await asyncio.wait_for(got_token.wait(), 5)
    await stream.aclose()
    await asyncio.wait_for(consumer, 2)  # no exception, no hang
    assert stream.closed and 1 <= sum(p.mode == "messages" for p in seen) < 60
    await client.runs.cancel(thread.thread_id, stream.run_id)
