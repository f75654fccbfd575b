"""AgentClient against a Fleet / Agent Builder deployment: the real Agent Server behind a
gateway enforcing LangSmith's rules (PAT + X-Auth-Scheme on every call, 404 for a token
that is not the owner's, workspace agents read-only for everyone else)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from app.sdk import (
    AgentClient,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
)
from app.sdk.fleet import FLEET_HEADERS, explain, fleet_client, is_read_only
from tests.fakes.fleet_gateway import FleetGateway
from tests.fakes.recording import RecordedRequest
from tests.sdk.conftest import human, reply_config, token_text


@dataclass
class Fleet:
    """One test's users and agents on the shared gateway."""

    gateway: FleetGateway
    owner_pat: str
    member_pat: str
    owner: str
    member: str
    private_agent: str  # the owner's private agent (`chat`)
    workspace_agent: str  # the owner's agent shared read-only with the workspace (`chat`)

    def client(self, pat: str) -> AgentClient:
        return fleet_client(self.gateway.url, pat, timeout=10.0)


async def _assistant(api_url: str, name: str) -> str:
    """A new assistant of the `chat` graph, made upstream (as Fleet does when a user
    creates an agent)."""
    async with httpx.AsyncClient(base_url=api_url) as http:
        response = await http.post("/assistants", json={"graph_id": "chat", "name": name})
        response.raise_for_status()
        return response.json()["assistant_id"]


@pytest.fixture
async def fleet(fleet_gateway: FleetGateway, api_url: str) -> AsyncIterator[Fleet]:
    tag = uuid.uuid4().hex[:8]
    setup = Fleet(
        gateway=fleet_gateway,
        owner_pat=f"lsv2_pt_owner_{tag}",
        member_pat=f"lsv2_pt_member_{tag}",
        owner=f"owner-{tag}",
        member=f"member-{tag}",
        private_agent=await _assistant(api_url, f"private-{tag}"),
        workspace_agent=await _assistant(api_url, f"workspace-{tag}"),
    )
    fleet_gateway.add_user(setup.owner_pat, setup.owner)
    fleet_gateway.add_user(setup.member_pat, setup.member)
    fleet_gateway.add_agent(setup.private_agent, setup.owner)
    fleet_gateway.add_agent(setup.workspace_agent, setup.owner, workspace=True)
    yield setup


def _assert_authenticated(calls: list[RecordedRequest], user: str) -> None:
    """Every call carried the PAT and the scheme header, and was the user's."""
    assert calls
    for call in calls:
        where = f"{call.method} {call.path}"
        assert call.sent_api_key, f"{where} was sent without X-Api-Key"
        assert call.headers.get("x-auth-scheme") == "langsmith-api-key", where
        assert call.headers["x-api-key"] == "<redacted>"  # the record never holds the PAT
        assert call.user == user, where


async def _owner_thread(fleet: Fleet, agent_id: str, reply: str) -> str:
    """A thread of the owner's on which `agent_id` answered `reply` once."""
    async with fleet.client(fleet.owner_pat) as client:
        thread = await client.threads.create()
        stream = client.runs.stream(
            thread.thread_id,
            agent_id,
            input=human("hello"),
            config=reply_config(reply, 0.0),
        )
        async for _ in stream:
            pass
        return thread.thread_id


async def test_owner_works_end_to_end_with_headers_on_every_call(fleet: Fleet) -> None:
    with fleet.gateway.recorder.capture() as calls:
        async with fleet.client(fleet.owner_pat) as client:
            agent = await client.assistants.get(fleet.private_agent)
            assert agent.graph_id == "chat"
            assert "input_schema" in await client.assistants.schemas(fleet.private_agent)
            listed = await client.assistants.search(limit=100)
            assert {fleet.private_agent, fleet.workspace_agent} <= {a.assistant_id for a in listed}

            thread = await client.threads.create(metadata={"title": "fleet"})
            arrivals: list[float] = []
            parts = []
            async with client.runs.stream(
                thread.thread_id,
                fleet.private_agent,
                input=human("hi"),
                stream_mode=["values", "messages-tuple"],
                config=reply_config("one two three four five six seven eight", 0.05),
            ) as stream:
                assert stream.run_id  # the upstream's Content-Location got through
                async for part in stream:
                    parts.append(part)
                    if part.mode == "messages":
                        arrivals.append(time.monotonic())
            assert token_text(parts) == "one two three four five six seven eight"
            # Relayed chunk by chunk: the tokens arrive as the graph makes them (eight
            # tokens 50 ms apart), not all at once when the run ends.
            assert len(arrivals) >= 8 and arrivals[-1] - arrivals[0] >= 0.25

            state = await client.threads.get_state(thread.thread_id)
            assert [m["type"] for m in state.values["messages"]] == ["human", "ai"]
            history = await client.threads.get_history(thread.thread_id, limit=5)
            assert history and history[0].values["messages"][-1]["content"].startswith("one")
            page = await client.threads.search(limit=50)
            assert thread.thread_id in {t.thread_id for t in page.items}
            updated = await client.threads.update(thread.thread_id, metadata={"pinned": True})
            assert updated.metadata["pinned"] is True
            runs = await client.runs.list(thread.thread_id)
            assert [r.run_id for r in runs] == [stream.run_id]
            await client.threads.delete(thread.thread_id)
            with pytest.raises(NotFoundError):
                await client.threads.get(thread.thread_id)
    _assert_authenticated(calls, fleet.owner)
    assert all(call.refused is None for call in calls[:-1])
    # The gateway answered the last call (the thread is gone) the way the server does.
    assert calls[-1].status == 404


