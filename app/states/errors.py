"""Human wording for the failures a chat tab meets: what happened, what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    kind: str  # "unreachable" | "not_found" | "run_failed" | "rejected" | "unexpected"
    title: str
    detail: str


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def describe(exc: BaseException | str | None, *, api_url: str = "") -> Problem:
    """A `Problem` for an exception (SDK errors are matched by class name, so this module
    needs no SDK import) or for an error message string."""
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
