"""DeepAgentsClient against a fake Managed Deep Agents API that checks every request
against the documented shapes, with real graphs running on the real Agent Server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from app.sdk import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RequestValidationError,
    ServerError,
    StreamPart,
)
from app.sdk.deepagents import DeepAgentsClient, ManagedThread, api_message
from app.sdk.deepagents.runs import asks_for_top_level_messages
from tests.fakes.deepagents_api import DeepAgentsAPI
from tests.fakes.recording import RecordedRequest
from tests.sdk.conftest import token_text

CHAT_REPLY = 'This is a demo reply (no real model). You said: "{}".'
EMAIL = "email bob about lunch"  # the `agent` graph asks to approve send_email


@dataclass
class Managed:
    """One test's key, user and agents on the shared fake."""

    api: DeepAgentsAPI
    key: str
    user: str
    chat: str  # agent ids (uuids)
    agent: str
    nested: str

    def client(self, key: str | None = "") -> DeepAgentsClient:
        return DeepAgentsClient(self.api.url, api_key=self.key if key == "" else key, timeout=10.0)

    def calls(self, since: int = 0) -> list[RecordedRequest]:
        return [r for r in self.api.recorder.since(since) if r.user == self.user]


@pytest.fixture
async def managed(deepagents_api: DeepAgentsAPI) -> AsyncIterator[Managed]:
    deepagents_api.reset()
    tag = uuid.uuid4().hex[:8]
    user = f"user-{tag}"
    key = f"lsv2_sk_{tag}"
    deepagents_api.add_key(key, user)
    setup = Managed(
        api=deepagents_api,
        key=key,
        user=user,
        chat=await deepagents_api.add_agent("chat", user, f"chat-{tag}"),
        agent=await deepagents_api.add_agent("agent", user, f"agent-{tag}"),
        nested=await deepagents_api.add_agent("nested", user, f"nested-{tag}"),
    )
    yield setup
    deepagents_api.reset()


async def _run(
    client: DeepAgentsClient, thread_id: str, agent_id: str, text: str, **options: object
) -> list[StreamPart]:
    async with client.runs.stream(thread_id, agent_id, [text], **options) as stream:  # type: ignore[arg-type]
        return [part async for part in stream]


def _interrupted(parts: list[StreamPart]) -> bool:
    return any(p.mode == "updates" and "__interrupt__" in p.data for p in parts)


# -- threads ----------------------------------------------------------------------------


async def test_create_stamps_metadata_with_a_patch_right_after(managed: Managed) -> None:
    mark = len(managed.api.recorder)
    async with managed.client() as client:
        thread = await client.threads.create(
            managed.chat, metadata={"owner": "alice"}, title="Plans", test_run=False
        )
        assert thread.agent_id == managed.chat  # the create answer's agent_id is ""
        assert thread.metadata["owner"] == "alice" and thread.title == "Plans"
        got = await client.threads.get(thread.id)
    assert got.id == thread.id and got.agent_id == managed.chat and got.status == "idle"
    assert got.metadata["owner"] == "alice" and got.metadata["ls_user_id"] == managed.user
    create, patch, get = managed.calls(mark)
    assert (create.method, create.path) == ("POST", "/v1/deepagents/threads")
    assert create.body == {"agent_id": managed.chat, "options": {"test_run": False}}
    assert create.status == 201
    assert (patch.method, patch.path) == ("PATCH", f"/v1/deepagents/threads/{thread.id}")
    assert patch.body == {"title": "Plans", "metadata": {"owner": "alice"}}
    assert get.method == "GET" and all(c.sent_api_key for c in (create, patch, get))


async def test_list_pages_with_the_cursor_newest_first(managed: Managed) -> None:
    async with managed.client() as client:
        made = [(await client.threads.create(managed.chat)).id for _ in range(5)]
        hidden = await client.threads.create(managed.chat, test_run=True)
        first = await client.threads.list(managed.chat, page_size=2)
        assert first.next_cursor and len(first.threads) == 2
        second = await client.threads.list(managed.chat, page_size=2, cursor=first.next_cursor)
        third = await client.threads.list(managed.chat, page_size=2, cursor=second.next_cursor)
        assert third.next_cursor is None and len(third.threads) == 1
        paged = [t.id for page in (first, second, third) for t in page.threads]
        assert paged == made[::-1]  # newest activity first, test runs left out
        assert [t.id async for t in client.threads.iterate(managed.chat, page_size=3)] == paged
        tests_only = await client.threads.list(managed.chat, test_run=True)
        assert [t.id for t in tests_only.threads] == [hidden.id]
        # A run is conversation activity: that thread moves to the top.
        await _run(client, made[0], managed.chat, "back to the first")
        top = (await client.threads.list(managed.chat, page_size=1)).threads[0]
        assert top.id == made[0] and top.title == "back to the first"
    query = managed.calls()[-1].query
    assert f"agent_id={managed.chat}" in query and "page_size=1" in query


