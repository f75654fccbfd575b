"""`DeepAgentsClient`: the Managed Deep Agents API (LangSmith), one connection pool."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

import httpx

from app.sdk.deepagents.agents import ManagedAgentsClient
from app.sdk.deepagents.runs import BodyForm, ManagedRunsClient
from app.sdk.deepagents.threads import ManagedThreadsClient
from app.sdk.deepagents.transport import DeepAgentsTransport
from app.sdk.http import DEFAULT_STREAM_READ_TIMEOUT, shown_url

DEFAULT_API_URL = "https://api.smith.langchain.com/v1/deepagents"


class DeepAgentsClient:
    """An async client for Managed Deep Agents.

    `api_key` (a LangSmith API key) is sent as `X-Api-Key` on every request. Errors are the
    usual `AgentServerError` subclasses: AuthenticationError (401), PermissionDeniedError
    (403: bad key or no workspace access), NotFoundError, ConflictError,
    RequestValidationError, ServerError (502: the agent runtime refused, e.g. a deleted
    agent), each with the server's `detail` and `code`.
    """

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        *,
        stream_read_timeout: float = DEFAULT_STREAM_READ_TIMEOUT,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.transport = DeepAgentsTransport(
            api_url,
            api_key=api_key,
            headers=headers,
            timeout=timeout,
            stream_read_timeout=stream_read_timeout,
            http_transport=http_transport,
        )
        self.api_url = self.transport.base_url
        self.agents = ManagedAgentsClient(self.transport)
        self.threads = ManagedThreadsClient(self.transport)
        self.runs = ManagedRunsClient(self.transport)

    @property
    def body_form(self) -> BodyForm:
        """The run body this client sends: "input" (current) or "messages" (older)."""
        return self.runs.body_form

    async def resolve_interrupt(self, thread_id: str) -> None:
        """See `ManagedRunsClient.resolve_interrupt`."""
        await self.runs.resolve_interrupt(thread_id)

    @property
    def closed(self) -> bool:
        return self.transport.closed

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> DeepAgentsClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"DeepAgentsClient({shown_url(self.api_url)!r})"
