"""ThreadStream's deep-agent data on scripted event streams (a fake client, a fake clock):
subagent tokens routed by namespace and never in the main messages, two subagents
streaming at once kept apart, reasoning per message (blocks merged by index, the
`reasoning_content` deltas kept), usage and timing per answer and for the thread, what
is rebuilt after a reload, the file save refusals, and when subgraphs are asked for."""

from __future__ import annotations

from typing import Any

import pytest

from app.sdk import StreamPart
from app.stream.agent_activity import AgentActivity
from app.stream.answer_log import recorded_answers, with_answers
from app.stream.chunks import ChunkAccumulator
from app.stream.listeners import ACTIVITY
from app.stream.modes import RunModes
from app.stream.subagent_modes import SubgraphPolicy, calls_subagents, graph_tools
from app.stream.thread_activity import BUSY, WAITING, FileEditRefused
from tests.stream.deep_fakes import (
    CALLS,
    HUMAN,
    FakeClient,
    chunk,
    delegation,
    make,
    part,
    root,
)

# -- subagents ----------------------------------------------------------------------


async def test_subagent_tokens_stay_apart_and_out_of_the_main_messages():
    stream, client = make()
    client.runs.scripts = [delegation()]
    scopes: list[str | None] = []
    stream.subscribe(lambda change: scopes.append(change.scope))
    await stream.join_stream("run-1", "-1")
    texts = [m["content"] for m in stream.messages]
    assert not any("Owls" in str(t) or "Numbers" in str(t) for t in texts)
    researcher, analyst = stream.subagents
    assert (researcher["subagent_type"], analyst["subagent_type"]) == ("researcher", "analyst")
    assert [m["content"] for m in researcher["messages"]] == [
        "Find facts about owls.", "Owls hunt at night."]
    assert [m["content"] for m in analyst["messages"]] == [
        "Collect numbers about owls.", "Numbers: 250 species."]
    assert researcher["status"] == analyst["status"] == "done"
    assert researcher["result"] == "Owls hunt at night."
    assert researcher["duration"] == pytest.approx(3.0)  # first event 4.5 s in, result at 7.5
    assert stream.subagents_of("main-1") == stream.subagents
    assert stream.get_subagent("call_a")["namespace"] == "tools:a"
    assert scopes.count(ACTIVITY) == 6  # each subagent event: a scoped change, not a full one


async def test_a_task_call_is_a_subagent_as_soon_as_it_streams():
    stream, client = make()
    seen: dict[str | None, list[str]] = {}
    stream.subscribe(lambda change: seen.setdefault(
        change.message_id, [s["status"] for s in stream.subagents]))
    client.runs.scripts = [delegation()[:1]]
    await stream.join_stream("run-1", "-1")
    assert seen["main-1"] == ["pending", "pending"]  # with the first chunk of the call


async def test_a_replay_from_the_start_does_not_double_subagent_text():
    stream, client = make()
    client.runs.scripts = [delegation(), delegation()]
    await stream.join_stream("run-1", "-1")
    await stream.join_stream("run-1", "-1")
    researcher = stream.get_subagent("call_r")
    assert [m["content"] for m in researcher["messages"]][-1] == "Owls hunt at night."


async def test_after_a_reload_the_calls_and_results_come_from_the_state():
    stream, client = make()
    client.threads.state = {**client.threads.state, "values": {"messages": [
        HUMAN, {"type": "ai", "id": "main-1", "content": "", "tool_calls": CALLS},
        {"type": "tool", "id": "t1", "tool_call_id": "call_r", "content": "Facts.",
         "status": "success"},
        {"type": "tool", "id": "t2", "tool_call_id": "call_a", "content": "Broken.",
         "status": "error"}]}}
    await stream.load()
    assert [(s["subagent_type"], s["status"], s["result"], s["messages"])
            for s in stream.subagents] == [("researcher", "done", "Facts.", []),
                                           ("analyst", "error", "Broken.", [])]


# -- reasoning, usage, timing ------------------------------------------------------------


