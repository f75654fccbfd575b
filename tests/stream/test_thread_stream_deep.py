"""ThreadStream with the real `deep` agent on the test server: its plan, files, subagents,
reasoning and usage as plain data, live and after a reload; saving a file; and the stream
modes asked for (subgraphs and `tasks` for the deep agent only)."""

from __future__ import annotations

from typing import Any

import pytest

from app.stream import ThreadStream
from app.stream.listeners import ACTIVITY
from app.stream.reasoning import answer_text
from app.stream.thread_activity import WAITING, FileEditRefused

from .helpers import count_calls

ASK = "Write a short report on tide pools."
FAST = {"configurable": {"token_delay": 0.003}}
APPROVE = {"decisions": [{"type": "approve"}]}


async def test_plan_files_and_subagents_stream_live_and_apart(make_stream):
    stream: ThreadStream = make_stream("deep")
    sent = count_calls(stream.client.runs, "stream")
    seen: dict[str, Any] = {"progress": [], "running": 0, "main": []}

    def watch(change: Any) -> None:
        progress = stream.todo_progress
        step = (progress["completed"], progress["total"])
        if progress["total"] and (not seen["progress"] or seen["progress"][-1] != step):
            seen["progress"].append(step)
        running = [s for s in stream.subagents if s["status"] == "running"]
        seen["running"] = max(seen["running"], len(running))
        if change.scope == ACTIVITY:
            seen["main"].append([m["id"] for m in stream.messages])

    stream.subscribe(watch)
    await stream.submit(ASK, config=FAST)
    body = sent[0][1]
    assert body["stream_subgraphs"] is True and "tasks" in body["stream_mode"]
    assert seen["progress"] == [(0, 4), (2, 4)]
    assert seen["running"] == 2  # both subagents ran at once
    subagents = stream.subagents
    assert [(s["subagent_type"], s["status"], s["link"]) for s in subagents] == [
        ("researcher", "done", "task_event"), ("analyst", "done", "task_event")]
    for subagent, heading in zip(subagents, ["Facts about", "Numbers about"], strict=True):
        texts = [m["content"] for m in subagent["messages"] if m["type"] == "ai"]
        assert texts[-1].startswith(f"{heading} tide pools")
        assert subagent["result"] == texts[-1]
    subagent_ids = {m["id"] for s in subagents for m in s["messages"]}
    assert seen["main"] and all(not subagent_ids & set(ids) for ids in seen["main"])
    assert not any(answer_text(m).startswith(("Facts about", "Numbers about", "Looking up"))
                   for m in stream.messages if m["type"] == "ai")
    assert stream.subagents_of(subagents[0]["ai_message_id"]) == subagents
    assert list(stream.files) == ["/report.md"]
    assert stream.files["/report.md"]["text"].endswith("Status: draft\n")
    assert stream.interrupt is not None
    assert stream.file_edit_blocked() == WAITING
    with pytest.raises(FileEditRefused):
        await stream.save_file("/report.md", "too early")


async def test_reasoning_usage_and_timing_live_and_after_a_reload(make_stream):
    stream: ThreadStream = make_stream("deep")
    thinking: list[bool] = []

    def watch(change: Any) -> None:
        live = stream.live_message()
        if live is not None and change.message_id:
            thinking.append(stream.reasoning(live)["thinking"])

    stream.subscribe(watch)
    await stream.submit(ASK, config=FAST)
    await stream.respond(APPROVE, config=FAST)
    assert thinking[0] is True and thinking[-1] is False  # thought, then answered
    answers = [m for m in stream.messages if m["type"] == "ai"]
    first, final = answers[0], answers[-1]
    plan = stream.reasoning(first)
    assert plan["text"].startswith("The user wants a report on tide pools.")
    assert plan["seconds"] > 0 and not plan["thinking"]
    usage = stream.usage(final)
    assert usage["tokens"]["output_tokens"] > 0 and usage["time_to_first_token"] > 0
    assert usage["tokens_per_second"] > 0
    totals = stream.thread_usage
    assert totals["answers"] == len(answers)
    assert totals["output_tokens"] == sum(stream.usage(m)["tokens"]["output_tokens"]
                                          for m in answers)
    reopened: ThreadStream = make_stream("deep")
    await reopened.switch_thread(stream.thread_id)
    assert reopened.reasoning(first["id"]) == {**plan, "seconds": round(plan["seconds"], 3)}
    again = reopened.usage(final["id"])
    assert again["tokens"] == usage["tokens"]
    assert again["time_to_first_token"] == round(usage["time_to_first_token"], 3)
    assert reopened.todo_progress["completed"] == 4
    assert [(s["subagent_type"], s["status"]) for s in reopened.subagents] == [
        ("researcher", "done"), ("analyst", "done")]
    assert reopened.subagents[1]["result"].startswith("Numbers about tide pools")


async def test_a_saved_file_round_trips(make_stream):
    stream: ThreadStream = make_stream("deep")
    await stream.submit(ASK, config=FAST)
    await stream.respond(APPROVE, config=FAST)
    text = stream.files["/report.md"]["text"].replace("reviewed", "edited by hand")
    await stream.save_file("/report.md", text)
    assert stream.files["/report.md"]["text"] == text
    state = await stream.client.threads.get_state(stream.thread_id)
    saved = state.values["files"]["/report.md"]
    assert saved["content"] == text and saved["encoding"] == "utf-8"
    assert answer_text(stream.messages[-1]).startswith("The report on tide pools is ready")


async def test_other_graphs_do_not_stream_subgraphs(make_stream):
    stream: ThreadStream = make_stream("chat")
    sent = count_calls(stream.client.runs, "stream")
    await stream.submit("hi", config={"configurable": {"reply": "hello", "token_delay": 0}})
    assert "stream_subgraphs" not in sent[0][1]
    assert sent[0][1]["stream_mode"] == ["values", "messages-tuple"]
    assert stream.subagents == [] and stream.todos == [] and stream.files == {}
    assert stream.usage(stream.messages[-1])["tokens"] is None
