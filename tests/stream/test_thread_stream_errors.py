"""Bad situations end cleanly: server down, unknown ids, rejected requests, lost streams."""

from __future__ import annotations

import asyncio
import json

from agents.server import free_port
from app.sdk import AgentClient
from app.sdk.errors import AgentConnectionError, NotFoundError, RequestValidationError
from app.stream import ThreadStream

from .conftest import chat_config
from .helpers import server_messages, wait_for


async def test_server_down_marks_the_message_failed_and_keeps_it():
    errors: list[BaseException] = []
    stream = ThreadStream("chat", api_url=f"http://127.0.0.1:{free_port()}",
                          on_error=lambda error, run: errors.append(error))
    try:
        await stream.submit("are you there?")
        assert isinstance(stream.error, AgentConnectionError)
        assert not stream.is_loading and len(errors) == 1
        assert [m["content"] for m in stream.messages] == ["are you there?"]
        assert stream.message_status(stream.messages[0]["id"]) == "failed"
    finally:
        await stream.aclose()


async def test_unknown_thread_sets_a_not_found_error(make_stream):
    stream: ThreadStream = make_stream(thread_id="00000000-0000-0000-0000-000000000000")
    await stream.load()
    assert isinstance(stream.error, NotFoundError)
    assert not stream.is_thread_loading and stream.messages == []


async def test_rejected_request_keeps_what_was_shown(make_stream):
    stream: ThreadStream = make_stream()
    await stream.submit("hi", config=chat_config("fine"))
    shown = list(stream.messages)
    await stream.submit("bad", multitask_strategy="bogus")  # the server answers 422
    assert stream.error is not None and not stream.is_loading
    assert stream.messages[:2] == shown  # nothing already shown is lost
    failed = stream.messages[-1]
    assert failed["content"] == "bad" and stream.message_status(failed["id"]) == "failed"
    await stream.submit("again", config=chat_config("ok"))  # recovers
    assert stream.error is None and stream.messages == await server_messages(stream)


async def test_unknown_assistant_is_a_clear_error(make_stream):
    stream: ThreadStream = make_stream("no-such-graph")
    await stream.submit("hi")
    assert isinstance(stream.error, NotFoundError | RequestValidationError)
    assert "no-such-graph" in str(stream.error) or stream.error.status in (404, 422)
    assert not stream.is_loading


async def test_optimistic_message_pending_then_sent_with_the_same_id(make_stream):
    stream: ThreadStream = make_stream()
    statuses: list[str | None] = []
    minted: list[str] = []

    def watch(change):
        if stream.messages and stream.messages[0]["type"] == "human":
            minted.append(stream.messages[0]["id"])
            statuses.append(stream.message_status(stream.messages[0]["id"]))

    stream.subscribe(watch)
    await stream.submit("hello", config=chat_config("hi"))
    assert statuses[0] == "pending" and statuses[-1] == "sent"
    assert len(set(minted)) == 1  # the server echo kept the client-minted id
    assert (await server_messages(stream))[0]["id"] == minted[0]
    assert sum(1 for m in stream.messages if m["type"] == "human") == 1


async def test_thread_deleted_mid_stream_ends_cleanly(make_stream, client):
    stream: ThreadStream = make_stream()
    running = asyncio.create_task(stream.submit(
        "long", config={"configurable": {"tokens": 200, "token_delay": 0.01}}))
    await wait_for(lambda: stream.live_message() is not None)
    shown = len(stream.messages)
    await client.threads.delete(stream.thread_id)
    await asyncio.wait_for(running, 20)
    assert not stream.is_loading
    assert stream.error is not None  # the post-run read cannot find the thread
    assert len(stream.messages) >= shown


async def test_snapshot_round_trips_through_json(make_stream, api_url):
    stream: ThreadStream = make_stream()
    await stream.submit("hi", config=chat_config("there"))
    await stream.submit(None, checkpoint=stream.get_messages_metadata(
        stream.messages[-1])["parent_checkpoint"], config=chat_config("again"))
    data = json.loads(json.dumps(stream.snapshot()))
    async with AgentClient(api_url) as client:
        restored = ThreadStream.restore(data, client=client)
        assert restored.thread_id == stream.thread_id
        assert restored.messages == stream.messages
        assert restored.values == stream.values
        meta = restored.get_messages_metadata(restored.messages[-1])
        assert meta["branch_options"] == stream.get_messages_metadata(
            stream.messages[-1])["branch_options"]
        assert meta["stream_metadata"]["langgraph_node"] == "model"
        restored.set_branch(meta["branch_options"][0])
        assert restored.messages[-1]["content"] == "there"
        await restored.aclose()
