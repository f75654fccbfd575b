"""What the states know about the deployment: errors in its terms, the controls a backend
lacks (and why), read-only Fleet agents learned from a confirmed 403, the agent check at
open, and a Managed Deep Agents thread busy elsewhere; against the fakes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from app.sdk import AgentClient, NotFoundError, PermissionDeniedError
from app.sdk.capabilities import AGENT_SERVER, FLEET, MANAGED_DEEP_AGENTS
from app.sdk.deepagents.backend import DeepAgentsBackend
from app.sdk.errors import AuthenticationError, NotSupportedError, ServerError
from app.sdk.fleet import fleet_client
from app.settings import get_settings
from app.states import deployment
from app.states.errors import describe
from app.states.threads import thread_row
from tests.fakes.deepagents_api import DeepAgentsAPI
from tests.fakes.fleet_gateway import FleetGateway

AGENT = "4d0f8f54-7a3b-4c8e-9a51-0b9d8c6e2f11"


@pytest.fixture
def fleet_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[None]:
    """The app configured for a Fleet agent (URL + PAT + agent id)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANGGRAPH_API_URL", "https://prod-agent-builder-x.us.langgraph.app")
    monkeypatch.setenv("LANGGRAPH_API_KEY", "lsv2_pt_token")
    monkeypatch.setenv("LANGGRAPH_ASSISTANT_ID", AGENT)
    get_settings.cache_clear()
    deployment.forget()
    yield
    get_settings.cache_clear()
    deployment.forget()


def test_fleet_errors_in_the_users_terms():
    missing_agent = NotFoundError("GET /assistants/x failed with HTTP 404",
                                  status=404, detail=f"Assistant {AGENT} not found")
    found = describe(missing_agent, deployment="fleet", agent_id=AGENT)
    assert found.kind == "agent_not_found" and found.title == "Agent not found for this token"
    assert found.detail == (
        f"Agent {AGENT} was not found for this token: Fleet answers 404 when the token is "
        "not the owner's; use the owner's Personal Access Token or check the agent id.")
    missing_thread = NotFoundError("GET /threads/t failed", status=404,
                                   detail="Thread with ID t not found")
    assert describe(missing_thread, deployment="fleet", agent_id=AGENT).kind == "not_found"
    refused = describe(AuthenticationError("x", status=401), deployment="fleet")
    assert refused.title == "Personal Access Token missing or rejected"
    assert "LANGGRAPH_API_KEY" in refused.detail
    assert "HTTP 403" in describe(PermissionDeniedError("x", status=403),
                                  deployment="fleet").detail


def test_managed_errors_and_unsupported_operations():
    assert describe(AuthenticationError("x", status=401, detail="Unauthorized"),
                    deployment="managed-deep-agents").title == "API key missing or rejected"
    assert "no access to this workspace" in describe(
        PermissionDeniedError("x", status=403), deployment="managed-deep-agents").detail
    gone = describe(NotFoundError("x", status=404, code="agent_not_found"),
                    deployment="managed-deep-agents", agent_id=AGENT)
    assert gone.kind == "agent_not_found" and "LANGGRAPH_ASSISTANT_ID" in gone.detail
    deleted = describe(ServerError("x", status=502, code="upstream_auth_failed"),
                       deployment="managed-deep-agents")
    assert "deleted" in deleted.detail
    unsupported = describe(NotSupportedError("Stopping a run is not possible with a "
                                             "Managed Deep Agent.", detail="cancel"))
    assert unsupported.kind == "unsupported" and "Stopping a run" in unsupported.detail
    # A plain Agent Server keeps its wording for a missing thread.
    assert describe(NotFoundError("nope")).kind == "not_found"


def test_what_each_backend_lacks_and_why():
    assert deployment.missing(AGENT_SERVER) == {} and deployment.missing(FLEET) == {}
    lacks = deployment.missing(MANAGED_DEEP_AGENTS)
    assert set(lacks) == {"cancel", "queue", "history", "resume", "join"}
    assert "cannot cancel a run" in lacks["cancel"]
    assert "Dismiss completes the pause without one" in lacks["resume"]
    assert "without your decision" in lacks["resume"]


