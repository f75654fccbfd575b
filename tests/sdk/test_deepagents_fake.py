"""The fake Managed Deep Agents API refuses requests of the wrong shape, as the spec says,
before anything reaches the Agent Server underneath (raw HTTP, no client in between)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.deepagents_api import DeepAgentsAPI

KEY = "lsv2_sk_shape_checks"
USER = "shape-checker"


@pytest.fixture
async def setup(deepagents_api: DeepAgentsAPI) -> AsyncIterator[tuple[httpx.AsyncClient, str, str]]:
    """An HTTP client on the fake, an agent (`chat`) and one of its threads."""
    deepagents_api.reset()
    deepagents_api.add_key(KEY, USER)
    agent = await deepagents_api.add_agent("chat", USER)
    async with httpx.AsyncClient(
        base_url=deepagents_api.url, headers={"X-Api-Key": KEY}, timeout=10.0
    ) as http:
        created = await http.post("/threads", json={"agent_id": agent})
        assert created.status_code == 201
        yield http, agent, created.json()["id"]


def _message(text: str = "hi") -> dict[str, str]:
    return {"role": "user", "content": text}


WRONG_STREAM_BODIES: list[tuple[str, dict[str, Any], str, str]] = [
    # (why, body without agent_id filled in, code, a word the detail must name)
    (
        "assistant_id is reserved",
        {"assistant_id": "A", "input": {"messages": [_message()]}},
        "invalid_request_body",
        "assistant_id",
    ),
    (
        "agent_id missing",
        {"input": {"messages": [_message()]}, "drop_agent": True},
        "missing_required_field",
        "agent_id",
    ),
    (
        "older top-level messages",
        {"messages": [_message()]},
        "missing_required_field",
        "input",
    ),
    ("input without messages", {"input": {}}, "missing_required_field", "input.messages"),
    ("no messages at all", {"input": {"messages": []}}, "invalid_request_body", "messages"),
    (
        "a message without role",
        {"input": {"messages": [{"content": "hi"}]}},
        "missing_required_field",
        "role",
    ),
    (
        "the Agent Server's message type",
        {"input": {"messages": [{"role": "human", "content": "hi"}]}},
        "invalid_request_body",
        "role",
    ),
    (
        "a stream mode the API does not offer",
        {"input": {"messages": [_message()]}, "stream_mode": ["custom"]},
        "invalid_request_body",
        "stream_mode",
    ),
    (
        "agent_id not a uuid",
        {"agent_id": "chat", "input": {"messages": [_message()]}},
        "invalid_request_body",
        "agent_id",
    ),
]


@pytest.mark.parametrize(
    ("why", "body", "code", "names"), WRONG_STREAM_BODIES, ids=[w[0] for w in WRONG_STREAM_BODIES]
)
async def test_stream_bodies_of_the_wrong_shape_are_refused(
    setup: tuple[httpx.AsyncClient, str, str],
    deepagents_api: DeepAgentsAPI,
    why: str,
    body: dict[str, Any],
    code: str,
    names: str,
) -> None:
    http, agent, thread_id = setup
    body = dict(body)
    if not body.pop("drop_agent", False):
        body.setdefault("agent_id", agent)
    runs_before = len(deepagents_api.runs)
    response = await http.post(f"/threads/{thread_id}/runs/stream", json=body)
    assert response.status_code == 400, why
    error = response.json()
    assert set(error) == {"type", "code", "detail", "status"}
    assert error["code"] == code and error["status"] == 400
    assert error["type"].endswith("/" + code)
    assert names in error["detail"], error["detail"]
    assert len(deepagents_api.runs) == runs_before  # nothing reached the Agent Server
    record = deepagents_api.recorder.since(0)[-1]
    assert record.refused and record.body == body


async def test_the_documented_body_is_accepted(setup: tuple[httpx.AsyncClient, str, str]) -> None:
    http, agent, thread_id = setup
    body = {
        "agent_id": agent,
        "input": {"messages": [_message("ok?")]},
        "stream_mode": ["values", "updates", "messages-tuple"],
        "stream_subgraphs": True,
        "user_timezone": "Not/A_Zone",
        "anything_else": "extra keys are allowed",
    }
    async with http.stream("POST", f"/threads/{thread_id}/runs/stream", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join([chunk async for chunk in response.aiter_text()])
    assert text.startswith("event: metadata")
    assert "event: messages" in text and "event: updates" in text


async def test_other_calls_of_the_wrong_shape_are_refused(
    setup: tuple[httpx.AsyncClient, str, str],
) -> None:
    http, agent, thread_id = setup
    checks: list[tuple[str, str, Any, dict[str, Any] | None, int, str]] = [
        ("POST", "/threads", {}, None, 400, "missing_required_field"),
        (
            "POST",
            "/threads",
            {"agent_id": agent, "options": {"test_run": "yes"}},
            None,
            400,
            "invalid_request_body",
        ),
        ("POST", "/threads", [agent], None, 400, "invalid_request_body"),
        ("GET", "/threads", None, {}, 400, "missing_required_field"),
        (
            "GET",
            "/threads",
            None,
            {"agent_id": agent, "page_size": 21},
            400,
            "invalid_request_body",
        ),
        ("GET", "/threads", None, {"agent_id": agent, "page_size": 0}, 400, "invalid_request_body"),
        (
            "GET",
            "/threads",
            None,
            {"agent_id": agent, "status": "done"},
            400,
            "invalid_request_body",
        ),
        (
            "GET",
            "/threads",
            None,
            {"agent_id": agent, "status": "idle", "requires_attention": "true"},
            400,
            "invalid_request_body",
        ),
        (
            "GET",
            "/threads",
            None,
            {"agent_id": agent, "cursor": "nonsense"},
            400,
            "invalid_request_body",
        ),
        ("PATCH", f"/threads/{thread_id}", {"title": 5}, None, 400, "invalid_request_body"),
        ("GET", "/agents", None, {"page_size": 101}, 400, "invalid_request_body"),
        # What the API does not have is absent.
        ("GET", f"/threads/{thread_id}/state", None, None, 404, "not_found"),
        ("POST", f"/threads/{thread_id}/history", {"limit": 1}, None, 404, "not_found"),
        ("POST", f"/threads/{thread_id}/runs/some-run/cancel", None, None, 404, "not_found"),
        ("GET", f"/threads/{uuid.uuid4()}", None, None, 404, "thread_not_found"),
    ]
    for method, path, body, params, status, code in checks:
        response = await http.request(method, path, json=body, params=params)
        where = f"{method} {path} {body} {params}"
        assert response.status_code == status, where
        assert response.json()["code"] == code, where


async def test_auth_errors_use_the_flat_body(deepagents_api: DeepAgentsAPI) -> None:
    async with httpx.AsyncClient(base_url=deepagents_api.url, timeout=10.0) as http:
        missing = await http.get("/agents")
        unknown = await http.get("/agents", headers={"X-Api-Key": "lsv2_sk_nobody"})
    assert (missing.status_code, missing.json()) == (401, {"error": "Unauthorized"})
    assert (unknown.status_code, unknown.json()) == (403, {"error": "Forbidden"})
