"""`deep` on the real server: todos, files, two parallel subagents, the approval of an
edit, reasoning in four wire formats and usage, read with app.sdk and the pure
app.stream helpers (reasoning, usage, subagents, deep_values)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.sdk import AgentClient, RequestValidationError, StreamPart
from app.stream.chunks import ChunkAccumulator
from app.stream.deep_values import file_update, normalize_files, normalize_todos, todo_progress
from app.stream.namespaces import is_subagent_namespace, subagent_key
from app.stream.reasoning import ReasoningLog, answer_text, reasoning_text
from app.stream.subagents import SubagentTracker
from app.stream.usage import timing, usage_of
from tests.sdk.conftest import settled_thread_status

MODES = ("values", "messages-tuple", "updates")
DELAY = 0.003
ASK = "Write a short report on tide pools."
PLAN_REASONING = (
    "The user wants a report on tide pools. I will plan the work, let two subagents "
    "research in parallel, write the report, then have it reviewed."
)
APPROVE = {"resume": {"decisions": [{"type": "approve"}]}}


@dataclass
class Recorded:
    """A run's stream parts, each with the monotonic time it arrived."""

    started_at: float
    parts: list[tuple[float, StreamPart]] = field(default_factory=list)

    def of(self, mode: str, root: bool | None = None) -> list[tuple[float, StreamPart]]:
        return [
            (at, p) for at, p in self.parts
            if p.mode == mode and (root is None or (p.namespace == ()) is root)
        ]

    def values(self) -> list[dict[str, Any]]:
        return [p.data for _, p in self.of("values", root=True)]

    def interrupts(self) -> list[dict[str, Any]]:
        return [i for _, p in self.of("updates", root=True)
                if isinstance(p.data, dict) for i in p.data.get("__interrupt__", [])]


async def record(client: AgentClient, thread_id: str, fmt: str = "standard",
                 modes: tuple[str, ...] = MODES, **body: Any) -> Recorded:
    config = {"configurable": {"token_delay": DELAY, "reasoning_format": fmt}}
    recorded = Recorded(started_at=time.monotonic())
    stream = client.runs.stream(thread_id, "deep", stream_mode=modes, stream_subgraphs=True,
                                config=config, **body)
    async for part in stream:
        recorded.parts.append((time.monotonic(), part))
    return recorded


def ask(text: str) -> dict[str, Any]:
    return {"messages": [{"type": "human", "content": text}]}


@dataclass
class Flow:
    thread_id: str
    first: Recorded
    resumed: Recorded
    follow_up: Recorded
    waiting: dict[str, Any]  # GET state while the approval waits
    finished: dict[str, Any]  # GET state after the resumed run
    status_waiting: str
    status_finished: str


@pytest.fixture(scope="module")
async def client(api_url: str) -> AsyncIterator[AgentClient]:
    async with AgentClient(api_url, timeout=30.0) as agent_client:
        yield agent_client


@pytest.fixture(scope="module")
async def flow(client: AgentClient) -> Flow:
    """One whole conversation: ask, approve the edit, then a follow-up message."""
    thread = (await client.threads.create()).thread_id
    first = await record(client, thread, input=ask(ASK))
    status_waiting = await settled_thread_status(client, thread)
    waiting = (await client.threads.get_state(thread)).model_dump()
    resumed = await record(client, thread, command=APPROVE)
    status_finished = await settled_thread_status(client, thread)
    finished = (await client.threads.get_state(thread)).model_dump()
    follow_up = await record(client, thread, input=ask("Thanks! Is it long?"))
    return Flow(thread, first, resumed, follow_up, waiting, finished, status_waiting,
                status_finished)


def track(*runs: Recorded) -> SubagentTracker:
    tracker = SubagentTracker()
    for run in runs:
        for at, part in run.parts:
            tracker.add(part.namespace, part.mode, part.data, at)
    return tracker


# -- plan and files ---------------------------------------------------------------


def test_todos_are_written_then_updated_as_the_agent_works(flow: Flow) -> None:
    seen: list[tuple[int, int]] = []
    for values in flow.first.values() + flow.resumed.values():
        progress = todo_progress(normalize_todos(values.get("todos")))
        step = (progress["completed"], progress["in_progress"])
        if progress["total"] and (not seen or seen[-1] != step):
            seen.append(step)
    assert seen == [(0, 2), (2, 1), (3, 1), (4, 0)]
    todos = normalize_todos(flow.finished["values"]["todos"])
    assert [t["content"] for t in todos] == [
        "Research tide pools (researcher subagent)",
        "Collect numbers on tide pools (analyst subagent)",
        "Write /report.md",
        "Review and finalize the report",
    ]