@pytest.mark.parametrize(
    ("api_key", "headers", "why"),
    [
        (None, FLEET_HEADERS, "no token"),
        ("lsv2_pt_not_a_token", FLEET_HEADERS, "unknown token"),
        ("owner", {}, "no X-Auth-Scheme"),
        ("owner", {"X-Auth-Scheme": "langsmith"}, "wrong X-Auth-Scheme"),
    ],
)
async def test_missing_or_rejected_token_is_401(
    fleet: Fleet, api_key: str | None, headers: dict[str, str], why: str
) -> None:
    key = fleet.owner_pat if api_key == "owner" else api_key
    async with AgentClient(fleet.gateway.url, api_key=key, headers=headers) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.assistants.get(fleet.private_agent)
    assert caught.value.status == 401, why
    assert not isinstance(caught.value, PermissionDeniedError)
    assert "personal access token is missing or was rejected" in explain(caught.value)


async def test_token_not_the_owners_gets_404_on_the_agent_and_its_threads(
    fleet: Fleet,
) -> None:
    thread_id = await _owner_thread(fleet, fleet.private_agent, "private answer")
    async with fleet.client(fleet.member_pat) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.assistants.get(fleet.private_agent)
        message = explain(caught.value, agent_id=fleet.private_agent)
        assert "not found for this token" in message and fleet.private_agent in message
        for read in (client.threads.get, client.threads.get_state, client.runs.list):
            with pytest.raises(NotFoundError):
                await read(thread_id)
        with pytest.raises(NotFoundError):
            await client.threads.get_history(thread_id)
        # Writes get the same 404: the agent and thread do not exist for this token.
        with pytest.raises(NotFoundError):
            await client.runs.wait(thread_id, fleet.private_agent, input=human("hi"))
        own = await client.threads.create()
        with pytest.raises(NotFoundError):
            await client.runs.wait(own.thread_id, fleet.private_agent, input=human("hi"))
        # Searches only show what the token may see.
        assert thread_id not in {t.thread_id for t in (await client.threads.search()).items}
        listed = {a.assistant_id for a in await client.assistants.search(limit=100)}
        assert fleet.private_agent not in listed and fleet.workspace_agent in listed


async def test_workspace_agent_is_readable_but_writes_are_403(fleet: Fleet) -> None:
    thread_id = await _owner_thread(fleet, fleet.workspace_agent, "shared answer")
    with fleet.gateway.recorder.capture() as calls:
        async with fleet.client(fleet.member_pat) as client:
            # Everything the UI shows read-only works.
            assert (await client.assistants.get(fleet.workspace_agent)).graph_id == "chat"
            thread = await client.threads.get(thread_id)
            assert thread.status == "idle"
            state = await client.threads.get_state(thread_id)
            assert state.values["messages"][-1]["content"] == "shared answer"
            assert await client.threads.get_history(thread_id, limit=3)
            assert thread_id in {t.thread_id for t in (await client.threads.search()).items}
            assert len(await client.runs.list(thread_id)) == 1

            # Every write is refused with 403: the chat opens read-only.
            writes = [
                client.runs.wait(thread_id, fleet.workspace_agent, input=human("mine now")),
                client.threads.update(thread_id, metadata={"title": "taken"}),
                client.threads.delete(thread_id),
                client.threads.update_state(thread_id, {"messages": []}),
                client.threads.create(metadata={"assistant_id": fleet.workspace_agent}),
            ]
            for write in writes:
                with pytest.raises(PermissionDeniedError) as caught:
                    await write
                assert caught.value.status == 403 and is_read_only(caught.value)
            assert "read-only" in explain(caught.value, agent_id=fleet.workspace_agent)

            # Their own new thread cannot run the shared agent either.
            own = await client.threads.create()
            stream = client.runs.stream(own.thread_id, fleet.workspace_agent, input=human("x"))
            with pytest.raises(PermissionDeniedError):
                async for _ in stream:
                    pass
    _assert_authenticated(calls, fleet.member)
    refused = [call for call in calls if call.refused]
    assert [call.status for call in refused] == [403] * 6
    # Nothing the member tried reached the owner's thread.
    async with fleet.client(fleet.owner_pat) as owner:
        state = await owner.threads.get_state(thread_id)
        assert [m["content"] for m in state.values["messages"]] == ["hello", "shared answer"]
        assert "title" not in (await owner.threads.get(thread_id)).metadata
