"""`AgentClient`: the entry point, one connection pool per client."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Unpack

from app.sdk.assistants import AssistantsClient
from app.sdk.capabilities import AGENT_SERVER, Capabilities
from app.sdk.errors import AgentServerError, MalformedResponseError
from app.sdk.http import Transport, TransportOptions, shown_url
from app.sdk.runs import RunsClient
from app.sdk.threads import ThreadsClient


class AgentClient:
    """An async client for one LangGraph Agent Server (options: `TransportOptions`)."""

    capabilities: Capabilities = AGENT_SERVER

    def __init__(self, api_url: str, **options: Unpack[TransportOptions]) -> None:
        self.transport = Transport(api_url, **options)
        self.api_url = self.transport.base_url
        self.threads = ThreadsClient(self.transport)
        self.runs = RunsClient(self.transport)
        self.assistants = AssistantsClient(self.transport)

    async def ok(self) -> bool:
        """True when the server answers `GET /ok`; never raises."""
        try:
            data = await self.transport.request_json("GET", "/ok")
        except AgentServerError:
            return False
        return isinstance(data, dict) and data.get("ok") is True

    async def info(self) -> dict[str, Any]:
        """The server's `GET /info` (version, flags)."""
        data = await self.transport.request_json("GET", "/info")
        if not isinstance(data, dict):
            raise MalformedResponseError(f"GET /info is not an object: {data!r:.200}")
        return data

    @property
    def closed(self) -> bool:
        return self.transport.closed

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> AgentClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AgentClient({shown_url(self.api_url)!r})"