def test_the_report_is_written_then_edited_after_approval(flow: Flow) -> None:
    draft = normalize_files(flow.waiting["values"]["files"])["/report.md"]
    assert draft["text"].startswith("# Report: tide pools\n")
    assert "Facts about tide pools:" in draft["text"]
    assert "Numbers about tide pools:" in draft["text"]
    assert draft["text"].endswith("Status: draft\n")
    final = normalize_files(flow.finished["values"]["files"])["/report.md"]
    assert final["text"] == draft["text"].replace("Status: draft", "Status: reviewed")
    assert final["created_at"] == draft["created_at"]
    assert final["modified_at"] > draft["modified_at"]
    assert final["size"] == len(final["text"].encode())


# -- subagents --------------------------------------------------------------------


def test_two_subagents_stream_at_once_under_their_own_namespaces(flow: Flow) -> None:
    tokens: dict[str, list[tuple[float, str]]] = {}
    agents: dict[str, set[str]] = {}
    for at, part in flow.first.of("messages", root=False):
        message, metadata = part.data
        key = subagent_key(part.namespace)
        assert part.namespace == (key,) and key.startswith("tools:")
        assert part.event == f"messages|{key}"
        assert metadata["checkpoint_ns"] == key
        agents.setdefault(key, set()).add(metadata["lc_agent_name"])
        if message["type"] == "AIMessageChunk" and answer_text(message):
            tokens.setdefault(key, []).append((at, answer_text(message)))
    assert len(tokens) == 2
    assert sorted(next(iter(names)) for names in agents.values()) == ["analyst", "researcher"]
    (a_first, a_last), (b_first, b_last) = [(ts[0][0], ts[-1][0]) for ts in tokens.values()]
    assert a_first < b_last and b_first < a_last  # their streams overlap in time


def test_subagent_tokens_never_reach_the_main_answer(flow: Flow) -> None:
    main_text = "".join(
        answer_text(p.data[0]) for _, p in flow.first.of("messages", root=True)
        if p.data[0]["type"] == "AIMessageChunk"
    )
    assert main_text == (
        "Here is my plan.I will ask two subagents to work in parallel."
        "Both subagents answered. Writing /report.md.Marking the report as reviewed."
    )
    for _, part in flow.first.of("messages", root=True):
        assert not is_subagent_namespace(part.namespace)
        if part.data[0]["type"] == "AIMessageChunk":
            assert part.data[1]["lc_agent_name"] == "deep"


def test_tracker_routes_each_subagent_and_links_it_to_its_task_call(flow: Flow) -> None:
    tracker = track(flow.first)
    task_results = {
        m["tool_call_id"]: m["content"] for m in flow.waiting["values"]["messages"]
        if m["type"] == "tool" and m["name"] == "task"
    }
    subagents = tracker.snapshot()
    assert [s["subagent_type"] for s in subagents] == ["researcher", "analyst"]
    for subagent, tool, heading in zip(subagents, ["web_search", "get_statistics"],
                                       ["Facts about", "Numbers about"], strict=True):
        assert subagent["status"] == "done"
        assert subagent["link"] == "description"  # the subagent's values came first
        assert subagent["result"] == task_results[subagent["id"]]
        kinds = [m["type"] for m in subagent["messages"]]
        assert kinds == ["human", "ai", "tool", "ai"]
        human, thought, result, answer = subagent["messages"]
        assert human["content"] == subagent["description"]
        assert thought["tool_calls"][0]["name"] == tool
        assert reasoning_text(thought).endswith(f"the {tool} tool has it.")
        assert result["name"] == tool
        assert answer_text(answer).startswith(f"{heading} tide pools:")
        assert answer_text(answer) == subagent["result"]
        assert subagent["started_at"] < subagent["ended_at"]
    assert subagents[0]["ai_message_id"] == subagents[1]["ai_message_id"]


