"""`DeepAgentsClient`: the Managed Deep Agents API (LangSmith), one connection pool."""

from __future__ import annotations

from typing import Unpack

from app.sdk.deepagents.agents import ManagedAgentsClient
from app.sdk.deepagents.runs import BodyForm, ManagedRunsClient
from app.sdk.deepagents.threads import ManagedThreadsClient
from app.sdk.deepagents.transport import DeepAgentsTransport
from app.sdk.http import TransportOptions
from app.sdk.pooled import PooledClient

DEFAULT_API_URL = "https://api.smith.langchain.com/v1/deepagents"


class DeepAgentsClient(PooledClient):
    """An async client for Managed Deep Agents.

    `api_key` (a LangSmith API key) is sent as `X-Api-Key` on every request. Errors are the
    usual `AgentServerError` subclasses: AuthenticationError (401), PermissionDeniedError
    (403: bad key or no workspace access), NotFoundError, ConflictError,
    RequestValidationError, ServerError (502: the agent runtime refused, e.g. a deleted
    agent), each with the server's `detail` and `code`.
    """

    transport_class = DeepAgentsTransport

    def __init__(self, api_url: str = DEFAULT_API_URL,
                 **options: Unpack[TransportOptions]) -> None:
        super().__init__(api_url, **options)
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
