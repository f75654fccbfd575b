"""The backend's own guard for servers without auth: through `OwnedClient`, another
owner's thread answers exactly like a thread that does not exist, for every call that
names it (read, state, history, update, delete, runs: stream, join, resume, cancel,
list, wait), and searches list only the owner's threads. Real Agent Server, no auth."""

from __future__ import annotations

import uuid

import pytest

from app.access.owned_client import OwnedClient
from app.access.owners import OWNER_KEY
from app.sdk import AgentClient, NotFoundError
from app.stream import ThreadStream

FAST = {"configurable": {"reply": "mine", "token_delay": 0}}


@pytest.fixture
async def clients(api_url: str):
    async with AgentClient(api_url) as raw:
        alice = OwnedClient(raw, f"visitor:alice-{uuid.uuid4().hex[:8]}")
        bob = OwnedClient(raw, f"visitor:bob-{uuid.uuid4().hex[:8]}")
        yield raw, alice, bob


async def test_threads_are_stamped_and_searches_limited(clients):
    raw, alice, bob = clients
    thread = await alice.threads.create(metadata={"topic": "plans", OWNER_KEY: "forged"})
    stored = await raw.threads.get(thread.thread_id)
    assert stored.metadata[OWNER_KEY] == alice.owner and stored.metadata["topic"] == "plans"
    mine = await alice.threads.search(limit=100)
    theirs = await bob.threads.search(limit=100)
    assert thread.thread_id in {t.thread_id for t in mine.items}
    assert thread.thread_id not in {t.thread_id for t in theirs.items}
    # Renaming keeps the owner; nobody can give a thread away.
    await alice.threads.update(thread.thread_id, metadata={OWNER_KEY: bob.owner, "title": "x"})
    assert (await raw.threads.get(thread.thread_id)).metadata[OWNER_KEY] == alice.owner


async def test_another_owners_thread_answers_like_a_missing_one(clients):
    raw, alice, bob = clients
    stream = ThreadStream("chat", client=alice)
    await stream.submit("alice only", config=FAST, stream_resumable=True)
    thread_id, run_id = stream.thread_id, stream.run_id
    assert thread_id and run_id
    missing = str(uuid.uuid4())
    calls = {
        "get": lambda t: bob.threads.get(t),
        "state": lambda t: bob.threads.get_state(t),
        "history": lambda t: bob.threads.get_history(t, limit=5),
        "update": lambda t: bob.threads.update(t, metadata={"title": "mine now"}),
        "update_state": lambda t: bob.threads.update_state(t, {"messages": []}),
        "delete": lambda t: bob.threads.delete(t),
        "runs.list": lambda t: bob.runs.list(t),
        "runs.get": lambda t: bob.runs.get(t, run_id),
        "runs.cancel": lambda t: bob.runs.cancel(t, run_id),
        "runs.create": lambda t: bob.runs.create(t, "chat", input={"messages": []}),
        "runs.wait": lambda t: bob.runs.wait(t, "chat", command={"resume": "x"}),
    }
    for name, call in calls.items():
        for target in (thread_id, missing):
            with pytest.raises(NotFoundError) as found:
                await call(target)
            assert str(found.value) == "Thread not found", name
    for opener in (lambda t: bob.runs.stream(t, "chat", input={"messages": []}),
                   lambda t: bob.runs.join(t, run_id, last_event_id="-1")):
        with pytest.raises(NotFoundError, match="Thread not found"):
            async with opener(thread_id) as events:
                async for _ in events:
                    pass
    # Nothing of Alice's thread changed, and she still reaches all of it.
    state = await alice.threads.get_state(thread_id)
    assert [m["content"] for m in state.values["messages"]] == ["alice only", "mine"]
    other = ThreadStream("chat", client=bob)
    await other.open(thread_id)
    assert isinstance(other.error, NotFoundError) and other.messages == []
    await stream.aclose()
    await other.aclose()