async def test_tasks_mode_links_namespaces_exactly(client: AgentClient) -> None:
    thread = (await client.threads.create()).thread_id
    run = await record(client, thread, modes=("tasks", "messages-tuple"), input=ask(ASK))
    tracker = track(run)
    subagents = tracker.snapshot()
    assert [(s["subagent_type"], s["link"], s["status"]) for s in subagents] == [
        ("researcher", "task_event", "done"), ("analyst", "task_event", "done")]
    starts = {p.data["id"]: p.data["input"] for _, p in run.of("tasks", root=True)
              if p.data.get("name") == "tools" and "input" in p.data}
    for subagent in subagents:
        task_id = subagent["namespace"].removeprefix("tools:")
        assert starts[task_id] == [{"name": "task", "args": {
            "description": subagent["description"],
            "subagent_type": subagent["subagent_type"]}, "id": subagent["id"],
            "type": "tool_call"}]


# -- approval ---------------------------------------------------------------------


def test_the_edit_waits_for_approval_with_a_v1_hitl_request(flow: Flow) -> None:
    (announced,) = flow.first.interrupts()
    assert announced["value"] == {
        "action_requests": [{
            "name": "edit_file",
            "args": {"file_path": "/report.md", "old_string": "Status: draft",
                     "new_string": "Status: reviewed"},
            "description": "Edit **/report.md**: replace `Status: draft` with "
                           "`Status: reviewed`.",
        }],
        "review_configs": [{"action_name": "edit_file",
                            "allowed_decisions": ["approve", "edit", "reject"]}],
    }
    assert flow.status_waiting == "interrupted"
    pending = [i for task in flow.waiting["tasks"] for i in task["interrupts"]]
    assert [i["id"] for i in pending] == [announced["id"]]


def test_approving_continues_to_the_final_answer(flow: Flow) -> None:
    assert flow.status_finished == "idle"
    final = flow.resumed.values()[-1]["messages"][-1]
    assert answer_text(final) == (
        "The report on tide pools is ready in `/report.md`. It combines facts from the "
        "researcher and numbers from the analyst. The review edit was approved and applied."
    )


async def test_rejecting_keeps_the_draft_and_a_saved_edit_lands_in_state(
    client: AgentClient,
) -> None:
    thread = (await client.threads.create()).thread_id
    await record(client, thread, input=ask("Write a short report on owls."))
    decision = {"type": "reject", "message": "Not yet."}
    run = await record(client, thread, command={"resume": {"decisions": [decision]}})
    assert "The review edit was not applied" in answer_text(run.values()[-1]["messages"][-1])
    assert await settled_thread_status(client, thread) == "idle"
    state = await client.threads.get_state(thread)
    files = state.values["files"]
    assert normalize_files(files)["/report.md"]["text"].endswith("Status: draft\n")
    # The user edits the file in the UI and saves it back in the agent's own shape.
    text = normalize_files(files)["/report.md"]["text"].replace("draft", "edited by hand")
    now = "2030-01-01T00:00:00+00:00"
    await client.threads.update_state(thread, file_update(files, "/report.md", text, now))
    saved = (await client.threads.get_state(thread)).values["files"]["/report.md"]
    assert saved == {"content": text, "encoding": "utf-8",
                     "created_at": files["/report.md"]["created_at"], "modified_at": now}


# -- reasoning and usage ----------------------------------------------------------


def test_final_answer_has_reasoning_and_usage(flow: Flow) -> None:
    acc = ChunkAccumulator()
    answer_id = None
    first_at = last_at = None
    for at, part in flow.resumed.of("messages", root=True):
        message = part.data[0]
        if message["type"] != "AIMessageChunk":
            continue
        acc.add(message, part.data[1])
        answer_id = message["id"]
        if answer_text(message) or reasoning_text(message):
            first_at = first_at or at
            last_at = at
    streamed = acc.get(answer_id)
    assert reasoning_text(streamed).startswith("Every todo is completed.")
    usage = usage_of(streamed)
    assert usage.output_tokens > usage.reasoning_tokens > 0
    assert usage.input_tokens > 0
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    # Streamed values carry usage_metadata; GET state has it in additional_kwargs.
    in_values = flow.resumed.values()[-1]["messages"][-1]
    assert in_values["id"] == answer_id
    assert in_values["usage_metadata"] is not None
    stored = flow.finished["values"]["messages"][-1]
    assert stored["id"] == answer_id
    assert stored["usage_metadata"] is None
    assert usage_of(stored) == usage_of(in_values) == usage
    speed = timing(first_at, last_at, flow.resumed.started_at, usage.output_tokens)
    assert 0 < speed.time_to_first_token < 30
    assert speed.tokens_per_second > 0


