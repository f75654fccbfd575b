"""Errors raised by the Agent Server client.

Every failure surfaces as an `AgentServerError` subclass with a readable message; raw
httpx, json or pydantic exceptions never escape the client.
"""

from __future__ import annotations

from typing import Any


class AgentServerError(Exception):
    """Base class. `status` is the HTTP status (None when no response), `detail` the
    server's `detail` field (or body text)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        detail: Any = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail
        # A machine-readable error code, from servers that send one (Managed Deep Agents'
        # `{"type", "code", "detail", "status"}` bodies); None otherwise.
        self.code = code


class NotFoundError(AgentServerError):
    """404: unknown thread, run, assistant or checkpoint."""


class ConflictError(AgentServerError):
    """409: duplicate thread id, or a busy thread with multitask strategy `reject`."""


class RequestValidationError(AgentServerError):
    """422 (or 400): the server rejected the request body or ids."""


class AuthenticationError(AgentServerError):
    """401/403: missing or wrong API key."""


class PermissionDeniedError(AuthenticationError):
    """403: the server refuses this caller this request. Depending on the server that is a
    key it does not accept (a plain Agent Server with LangSmith auth, Managed Deep Agents'
    `{"error": "Forbidden"}`), or a key it accepts but that may only read (a write to a
    Fleet workspace agent the caller does not own). A kind of AuthenticationError, so code
    that treats every 401/403 alike keeps working."""


class NotSupportedError(AgentServerError):
    """The backend has no such operation (a Managed Deep Agent has no thread history, run
    cancel or join, ...). Raised before any request: `app.sdk.capabilities` says in
    advance what each backend can do, so a UI need never offer the operation."""


class ServerError(AgentServerError):
    """5xx: the server failed."""


class AgentConnectionError(AgentServerError):
    """The server could not be reached, or the connection dropped."""


class AgentTimeoutError(AgentConnectionError):
    """The server did not answer in time (a kind of connection failure)."""


class MalformedResponseError(AgentServerError):
    """The server answered something this client cannot read (not JSON, wrong content
    type, truncated event stream, unexpected shape)."""


class StreamCutError(MalformedResponseError):
    """An event stream stopped before its end: the connection broke in the middle of the
    body, or the body ended inside an event. The run itself may go on on the server."""


class RunError(AgentServerError):
    """The run failed: the stream carried an `error` event. `error` is the exception
    name (e.g. "ValueError"), `message` the server's text; str() joins both."""

    def __init__(self, error: str, message: str = "", *, data: Any = None) -> None:
        super().__init__(f"{error}: {message}" if message else error, detail=data)
        self.error = error
        self.message = message


_BY_STATUS: dict[int, type[AgentServerError]] = {
    400: RequestValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: RequestValidationError,
}


def error_for_status(status: int, detail: Any, *, method: str, path: str) -> AgentServerError:
    """The error matching an HTTP error status, with a message naming the request."""
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else AgentServerError)
    text = detail if isinstance(detail, str) else repr(detail)
    if len(text) > 500:
        text = text[:500] + "..."
    return cls(f"{method} {path} failed with HTTP {status}: {text}", status=status, detail=detail)