def finally_stored(client: FakeClient, *messages: dict[str, Any]) -> None:
    """What the server's state holds once the run ended."""
    client.threads.state = {**client.threads.state, "values": {"messages": [HUMAN, *messages]}}


ANSWER = {"type": "ai", "id": "m1", "content": [
    {"type": "reasoning", "reasoning": "Let me think.", "index": 0},
    {"type": "text", "text": "Answer here.", "index": 1}],
    "usage_metadata": {"input_tokens": 10, "output_tokens": 4, "total_tokens": 14}}


def thinking_run() -> list[StreamPart]:
    blocks = [
        chunk("m1", [{"type": "reasoning", "reasoning": "Let me ", "index": 0}]),
        chunk("m1", [{"type": "reasoning", "reasoning": "think.", "index": 0}]),
        chunk("m1", [{"type": "text", "text": "Answer", "index": 1}]),
        chunk("m1", [{"type": "text", "text": " here.", "index": 1}],
              usage_metadata={"input_tokens": 10, "output_tokens": 4, "total_tokens": 14}),
    ]
    return [root(c) for c in blocks]


async def test_reasoning_streams_then_folds_with_its_duration():
    stream, client = make()
    seen: list[dict[str, Any]] = []
    stream.subscribe(lambda change: seen.append(stream.reasoning("m1"))
                     if stream.message("m1") else None)
    client.runs.scripts = [thinking_run()]
    finally_stored(client, ANSWER)
    await stream.join_stream("run-1", "-1")
    assert seen[0] == {"text": "Let me ", "thinking": True, "seconds": None}
    assert seen[1]["text"] == "Let me think." and seen[1]["thinking"]
    assert seen[2] == {"text": "Let me think.", "thinking": False, "seconds": 1.0}
    merged = [b for b in seen if b["text"]][-1]
    assert merged == {"text": "Let me think.", "thinking": False, "seconds": 1.0}
    assert stream.reasoning("m1") == merged  # the stored message, the streamed span


async def test_usage_and_timing_per_answer_and_thread_totals():
    stream, client = make()
    client.runs.scripts = [thinking_run()]
    finally_stored(client, ANSWER)
    await stream.join_stream("run-1", "-1")
    usage = stream.usage("m1")
    assert usage["tokens"]["output_tokens"] == 4 and usage["tokens"]["input_tokens"] == 10
    assert usage["time_to_first_token"] == pytest.approx(0.5)  # joined at 100, token at 100.5
    assert usage["duration"] == pytest.approx(1.5)
    assert usage["tokens_per_second"] == pytest.approx(4 / 1.5)
    assert stream.thread_usage == {"input_tokens": 10, "output_tokens": 4, "total_tokens": 14,
                                   "reasoning_tokens": 0, "cache_read_tokens": 0, "answers": 1}


async def test_reasoning_content_deltas_are_kept_and_the_timing_recorded():
    stream, client = make()
    parts = [root(chunk("m2", "", additional_kwargs={"reasoning_content": text}))
             for text in ("Hmm, ", "owls.")]
    parts.append(root(chunk("m2", "Owls!", usage_metadata={
        "input_tokens": 3, "output_tokens": 2, "total_tokens": 5})))
    client.runs.scripts = [parts]
    finally_stored(client, {"type": "ai", "id": "m2", "content": "Owls!", "additional_kwargs": {
        "reasoning_content": "Hmm, owls."}, "usage_metadata": {"output_tokens": 2}})
    live: list[str] = []
    stream.subscribe(lambda change: live.append(stream.reasoning("m2")["text"])
                     if change.message_id else None)
    await stream.submit("Owls?")
    assert live == ["Hmm, ", "Hmm, owls.", "Hmm, owls."]
    assert stream.reasoning("m2")["text"] == "Hmm, owls."
    accumulated = ChunkAccumulator()
    for item in parts:
        accumulated.add(item.data[0])
    assert accumulated.get("m2")["additional_kwargs"]["reasoning_content"] == "Hmm, owls."
    (entry,) = client.threads.metadata["answers"]
    assert entry == {"id": "m2", "thought_s": 1.0, "ttft_s": 0.5, "tokens_per_s": 2.0,
                     "duration_s": 1.0}