def test_a_follow_up_gets_a_short_answer(flow: Flow) -> None:
    last = flow.follow_up.values()[-1]
    answer = last["messages"][-1]
    assert answer_text(answer) == (
        'You said: "Thanks! Is it long?". The report on tide pools is in `/report.md`; '
        "ask me to redo it in a new thread."
    )
    assert reasoning_text(answer).startswith("A follow-up question")
    assert not answer["tool_calls"]
    assert usage_of(answer).output_tokens > 0
    assert not flow.follow_up.of("messages", root=False)  # no subagent this time


FIRST_BLOCK = {
    "standard": {"type": "reasoning", "reasoning": "The ", "index": 0},
    "anthropic": {"type": "thinking", "thinking": "The ", "index": 0},
    "openai": {"type": "reasoning", "index": 0,
               "summary": [{"type": "summary_text", "text": "The ", "index": 0}]},
}


@pytest.mark.parametrize("fmt", ["standard", "anthropic", "openai", "reasoning_content"])
async def test_reasoning_arrives_in_each_format(client: AgentClient, fmt: str) -> None:
    thread = (await client.threads.create()).thread_id
    run = await record(client, thread, fmt=fmt, modes=("values", "messages-tuple"),
                       input=ask(ASK))
    acc, log = ChunkAccumulator(), ReasoningLog()
    chunks = [(at, p.data[0]) for at, p in run.of("messages", root=True)
              if p.data[0]["type"] == "AIMessageChunk"]
    plan_id = chunks[0][1]["id"]
    for at, message in chunks:
        if message["id"] == plan_id:
            acc.add(message)
            log.add(message, at)
    first = chunks[0][1]
    if fmt == "reasoning_content":
        assert (first["content"], first["additional_kwargs"]) == ("", {"reasoning_content": "The "})
    else:
        block = {k: v for k, v in first["content"][0].items() if k != "id"}
        assert block == FIRST_BLOCK[fmt]
    plan = log.with_reasoning(acc.get(plan_id))
    assert reasoning_text(plan) == PLAN_REASONING
    assert answer_text(plan) == "Here is my plan."
    span = log.span(plan_id)
    assert span.started_at is not None and span.seconds() > 0
    stored = next(m for m in run.values()[-1]["messages"] if m["id"] == plan_id)
    assert reasoning_text(stored) == PLAN_REASONING
    assert answer_text(stored) == "Here is my plan."
    # The subagents think in the same format.
    subagent_first = [p.data[0] for _, p in run.of("messages", root=False)][0]
    assert reasoning_text(subagent_first) == "I "


# -- stream modes -----------------------------------------------------------------


async def test_the_tools_stream_mode_is_not_offered(client: AgentClient) -> None:
    spec = await client.transport.request_json("GET", "/openapi.json")
    schema = spec["components"]["schemas"]["RunCreateStateful"]["properties"]["stream_mode"]
    offered = set(schema["anyOf"][0]["items"]["enum"])
    assert "tools" not in offered and {"values", "messages-tuple", "tasks"} <= offered
    thread = (await client.threads.create()).thread_id
    with pytest.raises(RequestValidationError) as failed:
        await record(client, thread, modes=("tools", "values"), input=ask(ASK))
    assert failed.value.status == 422


async def test_saving_a_file_while_the_approval_waits_hides_the_interrupt(
    client: AgentClient,
) -> None:
    """Measured server behaviour the UI must respect: `update_state` during the approval
    writes a checkpoint whose pending task has no interrupt any more (the thread still
    says `interrupted`, but neither its `interrupts` nor the state's tasks list one).
    Resuming with the decision still works, and the agent's edit lands on top."""
    thread = (await client.threads.create()).thread_id
    first = await record(client, thread, input=ask("Write a short report on bees."))
    assert len(first.interrupts()) == 1
    files = (await client.threads.get_state(thread)).values["files"]
    text = normalize_files(files)["/report.md"]["text"] + "Note.\n"
    now = "2030-01-01T00:00:00+00:00"
    await client.threads.update_state(thread, file_update(files, "/report.md", text, now))
    state = await client.threads.get_state(thread)
    info = await client.threads.get(thread)
    assert info.status == "interrupted" and info.interrupts == {}
    assert state.next == ["HumanInTheLoopMiddleware.after_model"]
    assert [task.interrupts for task in state.tasks] == [[]]
    run = await record(client, thread, command=APPROVE)
    assert "approved and applied" in answer_text(run.values()[-1]["messages"][-1])
    assert await settled_thread_status(client, thread) == "idle"
    final = (await client.threads.get_state(thread)).values["files"]
    assert normalize_files(final)["/report.md"]["text"].endswith("Status: reviewed\nNote.\n")
