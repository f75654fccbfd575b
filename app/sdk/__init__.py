"""Async client for LangGraph Agent Servers (httpx + pydantic; no Reflex here)."""

from app.sdk.client import AgentClient
from app.sdk.errors import (
    AgentConnectionError,
    AgentServerError,
    AgentTimeoutError,
    AuthenticationError,
    ConflictError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RequestValidationError,
    RunError,
    ServerError,
    StreamCutError,
)
from app.sdk.models import (
    Assistant,
    Checkpoint,
    Interrupt,
    Run,
    StreamPart,
    Thread,
    ThreadPage,
    ThreadState,
    ThreadTask,
)
from app.sdk.run_stream import RunStream
from app.sdk.runs import NOT_GIVEN, RunOptions

__all__ = [
    "NOT_GIVEN",
    "AgentClient",
    "AgentConnectionError",
    "AgentServerError",
    "AgentTimeoutError",
    "Assistant",
    "AuthenticationError",
    "Checkpoint",
    "ConflictError",
    "Interrupt",
    "MalformedResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RequestValidationError",
    "Run",
    "RunError",
    "RunOptions",
    "RunStream",
    "ServerError",
    "StreamCutError",
    "StreamPart",
    "Thread",
    "ThreadPage",
    "ThreadState",
    "ThreadTask",
]