async def test_list_filters_status_pins_and_needs_input(managed: Managed) -> None:
    async with managed.client() as client:
        waiting = await client.threads.create(managed.agent)
        assert _interrupted(await _run(client, waiting.id, managed.agent, EMAIL))
        done = await client.threads.create(managed.agent)
        await _run(client, done.id, managed.agent, "hello")
        pinned = await client.threads.create(managed.agent)
        assert (await client.threads.update(pinned.id, pinned=True)).pinned

        def ids(page: object) -> set[str]:
            return {t.id for t in page.threads}  # type: ignore[attr-defined]

        needs_input = await client.threads.list(managed.agent, requires_attention=True)
        assert ids(needs_input) == {waiting.id}
        (row,) = needs_input.threads
        assert row.has_interrupts and row.status == "interrupted" and row.needs_input
        assert row.title == EMAIL  # the server's title: the first message
        others = await client.threads.list(managed.agent, requires_attention=False)
        assert ids(others) == {done.id, pinned.id}
        interrupted = await client.threads.list(managed.agent, status="interrupted")
        assert ids(interrupted) == {waiting.id}
        idle = await client.threads.list(managed.agent, status="idle")
        assert ids(idle) == {done.id, pinned.id}
        assert ids(await client.threads.list(managed.agent, is_pinned=True)) == {pinned.id}
        assert ids(await client.threads.list(managed.agent, is_pinned=False)) == {
            waiting.id,
            done.id,
        }
        # The API refuses status with requires_attention: the client says so unsent.
        mark = len(managed.api.recorder)
        with pytest.raises(RequestValidationError, match="cannot be combined"):
            await client.threads.list(managed.agent, status="idle", requires_attention=True)
        assert managed.calls(mark) == []


async def test_rename_pin_and_delete(managed: Managed) -> None:
    async with managed.client() as client:
        thread = await client.threads.create(managed.chat)
        renamed = await client.threads.update(thread.id, title="Trip to Rome")
        assert renamed.title == "Trip to Rome"
        await _run(client, thread.id, managed.chat, "hello")  # a title stays once set
        (row,) = (await client.threads.list(managed.chat)).threads
        assert row.title == "Trip to Rome" and not row.pinned
        assert (await client.threads.update(thread.id, pinned=True)).metadata["is_pinned"]
        await client.threads.delete(thread.id)
        with pytest.raises(NotFoundError):
            await client.threads.get(thread.id)
        await client.threads.delete(thread.id)  # idempotent
        assert (await client.threads.list(managed.chat)).threads == []


# -- runs -------------------------------------------------------------------------------


async def test_stream_sends_the_documented_body_and_streams_tokens(managed: Managed) -> None:
    async with managed.client() as client:
        thread = await client.threads.create(managed.chat)
        mark = len(managed.api.recorder)
        stream = client.runs.stream(
            thread.id,
            managed.chat,
            [{"type": "human", "content": [{"type": "text", "text": "hi"}]}],
            user_timezone="America/Los_Angeles",
        )
        async with stream:
            assert stream.run_id is None  # no Content-Location from this service
            parts = [part async for part in stream]
        current = await client.threads.current(thread.id)
    call, search = managed.calls(mark)
    assert search.path.endswith("/threads/search")
    assert call.body == {
        "agent_id": managed.chat,
        "input": {"messages": [{"role": "user", "content": "hi"}]},
        "stream_mode": ["values", "updates", "messages-tuple"],
        "stream_subgraphs": True,
        "user_timezone": "America/Los_Angeles",
    }
    assert "assistant_id" not in call.body
    forwarded = managed.api.runs[-1]
    assert forwarded.body["assistant_id"] == managed.chat  # agent_id forwarded upstream
    assert forwarded.user_timezone == "America/Los_Angeles"
    assert parts[0].event == "metadata" and stream.run_id == parts[0].data["run_id"]
    assert token_text(parts) == CHAT_REPLY.format("hi")
    assert sum(p.mode == "messages" for p in parts) > 5  # token by token
    final = [p for p in parts if p.mode == "values"][-1].data
    assert [m["type"] for m in final["messages"]] == ["human", "ai"]
    assert current is not None and current.values["messages"][-1]["content"] == (
        CHAT_REPLY.format("hi")
    )