async def test_recorded_timing_stands_in_after_a_reload():
    stream, client = make()
    client.threads.metadata = {"answers": [{"id": "m9", "thought_s": 4.2, "ttft_s": 0.3,
                                            "tokens_per_s": 50.0}]}
    client.threads.state = {**client.threads.state, "values": {"messages": [HUMAN, {
        "type": "ai", "id": "m9", "content": [{"type": "thinking", "thinking": "Hm."},
                                              {"type": "text", "text": "Yes."}]}]}}
    await stream.load()
    assert stream.reasoning("m9") == {"text": "Hm.", "thinking": False, "seconds": 4.2}
    assert stream.usage("m9")["tokens_per_second"] == 50.0


async def test_timing_is_recorded_when_another_thread_opens_as_the_run_ends():
    """The user opens another thread while the ended run's thread is re-read: the read is
    dropped, the answers' timing is still recorded on the thread they belong to."""
    stream, client = make()
    client.runs.scripts = [thinking_run()]
    finally_stored(client, ANSWER)

    async def leave_when_settling(change: Any) -> None:
        if stream.is_settling and stream.thread_id:
            await stream.switch_thread(None)

    stream.subscribe(leave_when_settling)
    await stream.submit("Hi")
    assert stream.thread_id is None and stream.messages == []
    (entry,) = client.threads.metadata["answers"]
    assert entry["id"] == "m1" and entry["thought_s"] > 0 and entry["ttft_s"] > 0


def test_answer_records_keep_one_per_message_and_the_newest():
    kept = [{"id": f"m{i}", "ttft_s": 0.1} for i in range(5)]
    merged = with_answers(kept, [{"id": "m1", "ttft_s": 0.9}, {"id": "m7", "ttft_s": 1}], limit=5)
    assert [e["id"] for e in merged] == ["m2", "m3", "m4", "m1", "m7"]
    assert recorded_answers([*merged, "bad", {"id": 3}, {"id": "x", "ttft_s": -1}]) == {
        e["id"]: {"ttft_s": e["ttft_s"]} for e in merged}


def test_activity_ignores_other_subgraphs_and_counts_versions():
    activity = AgentActivity()
    assert not activity.add("messages", ("child:1",), [chunk("c", "x"), {}], 1.0)
    assert not activity.add("custom", (), {"x": 1}, 1.0)
    assert activity.add("values", (), {"messages": [HUMAN]}, 1.0)
    assert activity.add("messages", ("tools:z",), [chunk("z", "x"), {}], 2.0)
    assert activity.version == 2


# -- saving a file -------------------------------------------------------------------


async def test_saving_a_file_keeps_its_shape_and_is_refused_while_busy_or_waiting():
    stream, client = make()
    files = {"/a.md": {"content": "old", "encoding": "utf-8", "created_at": "t0",
                       "modified_at": "t0"}}
    client.threads.state = {**client.threads.state, "values": {"messages": [HUMAN],
                                                               "files": files}}
    await stream.load()
    await stream.save_file("/a.md", "new text")
    (update, checkpoint), = client.threads.updates
    assert update["files"]["/a.md"]["content"] == "new text"
    assert update["files"]["/a.md"]["created_at"] == "t0"
    assert checkpoint == {"checkpoint_id": "c1"}  # from the shown checkpoint
    stream._is_loading = True
    with pytest.raises(FileEditRefused, match=BUSY):
        await stream.save_file("/a.md", "x")
    stream._is_loading = False
    client.threads.state = {**client.threads.state, "tasks": [
        {"id": "t", "name": "x", "interrupts": [{"id": "i1", "value": "Approve?"}]}],
        "next": ["x"]}
    await stream.load()
    with pytest.raises(FileEditRefused, match=WAITING):
        await stream.save_file("/a.md", "x")
    assert len(client.threads.updates) == 1


# -- asking for subgraphs ---------------------------------------------------------------


