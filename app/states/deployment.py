"""What the chat knows about its deployment (from the settings) and learns from it.

- `kind()` and `capabilities()`: an Agent Server, a Fleet / Agent Builder agent (an Agent
  Server behind LangSmith auth) or a Managed Deep Agent, and what its API can do; `missing`
  the controls to hide or disable, with the reason.
- Read-only agents: a Fleet workspace agent the token does not own answers 403 to every
  write. The first refused write is checked with a read of the same agent (a 403 there
  too means the token itself is refused); a confirmed agent is remembered for the process
  (the token is the deployment's), so its chats open read-only from then on, until a
  write to it succeeds.
- `agent_problem`: when a Fleet chat opens, the agent is read (`GET /assistants/{id}`,
  the seeds' "verify your connection" step: one small request per page load), so a token
  that is not the owner's (404) or is refused (401) is explained at once, not after a
  send.
"""

from __future__ import annotations

import re
from typing import Any

from app.sdk.capabilities import AGENT_SERVER, FLEET, MANAGED_DEEP_AGENTS, Capabilities
from app.sdk.errors import AgentServerError, AuthenticationError, NotFoundError
from app.sdk.fleet import confirm_read_only
from app.settings import get_settings
from app.states import backend
from app.states.errors import Problem, describe, read_only, unavailable

_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_read_only: dict[str, str] = {}  # agent id -> why its chats are read-only


def kind() -> str:
    """"agent-server", "fleet" or "managed-deep-agents"."""
    return get_settings().deployment


def capabilities() -> Capabilities:
    return {"fleet": FLEET, "managed-deep-agents": MANAGED_DEEP_AGENTS}.get(kind(),
                                                                          AGENT_SERVER)


def missing(capabilities: Capabilities) -> dict[str, str]:
    """The abilities a control needs that the backend lacks -> why (for the UI)."""
    abilities = ("cancel", "queue", "history", "resume", "join")
    return {name: unavailable(name, capabilities.label) for name in abilities
            if not getattr(capabilities, name)}


def problem_of(exc: BaseException | None, agent_id: str = "") -> Problem | None:
    """The wording of a failure, in this deployment's terms."""
    if exc is None:
        return None
    return describe(exc, api_url=backend.api_url(), deployment=kind(), agent_id=agent_id)


# -- read-only agents ------------------------------------------------------------------


def read_only_reason(agent_id: str) -> str:
    """Why chats of `agent_id` are read-only ("" when they are not known to be)."""
    return _read_only.get(agent_id, "")


async def learn_read_only(client: Any, exc: BaseException | None, agent_id: str) -> str:
    """After a write failed with `exc`: the read-only reason when the token may only read
    the agent (remembered), else ""."""
    if exc is None or kind() != "fleet":
        return ""
    if not await confirm_read_only(client, exc, agent_id):
        return ""
    reason = read_only(agent_id).detail
    _read_only[agent_id] = reason
    return reason


def wrote(agent_id: str) -> None:
    """A write to the agent succeeded: it is not read-only (any more)."""
    _read_only.pop(agent_id, None)


# -- the agent check at open -----------------------------------------------------------


async def agent_problem(client: Any, agent_id: str) -> Problem | None:
    """For a Fleet agent (a UUID), the problem with reading it (the token is not the
    owner's, or refused); None when it reads, or when there is nothing to check."""
    if kind() != "fleet" or not _UUID.fullmatch(agent_id or ""):
        return None
    try:
        await client.assistants.get(agent_id)
    except (NotFoundError, AuthenticationError) as exc:
        return problem_of(exc, agent_id)
    except AgentServerError:
        return None  # unreachable and the like: opening the thread says so
    return None


async def busy_elsewhere(client: Any, thread_id: str) -> Problem | None:
    """For a backend that cannot join runs: a thread opened while a run goes on in it
    (started elsewhere) cannot be followed; say so (Retry reads it again)."""
    try:
        thread = await client.threads.get(thread_id)
    except AgentServerError:
        return None  # opening the thread reported what matters
    if thread.status != "busy":
        return None
    return Problem("busy", "The agent is still answering",
                   unavailable("join", capabilities().label))


def forget() -> None:
    """Drop what was learned (tests)."""
    _read_only.clear()