async def test_stream_carries_tool_calls_and_subgraph_namespaces(managed: Managed) -> None:
    async with managed.client() as client:
        thread = await client.threads.create(managed.agent)
        parts = await _run(client, thread.id, managed.agent, "weather in Paris")
        calls = [
            call
            for p in parts
            if p.mode == "messages"
            for call in p.data[0].get("tool_calls") or []
        ]
        assert [c["name"] for c in calls] == ["get_weather"]
        assert calls[0]["args"] == {"city": "Paris"}
        assert _interrupted(parts)  # the agent asks before running its tool

        nested = await client.threads.create(managed.nested)
        parts = await _run(client, nested.id, managed.nested, "hi")
    child = [p for p in parts if p.namespace]
    assert child and all(p.namespace[0].startswith("child:") for p in child)
    assert token_text(child) == "Hello from inside the child graph."
    root_updates = [next(iter(p.data)) for p in parts if p.mode == "updates" and not p.namespace]
    assert root_updates == ["prepare", "child", "finish"]


async def test_interrupt_then_resolve_interrupt(managed: Managed) -> None:
    async with managed.client() as client:
        thread = await client.threads.create(managed.agent)
        assert _interrupted(await _run(client, thread.id, managed.agent, EMAIL))
        assert (await client.threads.get(thread.id)).status == "interrupted"
        pending = await client.threads.current(thread.id)
        assert pending is not None and pending.interrupts
        mark = len(managed.api.recorder)
        await client.resolve_interrupt(thread.id)
        (call,) = managed.calls(mark)
        assert call.path.endswith("/resolve-interrupt") and call.body is None
        assert call.status == 204
        assert (await client.threads.get(thread.id)).status == "idle"
        resolved = await client.threads.current(thread.id)
        assert resolved is not None and not resolved.interrupts
        assert (await client.threads.list(managed.agent, requires_attention=True)).threads == []
        with pytest.raises(ConflictError) as caught:
            await client.resolve_interrupt(thread.id)
        assert caught.value.status == 409 and caught.value.code == "thread_not_interrupted"
        # The thread goes on with a new message.
        parts = await _run(client, thread.id, managed.agent, "hello again")
        assert "I am a demo agent" in token_text(parts)


@pytest.mark.parametrize("status", [422, 400])
async def test_older_schema_fallback_happens_once_and_is_remembered(
    managed: Managed, status: int
) -> None:
    managed.api.schema = "legacy"
    managed.api.legacy_missing_status = status
    async with managed.client() as client:
        thread = await client.threads.create(managed.chat)
        mark = len(managed.api.recorder)
        first = await _run(client, thread.id, managed.chat, "one")
        assert client.body_form == "messages"
        refused, accepted = managed.calls(mark)
        assert refused.status == status and "input" in refused.body
        assert "'messages' is required" in (refused.refused or "")
        assert accepted.status == 200 and "input" not in accepted.body
        assert accepted.body["messages"] == [{"role": "user", "content": "one"}]
        mark = len(managed.api.recorder)
        second = await _run(client, thread.id, managed.chat, "two")
        (only,) = managed.calls(mark)  # remembered: no failed first try this time
        assert only.status == 200 and only.body["messages"][0]["content"] == "two"
    assert token_text(first) == CHAT_REPLY.format("one")
    assert token_text(second) == CHAT_REPLY.format("two")


async def test_no_fallback_on_the_current_schema_and_no_loop(managed: Managed) -> None:
    async with managed.client() as client:
        thread = await client.threads.create(managed.chat)
        await _run(client, thread.id, managed.chat, "one")
        assert client.body_form == "input"
        managed.api.schema = "legacy"
        await _run(client, thread.id, managed.chat, "two")
        assert client.body_form == "messages"
        # The server is updated meanwhile: the older body now gets a 400 naming `input`,
        # which the client reports instead of switching back and forth.
        managed.api.schema = "current"
        with pytest.raises(RequestValidationError) as caught:
            await _run(client, thread.id, managed.chat, "three")
    assert caught.value.code == "missing_required_field" and "'input'" in caught.value.detail


# -- errors -----------------------------------------------------------------------------


