"""`AgentClient`: the entry point, one connection pool per client."""

from __future__ import annotations

from typing import Any, Unpack

from app.sdk.assistants import AssistantsClient
from app.sdk.capabilities import AGENT_SERVER, Capabilities
from app.sdk.errors import AgentServerError, MalformedResponseError
from app.sdk.http import TransportOptions
from app.sdk.pooled import PooledClient
from app.sdk.runs import RunsClient
from app.sdk.threads import ThreadsClient


class AgentClient(PooledClient):
    """An async client for one LangGraph Agent Server (options: `TransportOptions`)."""

    capabilities: Capabilities = AGENT_SERVER

    def __init__(self, api_url: str, **options: Unpack[TransportOptions]) -> None:
        super().__init__(api_url, **options)
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
