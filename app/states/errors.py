"""Human wording for the failures a chat tab meets: what happened, what to do.

`describe` words an exception; given the `deployment` ("agent-server", "fleet",
"managed-deep-agents") it says auth and not-found failures in that deployment's terms
(a Fleet 404 on the agent means the token is not the owner's). `read_only` is why a
Fleet workspace agent's chat cannot send; `unavailable` why a control is hidden or
disabled on a backend without the ability.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    kind: str  # "unreachable" | "not_found" | "run_failed" | "rejected" | "unexpected"
    title: str
    detail: str


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def describe(exc: BaseException | str | None, *, api_url: str = "",
             deployment: str = "agent-server", agent_id: str = "") -> Problem:
    """A `Problem` for an exception (SDK errors are matched by class name, so this module
    needs no SDK import) or for an error message string."""
    if isinstance(exc, BaseException):
        found = _deployment_problem(exc, deployment, agent_id)
        if found is not None:
            return found
    if exc is None:
        return Problem("unexpected", "Something went wrong", "Please try again.")
    if isinstance(exc, str):
        return Problem("run_failed", "The run failed", f"{exc} Press Retry to try again.")
    names = _names(exc)
    message = str(getattr(exc, "message", "") or getattr(exc, "detail", "") or exc).strip()
    where = f" at {api_url}" if api_url else ""
    # Timeouts first: AgentTimeoutError is an AgentConnectionError (TimeoutError an OSError).
    if "SignInRequired" in names:
        return Problem("sign_in", "Sign in to chat",
                       "This chat is for signed-in users: press Sign in, then try again.")
    if names & {"AgentTimeoutError", "TimeoutError", "TimeoutException"}:
        return Problem(
            "unreachable",
            "The Agent Server did not answer in time",
            "It may be overloaded or restarting. Press Retry in a moment.",
        )
    if names & {"AgentConnectionError", "ConnectError", "ConnectionError", "OSError"}:
        return Problem(
            "unreachable",
            "Cannot reach the Agent Server",
            f"No answer from the Agent Server{where}. Check that it is running, then press Retry.",
        )
    if "NotFoundError" in names:
        return Problem(
            "not_found",
            "Not found",
            "This thread (or assistant) does not exist on the Agent Server. It may have been "
            "deleted. Start a new thread or pick another one.",
        )
    if "ConflictError" in names:
        return Problem(
            "rejected",
            "The thread is busy",
            "Another run is in progress on this thread. Wait for it to finish, then retry.",
        )
    if "RunError" in names:
        error = getattr(exc, "error", "") or "Error"
        text = (getattr(exc, "message", "") or message).rstrip(". ")
        return Problem(
            "run_failed",
            "The run failed",
            f"{error}: {text}. Your message is kept: press Retry or edit it.",
        )
    if "MalformedResponseError" in names:
        return Problem(
            "unexpected",
            "Unexpected answer from the Agent Server",
            f"{message or 'It sent something this app cannot read.'} Press Retry; if it "
            "happens again, check that the URL points at a LangGraph Agent Server.",
        )
    if names & {"RequestValidationError", "ServerError", "AgentServerError"}:
        status = getattr(exc, "status", None)
        code = f" ({status})" if status else ""
        return Problem(
            "rejected",
            f"The Agent Server refused the request{code}",
            f"{message or 'No details given.'} Press Retry, or check the assistant settings.",
        )
    return Problem(
        "unexpected",
        "Something went wrong",
        f"{type(exc).__name__}: {message}. Press Retry to try again.",
    )


def thread_not_found(thread_id: str) -> Problem:
    """The problem shown for a thread URL whose thread does not exist (or is not yours)."""
    return Problem(
        "not_found",
        "Thread not found",
        f"The thread {thread_id} does not exist on the Agent Server (it may have been "
        "deleted). Start a new thread from the sidebar.",
    )


def over_limit(message: str) -> Problem:
    """A limit of this deployment was reached: `message` names it and when to retry."""
    return Problem("limited", "Limit reached", message)


FLEET_NOT_FOUND = (
    "{agent} was not found for this token: Fleet answers 404 when the token is not the "
    "owner's; use the owner's Personal Access Token or check the agent id."
)


def _agent(agent_id: str) -> str:
    return f"Agent {agent_id}" if agent_id else "The agent"


def _about_agent(exc: BaseException, agent_id: str) -> bool:
    """True when a 404 names the agent (assistant), not a thread."""
    said = f"{getattr(exc, 'detail', '') or ''} {exc}".lower()
    return "assistant" in said or "agent" in said or bool(agent_id and agent_id in said)


def _deployment_problem(exc: BaseException, deployment: str, agent_id: str) -> Problem | None:
    """Auth, not-found and unsupported failures in the deployment's terms (None: the
    generic wording fits)."""
    names = _names(exc)
    status = getattr(exc, "status", None)
    code = getattr(exc, "code", None) or ""
    if "NotSupportedError" in names:
        return Problem("unsupported", "Not available on this deployment", str(exc))
    if deployment == "fleet":
        if "NotFoundError" in names and _about_agent(exc, agent_id):
            return Problem("agent_not_found", "Agent not found for this token",
                           FLEET_NOT_FOUND.format(agent=_agent(agent_id)))
        if "AuthenticationError" in names and "PermissionDeniedError" not in names:
            return Problem("auth", "Personal Access Token missing or rejected",
                           f"The deployment refused the token (HTTP {status}): set "
                           "LANGGRAPH_API_KEY to your LangSmith Personal Access Token.")
        if "PermissionDeniedError" in names:
            return Problem("auth", "Not allowed for this token",
                           f"The deployment refused this request for the token (HTTP {status}"
                           "). Check that LANGGRAPH_API_KEY is the agent owner's Personal "
                           "Access Token.")
    if deployment == "managed-deep-agents":
        if "PermissionDeniedError" in names:
            return Problem("auth", "API key refused",
                           "The LangSmith API key is invalid or has no access to this "
                           "workspace (HTTP 403): check LANGGRAPH_API_KEY.")
        if "AuthenticationError" in names:
            return Problem("auth", "API key missing or rejected",
                           "The LangSmith API key is missing or was not accepted (HTTP 401): "
                           "check LANGGRAPH_API_KEY.")
        if code == "agent_not_found":
            return Problem("agent_not_found", "Agent not found",
                           f"{_agent(agent_id)} was not found for this API key: check "
                           "LANGGRAPH_ASSISTANT_ID and that the key's workspace has the agent.")
        if code == "upstream_auth_failed":
            return Problem("rejected", "The agent's runtime refused the run",
                           "Managed Deep Agents could not run the agent (HTTP 502): it may "
                           "have been deleted (its threads stay readable). Pick another agent.")
    if "AuthenticationError" in names:
        return Problem("auth", "API key missing or rejected",
                       f"The server refused the key (HTTP {status}): check LANGGRAPH_API_KEY.")
    return None


def read_only(agent_id: str) -> Problem:
    """Why the chat of a Fleet workspace agent the token does not own cannot send."""
    return Problem("read_only", "Read-only",
                   f"{_agent(agent_id)} is a workspace agent shared with you read-only: "
                   "you can read its threads, but only its owner can send messages or "
                   "change them.")


def unavailable(ability: str, label: str) -> str:
    """Why a control is hidden or disabled on a backend without `ability` ("" for an
    ability no control needs)."""
    reasons = {
        "cancel": f"Stop is not available: {label} cannot cancel a run once it started, so "
                  "the answer goes on to its end.",
        "queue": f"{label[0].upper()}{label[1:]} cannot queue messages: send the next one "
                 "when this answer ends.",
        "history": f"{label[0].upper()}{label[1:]} keeps no checkpoints, so messages cannot "
                   "be edited or regenerated.",
        "resume": f"{label[0].upper()}{label[1:]} cannot take your answer: Dismiss completes "
                  "the pause without one, and the agent goes on (or stops) without your "
                  "decision.",
        "join": f"{label[0].upper()}{label[1:]} cannot follow a run after a reload: the "
                "answer shows once the run ends (reload then).",
    }
    return reasons.get(ability, "")
