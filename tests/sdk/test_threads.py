"""Threads, state and history against the real Agent Server."""

from __future__ import annotations

import uuid

import pytest

from app.sdk import AgentClient, ConflictError, NotFoundError, RequestValidationError
from tests.sdk.conftest import human, reply_config


async def _chat(client: AgentClient, thread_id: str, text: str, reply: str) -> None:
    async with client.runs.stream(
        thread_id, "chat", input=human(text), config=reply_config(reply)
    ) as stream:
        async for _ in stream:
            pass


async def test_create_get_update_delete(client: AgentClient) -> None:
    thread = await client.threads.create(metadata={"owner": "sdk-test"})
    assert thread.status == "idle" and thread.metadata["owner"] == "sdk-test"
    fetched = await client.threads.get(thread.thread_id)
    assert fetched.thread_id == thread.thread_id
    updated = await client.threads.update(thread.thread_id, metadata={"title": "Hi"})
    assert updated.metadata["title"] == "Hi" and updated.metadata["owner"] == "sdk-test"
    await client.threads.delete(thread.thread_id)
    with pytest.raises(NotFoundError) as info:
        await client.threads.get(thread.thread_id)
    assert info.value.status == 404 and "not found" in str(info.value.detail)


async def test_create_with_id_conflicts_unless_do_nothing(client: AgentClient) -> None:
    thread_id = str(uuid.uuid4())
    await client.threads.create(thread_id=thread_id, metadata={"n": 1})
    with pytest.raises(ConflictError) as info:
        await client.threads.create(thread_id=thread_id)
    assert info.value.status == 409
    same = await client.threads.create(thread_id=thread_id, if_exists="do_nothing")
    assert same.thread_id == thread_id and same.metadata["n"] == 1


async def test_search_filters_and_counts(client: AgentClient) -> None:
    tag = str(uuid.uuid4())
    made = [await client.threads.create(metadata={"tag": tag}) for _ in range(3)]
    page = await client.threads.search(metadata={"tag": tag}, limit=2, sort_by="created_at")
    assert page.total == 3 and len(page.items) == 2
    rest = await client.threads.search(metadata={"tag": tag}, limit=2, offset=2)
    seen = {t.thread_id for t in page.items} | {t.thread_id for t in rest.items}
    assert seen == {t.thread_id for t in made}
    by_id = await client.threads.search(ids=[made[0].thread_id], status="idle")
    assert [t.thread_id for t in by_id.items] == [made[0].thread_id]
    none = await client.threads.search(metadata={"tag": tag}, status="busy")
    assert none.items == [] and none.total == 0


async def test_state_history_and_checkpoints(client: AgentClient) -> None:
    thread = await client.threads.create()
    await _chat(client, thread.thread_id, "one", "First.")
    await _chat(client, thread.thread_id, "two", "Second.")
    state = await client.threads.get_state(thread.thread_id)
    texts = [m["content"] for m in state.values["messages"]]
    assert texts == ["one", "First.", "two", "Second."]
    assert state.next == [] and state.checkpoint and state.parent_checkpoint

    history = await client.threads.get_history(thread.thread_id, limit=20)
    assert history[0].checkpoint.checkpoint_id == state.checkpoint.checkpoint_id
    counts = [len((h.values or {}).get("messages", [])) for h in history]
    assert counts == sorted(counts, reverse=True)  # newest first

    before = await client.threads.get_history(
        thread.thread_id, limit=2, before=history[0].checkpoint
    )
    assert [h.checkpoint.checkpoint_id for h in before] == [
        h.checkpoint.checkpoint_id for h in history[1:3]
    ]
    by_id = await client.threads.get_history(
        thread.thread_id, limit=1, before=history[0].checkpoint.checkpoint_id
    )
    assert by_id[0].checkpoint.checkpoint_id == history[1].checkpoint.checkpoint_id

    old = history[2]
    at_id = await client.threads.get_state(
        thread.thread_id, checkpoint_id=old.checkpoint.checkpoint_id
    )
    at_dict = await client.threads.get_state(thread.thread_id, checkpoint=old.checkpoint)
    assert at_id.values == at_dict.values == old.values


async def test_update_state_writes_a_new_checkpoint(client: AgentClient) -> None:
    thread = await client.threads.create()
    await _chat(client, thread.thread_id, "hi", "Hello.")
    message = {"type": "ai", "content": "Edited.", "id": "edited-1"}
    checkpoint = await client.threads.update_state(
        thread.thread_id, {"messages": [message]}, as_node="model"
    )
    state = await client.threads.get_state(thread.thread_id)
    assert state.checkpoint.checkpoint_id == checkpoint.checkpoint_id
    assert state.values["messages"][-1]["content"] == "Edited."


async def test_subgraph_state_of_an_interrupted_child(client: AgentClient) -> None:
    thread = await client.threads.create()
    async with client.runs.stream(thread.thread_id, "nested_interrupt", input=human("go")) as s:
        async for _ in s:
            pass
    state = await client.threads.get_state(thread.thread_id, subgraphs=True)
    (task,) = state.tasks
    assert task.name == "child" and task.interrupts[0].value.startswith("Child graph asks")
    assert task.state is not None and not isinstance(task.state, dict)
    assert task.state.next == ["ask"]
    flat = await client.threads.get_state(thread.thread_id)
    assert flat.tasks[0].checkpoint and flat.tasks[0].checkpoint.checkpoint_ns.startswith("child:")
    thread_view = await client.threads.get(thread.thread_id)
    assert thread_view.status == "interrupted" and thread_view.interrupts


async def test_unknown_and_invalid_ids(client: AgentClient) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFoundError):
        await client.threads.get_state(missing)
    with pytest.raises(NotFoundError):
        await client.threads.delete(missing)
    with pytest.raises(RequestValidationError) as info:
        await client.threads.get("not-a-uuid")
    assert info.value.status == 422
    # A hostile id stays one quoted path segment: it never reaches another endpoint.
    with pytest.raises((NotFoundError, RequestValidationError), match="/threads/..%2Fassistants"):
        await client.threads.get("../assistants")