async def test_each_error_shape(managed: Managed) -> None:
    async with managed.client(key=None) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.threads.list(managed.chat)
    assert caught.value.status == 401 and caught.value.detail == "Unauthorized"
    assert not isinstance(caught.value, PermissionDeniedError)
    assert "API key is missing or was not accepted" in str(caught.value)

    async with managed.client(key="lsv2_sk_unknown") as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await client.agents.list()
    assert caught.value.status == 403 and caught.value.detail == "Forbidden"
    assert "no access to this workspace" in str(caught.value)

    async with managed.client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.threads.create(str(uuid.uuid4()))
        assert caught.value.code == "agent_not_found"
        assert caught.value.detail.startswith("Verify the agent ID")
        with pytest.raises(RequestValidationError) as caught:
            await client.threads.create("not-a-uuid")
        assert caught.value.status == 400 and caught.value.code == "invalid_request_body"
        assert "agent_id" in caught.value.detail

        thread = await client.threads.create(managed.chat)
        await _run(client, thread.id, managed.chat, "before")
        managed.api.delete_agent(managed.chat)
        with pytest.raises(ServerError) as caught:
            await _run(client, thread.id, managed.chat, "after")
        assert caught.value.status == 502 and caught.value.code == "upstream_auth_failed"
        # The deleted agent's threads stay readable.
        assert (await client.threads.get(thread.id)).status == "idle"
        assert [t.id for t in (await client.threads.list(managed.chat)).threads] == [thread.id]

    other = f"other-{managed.user}"
    managed.api.add_key(f"{managed.key}-other", other)
    async with managed.client(key=f"{managed.key}-other") as stranger:
        with pytest.raises(NotFoundError) as caught:
            await stranger.threads.get(thread.id)
        assert caught.value.code == "thread_not_found"
        with pytest.raises(NotFoundError):
            await stranger.threads.list(managed.agent)


async def test_agents_list_and_get(managed: Managed) -> None:
    async with managed.client() as client:
        page = await client.agents.list(page_size=2)
        assert len(page.items) == 2 and page.next_cursor
        rest = await client.agents.list(page_size=2, cursor=page.next_cursor)
        names = {a.id for a in page.items + rest.items}
        assert names == {managed.chat, managed.agent, managed.nested}
        agent = await client.agents.get(managed.nested)
    assert agent.id == managed.nested and agent.owner_id == managed.user


async def test_every_call_sends_the_key(managed: Managed) -> None:
    async with managed.client() as client:
        thread: ManagedThread = await client.threads.create(managed.agent, metadata={"a": 1})
        await _run(client, thread.id, managed.agent, EMAIL)
        await client.threads.list(managed.agent, requires_attention=True)
        await client.threads.current(thread.id)
        await client.resolve_interrupt(thread.id)
        await client.threads.update(thread.id, title="t", pinned=True)
        await client.agents.get(managed.agent)
        await client.threads.delete(thread.id)
    calls = managed.calls()
    assert len(calls) >= 9
    assert all(c.sent_api_key and c.headers["x-api-key"] == "<redacted>" for c in calls)
    assert all(c.refused is None for c in calls)


# -- reading other servers' answers -------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "detail", "code", "falls_back"),
    [
        (422, "Set 'messages' to a non-empty array: 'messages' is required", None, True),
        (400, [{"loc": ["body", "messages"], "msg": "Field required"}], None, True),
        (422, "messages: missing", "missing_required_field", True),
        (400, "Set 'input.messages' as documented: 'input.messages' is required", None, False),
        (400, "'input': Field required", "missing_required_field", False),
        (400, "'messages.0.role': Input should be 'user'", "invalid_request_body", False),
        (404, "'messages' is required", None, False),
    ],
)
def test_which_refusals_ask_for_the_older_body(
    status: int, detail: object, code: str | None, falls_back: bool
) -> None:
    error = RequestValidationError("refused", status=status, detail=detail, code=code)
    assert asks_for_top_level_messages(error) is falls_back


def test_chat_messages_become_role_and_text() -> None:
    assert api_message("hi") == {"role": "user", "content": "hi"}
    assert api_message({"type": "ai", "content": [{"type": "text", "text": "a"}, "b"]}) == {
        "role": "assistant",
        "content": "ab",
    }
    assert api_message({"role": "system", "content": "be brief"})["role"] == "system"
    assert api_message({"type": "tool", "content": "42", "tool_call_id": "c"}) == {
        "role": "tool",
        "content": "42",
    }
    with pytest.raises(RequestValidationError):
        api_message({"type": "remove", "id": "x"})
