"""The reference hook's own test scenarios, ported to ThreadStream on the real server."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from app.stream import ThreadStream

from .conftest import chat_config
from .helpers import count_calls, server_messages, wait_for

LONG = {"configurable": {"tokens": 150, "token_delay": 0.01}}


async def test_initial_values_shown_then_replaced_by_the_thread(make_stream):
    seed: ThreadStream = make_stream()
    await seed.submit("saved", config=chat_config("stored answer"))
    initial = {"messages": [{"type": "ai", "id": "welcome", "content": "Welcome!"}]}
    stream: ThreadStream = make_stream(thread_id=seed.thread_id, initial_values=initial)
    assert [m["content"] for m in stream.messages] == ["Welcome!"]
    await stream.load()
    assert [m["content"] for m in stream.messages] == ["saved", "stored answer"]
    empty: ThreadStream = make_stream(initial_values=initial)
    assert empty.values["messages"][0]["id"] == "welcome" and not empty.is_loading


async def test_only_needed_stream_modes_are_requested(make_stream):
    stream: ThreadStream = make_stream()
    sent = count_calls(stream.client.runs, "stream")
    await stream.submit("hi", config=chat_config("x"))
    assert sent[0][1]["stream_mode"] == ["values", "messages-tuple"]
    custom: ThreadStream = make_stream(on_custom_event=lambda d, ns, m: None)
    sent = count_calls(custom.client.runs, "stream")
    await custom.submit("hi", config=chat_config("x"), stream_mode=["debug"])
    assert sent[0][1]["stream_mode"] == ["values", "messages-tuple", "custom", "debug"]


async def test_callbacks_created_finish_metadata_and_thread_id(make_stream):
    events: list[tuple[str, object]] = []
    stream: ThreadStream = make_stream(
        on_created=lambda run: events.append(("created", run)),
        on_finish=lambda state, run: events.append(("finish", (state, run))),
        on_thread_id=lambda tid: events.append(("thread", tid)),
        on_metadata_event=lambda data: events.append(("metadata", data)),
        on_update_event=lambda data, ns, mutate: events.append(("update", (data, ns))),
    )
    await stream.submit("hi", config=chat_config("ok"))
    names = [name for name, _ in events]
    assert names[0] == "thread" and events[0][1] == stream.thread_id
    assert names.index("created") < names.index("metadata") < names.index("finish")
    created = dict(events)["created"]
    assert created == {"run_id": stream.run_id, "thread_id": stream.thread_id}
    update = next(v for n, v in events if n == "update")
    assert "model" in update[0] and update[1] == []
    state, run = dict(events)["finish"]
    assert state["values"]["messages"][-1]["content"] == "ok" and run["run_id"] == stream.run_id


async def test_on_stop_mutate_changes_values_and_not_called_on_completion(make_stream):
    calls: list[str] = []

    def on_stop(mutate):
        calls.append("stop")
        mutate({"note": "stopped by user"})

    stream: ThreadStream = make_stream(on_stop=on_stop)
    await stream.submit("short", config=chat_config("done"))
    assert calls == []
    running = asyncio.create_task(stream.submit("long", config=LONG))
    await wait_for(lambda: stream.live_message() is not None)
    await stream.stop()
    await running
    assert calls == ["stop"]
    assert not stream.is_loading and stream.error is None
    assert stream.messages == await server_messages(stream)


async def test_submit_metadata_and_thread_id_create_the_thread(make_stream, client):
    wanted = str(uuid.uuid4())
    stream: ThreadStream = make_stream()
    await stream.submit("hi", config=chat_config("ok"), thread_id=wanted,
                        metadata={"topic": "tests"})
    assert stream.thread_id == wanted
    thread = await client.threads.get(wanted)
    assert thread.metadata["topic"] == "tests"


async def test_stream_metadata_gives_langgraph_node(make_stream):
    stream: ThreadStream = make_stream()
    await stream.submit("hi", config=chat_config("a b c"))
    ai = stream.messages[-1]
    meta = stream.get_messages_metadata(ai)
    assert meta["stream_metadata"]["langgraph_node"] == "model"
    assert meta["message_id"] == ai["id"]
    assert meta["first_seen_state"]["values"]["messages"][-1]["id"] == ai["id"]


@pytest.mark.parametrize("history", [True, False])
async def test_interrupt_from_interrupt_call_cleared_after_resume(make_stream, history):
    stream: ThreadStream = make_stream("question", fetch_state_history=history)
    await stream.submit("hi")
    assert stream.interrupt["value"] == "What is your name?"
    await stream.respond("Ada")
    assert stream.interrupt["value"]["choices"] == ["red", "green", "blue"]
    assert any("Hello, Ada" in m["content"] for m in stream.messages)
    await stream.respond({"choice": "green"})
    assert stream.interrupt is None and stream.interrupts == []
    assert stream.values["colour"] == "green"
    assert stream.messages == await server_messages(stream)


@pytest.mark.parametrize("history", [True, False])
async def test_breakpoint_interrupt_then_continue(make_stream, history):
    stream: ThreadStream = make_stream("pipeline", fetch_state_history=history)
    await stream.submit("go", interrupt_before=["respond"])
    assert stream.interrupts == [{"when": "breakpoint"}]
    assert stream.values["prepared"] is True
    await stream.respond(None)  # continue
    assert stream.interrupts == []
    assert stream.messages[-1]["content"] == 'Pipeline reply to "go".'


async def test_interrupt_inside_a_subgraph(make_stream):
    stream: ThreadStream = make_stream("nested_interrupt")
    await stream.submit("start", stream_subgraphs=True)
    assert stream.interrupt["value"] == "Child graph asks: shall I continue?"
    await stream.respond("yes")
    assert stream.interrupts == []
    assert [m["content"] for m in stream.messages[-2:]] == ["Child got: yes", "Parent finished."]


async def test_several_interrupts_answered_at_once(make_stream):
    stream: ThreadStream = make_stream("parallel_interrupts")
    await stream.submit("start")
    answers = {i["id"]: (3 if isinstance(i["value"], str) else "apple")
               for i in stream.interrupts}
    await stream.respond(answers)
    assert stream.interrupts == [] and stream.error is None
    assert '"alpha": 3' in stream.messages[-1]["content"]


async def test_two_rapid_submits_run_in_order(make_stream):
    stream: ThreadStream = make_stream()
    queue_sizes: list[int] = []
    stream.subscribe(lambda change: queue_sizes.append(len(stream.queue)))
    first = asyncio.create_task(stream.submit("first", config=chat_config("answer one")))
    await wait_for(lambda: stream.run_id is not None)
    second = asyncio.create_task(stream.submit("second", config=chat_config("answer two")))
    await asyncio.gather(first, second)
    assert max(queue_sizes) == 1 and stream.queue == []
    assert [m["content"] for m in stream.messages] == [
        "first", "answer one", "second", "answer two"]
    assert stream.messages == await server_messages(stream)


async def test_queue_entries_cancel_and_cleared_on_switch(make_stream, client):
    stream: ThreadStream = make_stream()
    running = asyncio.create_task(stream.submit("long", config=LONG))
    await wait_for(lambda: stream.run_id is not None)
    queued = [asyncio.create_task(stream.submit(text, config=chat_config("q")))
              for text in ("a", "b")]
    await wait_for(lambda: len(stream.queue) == 2 and all(e["run_id"] for e in stream.queue))
    entries = stream.queue
    assert [e["input"]["messages"][0]["content"] for e in entries] == ["a", "b"]
    assert await stream.cancel_queued(entries[0]["run_id"])
    assert [e["run_id"] for e in stream.queue] == [entries[1]["run_id"]]
    cancelled = await client.runs.get(stream.thread_id, entries[0]["run_id"])
    await stream.switch_thread(None)
    assert stream.queue == [] and stream.messages == []
    await asyncio.gather(running, *queued)
    assert cancelled.status in ("pending", "interrupted")


async def test_switch_thread_and_to_none_clears_messages(make_stream):
    stream: ThreadStream = make_stream()
    await stream.submit("one", config=chat_config("first"))
    first = stream.thread_id
    await stream.switch_thread(None)
    assert stream.messages == [] and stream.thread_id is None and stream.history == []
    await stream.submit("two", config=chat_config("second"))
    assert stream.thread_id != first
    await stream.switch_thread(first)
    assert [m["content"] for m in stream.messages] == ["one", "first"]


async def test_history_limit_sent_as_given(make_stream):
    stream: ThreadStream = make_stream(fetch_state_history=3)
    calls = count_calls(stream.client.threads, "get_history")
    await stream.submit("hi", config=chat_config("ok"))
    assert calls[0][1]["limit"] == 3
    assert len(stream.history) == 3


async def test_per_submit_on_error_when_the_graph_fails(make_stream):
    errors: list[tuple[BaseException, dict]] = []
    stream: ThreadStream = make_stream(
        "failing", on_error=lambda error, run: errors.append((error, run)))
    await stream.submit("break", config={"configurable": {"token_delay": 0.005}})
    assert not stream.is_loading
    assert "demo failure" in str(stream.error)
    assert len(errors) == 1 and errors[0][1]["run_id"] == stream.run_id
    assert stream.messages[0]["content"] == "break"  # nothing shown is lost
    assert stream.messages == await server_messages(stream)
    assert stream.interrupts == []  # a failed task is not a breakpoint


async def test_interrupt_strategy_aborts_the_local_stream_first(make_stream, client):
    stream: ThreadStream = make_stream()
    first = asyncio.create_task(stream.submit("long", config=LONG))
    await wait_for(lambda: stream.live_message() is not None)
    first_run = stream.run_id
    await stream.submit("instead", config=chat_config("new answer"),
                        multitask_strategy="interrupt")
    await first
    assert stream.error is None and not stream.is_loading and stream.queue == []
    assert stream.messages[-1]["content"] == "new answer"
    assert stream.messages == await server_messages(stream)
    assert (await client.runs.get(stream.thread_id, first_run)).status == "interrupted"


async def test_two_submits_at_once_on_a_new_thread_share_it(make_stream):
    stream: ThreadStream = make_stream()
    await asyncio.gather(stream.submit("one", config=chat_config("r1")),
                         stream.submit("two", config=chat_config("r2")))
    assert stream.error is None and not stream.is_loading
    assert [m["content"] for m in stream.messages] == ["one", "r1", "two", "r2"]
