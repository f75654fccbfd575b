"""The 12 known useStream bugs (usestream-behaviour.md), each checked on the real server."""

from __future__ import annotations

import asyncio

from app.stream import ThreadStream, branches, chunks

from .conftest import chat_config
from .helpers import count_calls, server_messages, wait_for

LONG = {"configurable": {"tokens": 150, "token_delay": 0.01}}


async def test_bug_01_switching_threads_mid_stream_shows_no_stale_messages(make_stream):
    stream: ThreadStream = make_stream()
    await stream.submit("first thread", config=chat_config("done"))
    other_thread = stream.thread_id
    other_messages = list(stream.messages)
    await stream.switch_thread(None)
    running = asyncio.create_task(stream.submit("long one", config=LONG))
    await wait_for(lambda: stream.live_message() is not None)
    await stream.switch_thread(other_thread)
    assert stream.messages == other_messages
    await asyncio.sleep(0.4)  # the old run keeps streaming on the server
    await running
    assert stream.thread_id == other_thread
    assert stream.messages == other_messages
    assert not stream.is_loading


async def test_bug_02_rejoin_on_load_ends_with_server_state(make_stream, client):
    stream: ThreadStream = make_stream()
    await stream.submit("turn one", config=chat_config("first answer"))
    thread_id = stream.thread_id
    run = await client.runs.create(
        thread_id, "chat", input={"messages": [{"type": "human", "content": "turn two"}]},
        config=LONG, stream_resumable=True, stream_mode=["values", "messages-tuple"],
    )
    fresh: ThreadStream = make_stream(thread_id=thread_id)  # a page reload
    await fresh.load()
    await fresh.join_stream(run.run_id)
    assert not fresh.is_loading and fresh.error is None
    assert fresh.messages == await server_messages(fresh)
    assert [m["type"] for m in fresh.messages] == ["human", "ai", "human", "ai"]


async def test_bug_03_replay_does_not_double_text_or_break_tool_json(make_stream):
    stream: ThreadStream = make_stream("slow_tool")
    await stream.submit("write it", stream_resumable=True)
    final = {m["id"]: m for m in stream.messages}
    run_id = stream.run_id
    longest: dict[str, int] = {}

    def watch(change):
        live = stream.live_message()
        if live is not None:
            longest[live["id"]] = max(longest.get(live["id"], 0), len(str(live["content"])))
            for call in live.get("tool_calls") or ():
                assert isinstance(call["args"], dict)

    stream.subscribe(watch)
    await stream.join_stream(run_id, "-1")  # replay the whole run into held chunks
    assert longest, "the replay streamed messages"
    for message_id, length in longest.items():
        assert length <= len(str(final[message_id]["content"])), "text doubled on replay"
    calls = [c for m in stream.messages for c in m.get("tool_calls") or ()]
    assert calls and calls[0]["args"]["title"]
    assert stream.messages == await server_messages(stream)


async def test_bug_04_interrupt_only_values_keep_messages(make_stream):
    stream: ThreadStream = make_stream("question")
    at_interrupt: list[int] = []

    def watch(change):
        if stream.is_loading and stream.interrupts:
            at_interrupt.append(len(stream.messages))

    stream.subscribe(watch)
    await stream.submit("hi")
    assert at_interrupt and min(at_interrupt) >= 1
    assert [m["type"] for m in stream.messages] == ["human"]
    assert stream.interrupt["value"] == "What is your name?"


async def test_bug_05_remove_message_is_applied(make_stream):
    stream: ThreadStream = make_stream("remover", fetch_state_history=False)
    await stream.submit("one")
    await stream.submit("two", config={"configurable": {"keep": 2}})
    assert [m["type"] for m in stream.messages] == ["human", "ai"]
    assert stream.messages[0]["content"] == "two"
    assert stream.messages == await server_messages(stream)
    await stream.submit("three", config={"configurable": {"remove_all": True}})
    assert [m["content"] for m in stream.messages] == ["History cleared."]


async def test_submitting_a_remove_entry_never_shows_it(make_stream):
    """A RemoveMessage in the input hides its message at once and is never shown itself
    (it used to replace the message it removes as a pending "remove" entry)."""
    stream: ThreadStream = make_stream()
    await stream.submit("first", config=chat_config("first answer"))
    answer = stream.messages[-1]["id"]
    seen: list[list[str]] = []
    stream.subscribe(lambda change: seen.append([m["type"] for m in stream.messages]))
    await stream.submit({"messages": [{"type": "remove", "id": answer, "content": ""}, "second"]},
                        config=chat_config("second answer"))
    assert all("remove" not in types for types in seen)
    assert seen[0] == ["human", "human"]  # removed at once, the new question pending
    assert [m["content"] for m in stream.messages] == ["first", "second", "second answer"]
    assert stream.messages == await server_messages(stream)


async def test_bug_06_subgraph_values_never_overwrite_root_and_reach_join(make_stream, client):
    custom: list[tuple[object, list[str]]] = []
    stream: ThreadStream = make_stream(
        "nested", on_custom_event=lambda data, ns, mutate: custom.append((data, ns)))
    steps: list[object] = []
    stream.subscribe(lambda change: steps.append(stream.values.get("step")))
    await stream.submit("go", stream_subgraphs=True)
    seen = [s for s in steps if s is not None]
    first = steps.index(seen[0])
    assert all(s is not None for s in steps[first:]), "a subgraph values event hid root values"
    assert stream.values["step"] == "finished"
    assert [d["progress"] for d, _ in custom] == [1, 2, 3]
    assert all(ns and ns[0].startswith("child:") for _, ns in custom)
    # joining a run with subgraph events delivers them with their namespace too
    custom.clear()
    run = await client.runs.create(
        stream.thread_id, "nested", input={"messages": [{"type": "human", "content": "again"}]},
        stream_subgraphs=True, stream_resumable=True,
        stream_mode=["values", "messages-tuple", "custom"],
    )
    await stream.join_stream(run.run_id)
    assert [d["progress"] for d, _ in custom] == [1, 2, 3]
    assert all(ns[0].startswith("child:") for _, ns in custom)


