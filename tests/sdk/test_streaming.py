"""Run streams against the real Agent Server: modes, namespaces, ids, errors."""

from __future__ import annotations

import pytest

from app.sdk import AgentClient, RunError, StreamPart
from tests.sdk.conftest import human, reply_config, settled_thread_status, token_text

ALL_MODES = (
    "values",
    "updates",
    "messages-tuple",
    "custom",
    "debug",
    "tasks",
    "checkpoints",
    "events",
)


@pytest.fixture(scope="module")
async def nested_parts(api_url: str) -> list[StreamPart]:
    """Every stream mode of one `nested` run, subgraphs included."""
    async with AgentClient(api_url) as client:
        thread = await client.threads.create()
        stream = client.runs.stream(
            thread.thread_id,
            "nested",
            input=human("hi"),
            stream_mode=ALL_MODES,
            stream_subgraphs=True,
        )
        return [part async for part in stream]


def _of(parts: list[StreamPart], mode: str, root: bool | None = None) -> list[StreamPart]:
    return [p for p in parts if p.mode == mode and (root is None or (p.namespace == ()) == root)]


async def test_first_event_is_metadata_with_the_run_id(nested_parts: list[StreamPart]) -> None:
    first = nested_parts[0]
    assert first.event == "metadata" and first.namespace == ()
    assert first.data["run_id"] and first.id is None


async def test_values_mode_gives_full_states(nested_parts: list[StreamPart]) -> None:
    final = _of(nested_parts, "values", root=True)[-1].data
    assert final["step"] == "finished"
    assert [m["type"] for m in final["messages"]] == ["human", "ai"]
    assert final["messages"][-1]["content"] == "Hello from inside the child graph."


async def test_updates_mode_names_the_nodes(nested_parts: list[StreamPart]) -> None:
    nodes = [next(iter(p.data)) for p in _of(nested_parts, "updates", root=True)]
    assert nodes == ["prepare", "child", "finish"]
    child_nodes = {next(iter(p.data)) for p in _of(nested_parts, "updates", root=False)}
    assert child_nodes == {"child_model"}


async def test_messages_tuple_streams_child_tokens(nested_parts: list[StreamPart]) -> None:
    tokens = _of(nested_parts, "messages", root=False)
    assert len(tokens) > 3
    assert token_text(tokens) == "Hello from inside the child graph."
    message, metadata = tokens[0].data
    assert message["type"] == "AIMessageChunk" and metadata["langgraph_node"] == "child_model"
    assert all(p.event.startswith("messages|child:") for p in tokens)


async def test_custom_mode_carries_the_writer_payloads(nested_parts: list[StreamPart]) -> None:
    custom = _of(nested_parts, "custom")
    assert [p.data for p in custom] == [{"progress": i, "of": 3} for i in (1, 2, 3)]
    assert all(len(p.namespace) == 1 and p.namespace[0].startswith("child:") for p in custom)


async def test_debug_mode(nested_parts: list[StreamPart]) -> None:
    kinds = {p.data["type"] for p in _of(nested_parts, "debug", root=True)}
    assert {"checkpoint", "task", "task_result"} <= kinds


async def test_tasks_mode(nested_parts: list[StreamPart]) -> None:
    names = {p.data["name"] for p in _of(nested_parts, "tasks", root=True)}
    assert names == {"prepare", "child", "finish"}


async def test_checkpoints_mode(nested_parts: list[StreamPart]) -> None:
    checkpoints = _of(nested_parts, "checkpoints", root=True)
    assert checkpoints and all("values" in p.data and "next" in p.data for p in checkpoints)
    assert checkpoints[-1].data["values"]["step"] == "finished"


async def test_events_mode(nested_parts: list[StreamPart]) -> None:
    events = {p.data["event"] for p in _of(nested_parts, "events")}
    assert {"on_chain_start", "on_chain_end", "on_chat_model_stream"} <= events


async def test_without_subgraphs_no_namespaced_events(client: AgentClient) -> None:
    thread = await client.threads.create()
    stream = client.runs.stream(
        thread.thread_id, "nested", input=human("hi"), stream_mode=["messages-tuple", "custom"]
    )
    parts = [part async for part in stream]
    assert all(p.namespace == () for p in parts)
    assert not _of(parts, "custom")


async def test_ids_known_before_the_first_event(client: AgentClient) -> None:
    thread = await client.threads.create()
    async with client.runs.stream(
        thread.thread_id, "chat", input=human("hi"), config=reply_config("Ok.")
    ) as stream:
        assert stream.thread_id == thread.thread_id and stream.run_id
        run_id = stream.run_id
        first = await anext(stream)
    assert first.data["run_id"] == run_id
    assert stream.closed


async def test_tokens_match_the_final_message(client: AgentClient) -> None:
    thread = await client.threads.create()
    reply = "Tokens arrive one by one."
    stream = client.runs.stream(
        thread.thread_id,
        "chat",
        input=human("hi"),
        config=reply_config(reply),
        stream_mode=["values", "messages-tuple"],
    )
    parts = [part async for part in stream]
    tokens = _of(parts, "messages")
    assert token_text(tokens) == reply
    final = _of(parts, "values")[-1].data["messages"][-1]
    assert {p.data[0]["id"] for p in tokens} == {final["id"]}
    assert final["content"] == reply


async def test_stateless_run(client: AgentClient) -> None:
    stream = client.runs.stream(None, "chat", input=human("hi"), config=reply_config("Free."))
    parts = [part async for part in stream]
    assert stream.run_id and parts[-1].data["messages"][-1]["content"] == "Free."


async def test_failing_run_raises_run_error_after_its_tokens(client: AgentClient) -> None:
    thread = await client.threads.create()
    seen: list[StreamPart] = []
    with pytest.raises(RunError) as info:
        async with client.runs.stream(
            thread.thread_id, "failing", input=human("hi"), stream_mode=["messages-tuple"]
        ) as stream:
            async for part in stream:
                seen.append(part)
    assert info.value.error == "ValueError" and "demo failure" in info.value.message
    assert token_text(seen) == "This reply will "
    assert await settled_thread_status(client, thread.thread_id) == "error"


async def test_breakpoint_continues_with_null_input(client: AgentClient) -> None:
    thread = await client.threads.create()
    first = client.runs.stream(
        thread.thread_id,
        "pipeline",
        input=human("go"),
        interrupt_before=["respond"],
        stream_mode=["updates"],
    )
    updates = [part.data async for part in first]
    assert updates[-1] == {"__interrupt__": []}
    assert (await client.threads.get_state(thread.thread_id)).next == ["respond"]
    resumed = client.runs.stream(thread.thread_id, "pipeline", input=None)
    parts = [part async for part in resumed]
    assert parts[-1].data["messages"][-1]["content"] == 'Pipeline reply to "go".'


async def test_interrupt_and_resume_with_a_command(client: AgentClient) -> None:
    thread = await client.threads.create()
    stream = client.runs.stream(thread.thread_id, "question", input=human("hi"))
    parts = [part async for part in stream]
    assert any("__interrupt__" in p.data for p in parts)
    state = await client.threads.get_state(thread.thread_id)
    assert state.interrupts[0].value == "What is your name?" and state.interrupts[0].id
    resumed = client.runs.stream(
        thread.thread_id, "question", command={"resume": "Ada"}, stream_mode=["updates"]
    )
    updates = [part.data async for part in resumed]
    assert "Ada" in str(updates)