async def test_subgraphs_and_tasks_only_for_an_assistant_with_subagents():
    for tools, wanted in ((["task", "write_file"], True), (["search"], False)):
        stream, client = make(tools)
        stream._modes._known = frozenset({"values", "messages-tuple", "tasks"})
        client.runs.scripts = [[]]
        await stream.submit("hi")
        body = client.runs.bodies[0]
        assert body.get("stream_subgraphs", False) is wanted
        assert ("tasks" in body["stream_mode"]) is wanted


async def test_subgraph_policy_falls_back_to_the_thread_and_to_no():
    class NoGraph:
        async def graph(self, assistant_id: str) -> dict:
            raise AttributeError("no graph endpoint")

    client = type("C", (), {"assistants": NoGraph()})()
    policy = SubgraphPolicy()
    assert not await policy.wanted(client, "x")
    with_task = [{"type": "ai", "id": "a", "content": "", "tool_calls": CALLS}]
    assert await policy.wanted(client, "x", with_task)
    assert graph_tools({"nodes": [{"metadata": {"__tools": ["a", "task"]}}, {}]}) == {"a", "task"}
    assert not calls_subagents([HUMAN])


def test_tasks_mode_only_when_the_server_knows_it():
    modes = RunModes([])
    assert modes.for_run(subgraphs=True) == ["values", "messages-tuple"]
    modes._known = frozenset({"values", "messages-tuple", "tasks"})
    assert modes.for_run(subgraphs=True) == ["values", "messages-tuple", "tasks"]
    modes._known = frozenset({"values", "messages-tuple"})
    assert modes.for_run(subgraphs=True) == ["values", "messages-tuple"]


# -- tool progress (`tools` stream mode, when the server offers it) --------------------


async def test_tool_progress_shows_while_a_tool_runs_when_the_server_offers_it():
    stream, client = make(["task"])
    stream._modes._known = frozenset({"values", "messages-tuple", "tasks", "tools"})
    events = [
        part("tools", {"event": "on_tool_start", "tool_call_id": "c1", "name": "search"}),
        part("tools", {"event": "on_tool_event", "tool_call_id": "c1", "data": "10/100"}),
        part("tools", {"event": "on_tool_event", "tool_call_id": "c1",
                       "data": {"done": 50, "of": 100}}),
        part("tools", {"event": "on_tool_end", "tool_call_id": "c1"}),
        part("tools", {"no": "id"}),
    ]
    client.runs.scripts = [events]
    seen: list[list[dict[str, str]]] = []
    stream.subscribe(lambda change: seen.append(stream.tool_progress)
                     if change.scope == ACTIVITY else None)
    await stream.submit("hi")
    assert "tools" in client.runs.bodies[0]["stream_mode"]
    assert seen == [
        [{"id": "c1", "name": "search", "text": ""}],
        [{"id": "c1", "name": "search", "text": "10/100"}],
        [{"id": "c1", "name": "search", "text": '{"done": 50, "of": 100}'}],
        [],
    ]
    assert stream.tool_progress == []


def test_tools_mode_is_never_asked_of_a_server_without_it():
    modes = RunModes([])
    modes._known = frozenset({"values", "messages-tuple", "tasks"})
    assert "tools" not in modes.for_run(subgraphs=True)
    modes._known = frozenset({"values", "messages-tuple", "tasks", "tools"})
    assert "tools" not in modes.for_run()  # only for assistants with subagents


async def test_a_run_replayed_from_its_start_records_no_timing():
    stream, client = make()
    client.runs.scripts = [thinking_run()]
    finally_stored(client, ANSWER)
    await stream.join_stream("run-1", "-1")  # as after a reload: the events come again
    assert "answers" not in client.threads.metadata
    client.runs.scripts = [[root(chunk("m3", "Hi", usage_metadata={"output_tokens": 1}))]]
    finally_stored(client, ANSWER, {"type": "ai", "id": "m3", "content": "Hi",
                                    "usage_metadata": {"output_tokens": 1}})
    await stream.submit("again")
    assert [e["id"] for e in client.threads.metadata["answers"]] == ["m3"]