async def test_bug_07_stop_cancels_the_server_run(make_stream, client):
    stopped: list[object] = []
    finished: list[object] = []
    stream: ThreadStream = make_stream(
        on_stop=lambda mutate: stopped.append(mutate), on_finish=lambda s, r: finished.append(r))
    running = asyncio.create_task(stream.submit("tell me a long story", config=LONG))
    await wait_for(lambda: stream.live_message() is not None)
    run_id = stream.run_id
    await stream.stop()
    await running
    run = await client.runs.get(stream.thread_id, run_id)
    assert run.status == "interrupted"
    thread = await client.threads.get(stream.thread_id)
    assert thread.status != "busy"
    assert stream.error is None and not stream.is_loading
    assert stream.interrupts == []  # no stale breakpoint
    assert stream.messages == await server_messages(stream)  # no phantom partial message
    assert len(stopped) == 1 and callable(stopped[0]) and finished == []


async def test_bug_08_is_loading_true_during_post_run_read_then_false(make_stream):
    stream: ThreadStream = make_stream()
    history_calls = count_calls(stream.client.threads, "get_history")
    flips: list[tuple[int, bool]] = []
    stream.subscribe(lambda change: flips.append((len(history_calls), stream.is_loading)))
    await stream.submit("hi", config=chat_config("ok"))
    assert not stream.is_loading
    assert len(history_calls) == 1
    # once the read was issued, loading stayed true until the last change
    after_read = [loading for calls, loading in flips if calls == 1]
    assert after_read[-1] is False
    assert [loading for calls, loading in flips if calls == 0].count(False) == 0


async def test_bug_09_interrupts_after_parallel_and_foreign_resumes(make_stream):
    stream: ThreadStream = make_stream("parallel_interrupts")
    await stream.submit("start")
    pending = stream.interrupts
    assert len(pending) == 2 and isinstance(stream.interrupt, list)
    first = next(i for i in pending if isinstance(i["value"], str))
    await stream.respond(7, interrupt_id=first["id"])
    remaining = stream.interrupts
    assert len(remaining) == 1 and isinstance(remaining[0]["value"], dict)
    # another client answers the last one; reloading here shows it answered
    other: ThreadStream = make_stream("parallel_interrupts", thread_id=stream.thread_id)
    await other.load()
    await other.respond("pear", interrupt_id=other.interrupts[0]["id"])
    await stream.load()
    assert stream.interrupts == []
    assert '"alpha": 7' in stream.messages[-1]["content"]
    assert '"beta": "pear"' in stream.messages[-1]["content"]


async def test_bug_10_history_fetched_once_per_run_tree_built_once(make_stream, monkeypatch):
    built: list[int] = []
    original = branches.BranchTree.__init__

    def counting_init(self, history):
        built.append(1)
        original(self, history)

    monkeypatch.setattr(branches.BranchTree, "__init__", counting_init)
    stream: ThreadStream = make_stream(fetch_state_history=True)
    history_calls = count_calls(stream.client.threads, "get_history")
    state_calls = count_calls(stream.client.threads, "get_state")
    await stream.submit("hi", config=chat_config(" ".join(["tok"] * 40)))
    assert len(history_calls) == 1 and history_calls[0][1]["limit"] == 10
    assert state_calls == [] and len(built) == 1
    # history off: one GET /state, never the history
    lean: ThreadStream = make_stream(fetch_state_history=False, thread_id=stream.thread_id)
    lean_history = count_calls(lean.client.threads, "get_history")
    lean_state = count_calls(lean.client.threads, "get_state")
    await lean.load()
    await lean.submit("again", config=chat_config("fine"))
    assert lean_history == [] and len(lean_state) == 2


async def test_bug_11_tool_call_json_parsed_lazily(make_stream, monkeypatch):
    parses: list[int] = []
    original = chunks.parse_partial_json

    def counting(text, default=None):
        parses.append(1)
        return original(text, default)

    monkeypatch.setattr(chunks, "parse_partial_json", counting)
    accumulator = chunks.ChunkAccumulator()
    for piece in ['{"content": "', *["word " for _ in range(2000)], '"}']:
        accumulator.add({"type": "AIMessageChunk", "id": "m", "content": "",
                         "tool_call_chunks": [{"index": 0, "args": piece, "id": "c",
                                               "name": "write"}]})
    assert parses == []  # nothing parsed per chunk
    assert accumulator.get("m")["tool_calls"][0]["args"]["content"].startswith("word word")
    assert len(parses) == 1
    # on the real server: a long streamed tool call ends with correct arguments
    stream: ThreadStream = make_stream("slow_tool")
    await stream.submit("write")
    call = next(c for m in stream.messages for c in m.get("tool_calls") or ())
    assert call["args"]["content"].startswith("Paragraph 1")


async def test_bug_12_unsupported_stream_modes_are_not_requested(make_stream):
    tools_seen: list[object] = []
    stream: ThreadStream = make_stream(
        on_tool_event=lambda data, ns, mutate: tools_seen.append(data),
        on_update_event=lambda data, ns, mutate: None,
    )
    sent = count_calls(stream.client.runs, "stream")
    await stream.submit("hi", config=chat_config("fine"))
    assert stream.error is None
    modes = sent[0][1]["stream_mode"]
    assert "tools" not in modes and {"values", "messages-tuple", "updates"} <= set(modes)
    assert [m["type"] for m in stream.messages] == ["human", "ai"]
