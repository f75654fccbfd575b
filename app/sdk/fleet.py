"""LangSmith Fleet / Agent Builder agents: how to connect, and their errors in the user's terms.

Fleet and Agent Builder agents run on an ordinary Agent Server behind LangSmith auth, so
`AgentClient` talks to them unchanged; it only needs the user's Personal Access Token as
`X-Api-Key` plus `X-Auth-Scheme: langsmith-api-key` on every request (both stay on the
backend). What differs is what the errors mean:

- 401: the token is missing or rejected (or the scheme header is missing);
- 404 on the agent or its threads: Fleet answers 404 when the token is not the agent
  owner's, exactly as for an agent that does not exist;
- 403 on a write: the agent is a workspace agent shared read-only with this user. Reads
  work, so the chat should open read-only instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.sdk.capabilities import FLEET
from app.sdk.client import AgentClient
from app.sdk.errors import (
    AgentServerError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RequestValidationError,
)

AUTH_SCHEME_HEADER = "X-Auth-Scheme"
AUTH_SCHEME = "langsmith-api-key"
FLEET_HEADERS: Mapping[str, str] = {AUTH_SCHEME_HEADER: AUTH_SCHEME}


def fleet_client(api_url: str, token: str, **kwargs: Any) -> AgentClient:
    """An AgentClient for a Fleet / Agent Builder deployment, authenticated with a Personal
    Access Token. Extra keywords go to AgentClient (`headers` are merged)."""
    headers = {**FLEET_HEADERS, **dict(kwargs.pop("headers", None) or {})}
    client = AgentClient(api_url, api_key=token, headers=headers, **kwargs)
    client.capabilities = FLEET
    return client


def is_read_only(exc: BaseException) -> bool:
    """True when a Fleet deployment refused a write because the agent is shared read-only
    (the chat should then stay open, read-only)."""
    return isinstance(exc, PermissionDeniedError) and exc.status == 403


async def confirm_read_only(client: Any, exc: BaseException, agent_id: str) -> bool:
    """True when `exc`, raised by a write, means the token may only read this agent: a 403,
    and a read of the same agent works. (A 403 on the read too means the token itself is
    refused, which is not read-only access.)"""
    if not is_read_only(exc):
        return False
    try:
        await client.assistants.get(agent_id)
    except RequestValidationError:  # a graph id, which `GET /assistants/{id}` refuses
        try:
            return bool(await client.assistants.search(graph_id=agent_id, limit=1))
        except AgentServerError:
            return False
    except AgentServerError:
        return False
    return True


def explain(exc: AgentServerError, *, agent_id: str | None = None) -> str:
    """One sentence for the user about a Fleet error."""
    agent = f"Agent {agent_id}" if agent_id else "This agent"
    if is_read_only(exc):
        return (
            f"{agent} is a workspace agent shared with you read-only: you can read its "
            "threads, but only its owner can start runs or change them."
        )
    if isinstance(exc, AuthenticationError):
        return (
            "Your LangSmith personal access token is missing or was rejected (HTTP "
            f"{exc.status}). Check the token, and that requests send "
            f"{AUTH_SCHEME_HEADER}: {AUTH_SCHEME}."
        )
    if isinstance(exc, NotFoundError):
        return (
            f"{agent} was not found for this token: Fleet answers 404 when the token is not "
            "the owner's, so check that the token belongs to the agent's owner and that the "
            "agent id is right."
        )
    return exc.message