def test_sidebar_rows_prefer_the_servers_title_and_show_needs_input():
    row = thread_row({"thread_id": "t1", "title": "Trip to Rome", "status": "idle",
                      "has_interrupts": True, "values": None})
    assert row["title"] == "Trip to Rome" and row["status"] == "interrupted"
    untitled = thread_row({"thread_id": "t2", "title": "", "status": "busy",
                           "values": {"messages": [{"type": "human", "content": "hi"}]}})
    assert untitled["title"] == "hi" and untitled["status"] == "busy"


def _assistant(api_url: str, name: str) -> str:
    response = httpx.post(f"{api_url}/assistants", json={"graph_id": "chat", "name": name})
    response.raise_for_status()
    return response.json()["assistant_id"]


async def test_read_only_is_learned_only_when_a_read_works(
    fleet_settings: None, fleet_gateway: FleetGateway, api_url: str
):
    tag = uuid.uuid4().hex[:8]
    shared, private = _assistant(api_url, f"ws-{tag}"), _assistant(api_url, f"pv-{tag}")
    fleet_gateway.add_agent(shared, f"owner-{tag}", workspace=True)
    fleet_gateway.add_agent(private, f"owner-{tag}")
    fleet_gateway.add_user(f"pat-member-{tag}", f"member-{tag}")
    async with fleet_client(fleet_gateway.url, f"pat-member-{tag}") as member:
        refused_write = PermissionDeniedError("POST runs: 403", status=403)
        assert deployment.read_only_reason(shared) == ""
        reason = await deployment.learn_read_only(member, refused_write, shared)
        assert "workspace agent shared with you read-only" in reason
        assert deployment.read_only_reason(shared) == reason
        # The private agent cannot even be read with this token: not read-only access.
        assert await deployment.learn_read_only(member, refused_write, private) == ""
        # Another failure says nothing about it (and forgets nothing).
        assert await deployment.learn_read_only(member, NotFoundError("x"), shared) == ""
        assert deployment.read_only_reason(shared) == reason
        deployment.wrote(shared)
        assert deployment.read_only_reason(shared) == ""
        # The agent check at open: readable -> nothing to say; not the owner's -> 404.
        assert await deployment.agent_problem(member, shared) is None
        problem = await deployment.agent_problem(member, private)
        assert problem is not None and problem.kind == "agent_not_found"
        assert "not found for this token" in problem.detail
    async with fleet_client(fleet_gateway.url, "not-a-token") as stranger:
        problem = await deployment.agent_problem(stranger, shared)
        assert problem is not None and problem.title == "Personal Access Token missing or rejected"


async def test_no_agent_check_or_read_only_outside_fleet(api_url: str, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("LANGGRAPH_API_KEY", "LANGGRAPH_API_URL", "LANGGRAPH_AUTH_SCHEME"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    try:
        assert deployment.kind() == "agent-server"
        async with AgentClient(api_url) as client:
            assert await deployment.agent_problem(client, str(uuid.uuid4())) is None
            denied = PermissionDeniedError("x", status=403)
            assert await deployment.learn_read_only(client, denied, "chat") == ""
    finally:
        get_settings.cache_clear()


async def test_a_managed_thread_busy_elsewhere_is_said(deepagents_api: DeepAgentsAPI):
    tag = uuid.uuid4().hex[:8]
    deepagents_api.add_key(f"key-{tag}", f"user-{tag}")
    agent = await deepagents_api.add_agent("chat", f"user-{tag}", f"chat-{tag}")
    async with DeepAgentsBackend.connect(deepagents_api.url, f"key-{tag}") as backend:
        thread = await backend.threads.create(agent_id=agent)
        assert await deployment.busy_elsewhere(backend, thread.thread_id) is None
        long_text = " ".join(["word"] * 60)  # the demo reply quotes it: ~2 s of tokens
        stream = backend.runs.stream(thread.thread_id, agent,
                                     input={"messages": [{"type": "human",
                                                          "content": long_text}]},
                                     stream_mode=["values", "messages-tuple"])
        async with stream:
            async for part in stream:
                if part.mode == "messages":
                    break  # the run is under way
            problem = await deployment.busy_elsewhere(backend, thread.thread_id)
        assert problem is not None and problem.kind == "busy"
        assert "cannot follow a run after a reload" in problem.detail
