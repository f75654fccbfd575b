"""Managed Deep Agents agents: the list a chat picks its agent from."""

from __future__ import annotations

from app.sdk.deepagents.models import ManagedAgent, ManagedAgentPage
from app.sdk.deepagents.transport import DeepAgentsTransport
from app.sdk.errors import RequestValidationError
from app.sdk.http import segment
from app.sdk.validate import model


class ManagedAgentsClient:
    """`client.agents`."""

    def __init__(self, transport: DeepAgentsTransport) -> None:
        self._transport = transport

    async def list(
        self, *, page_size: int = 20, cursor: str | None = None, name: str | None = None
    ) -> ManagedAgentPage:
        """One page of the caller's agents (`name` filters on a substring)."""
        if not 1 <= page_size <= 100:
            raise RequestValidationError(f"page_size must be 1..100, not {page_size}")
        params = {"page_size": page_size, "cursor": cursor, "name": name}
        data = await self._transport.request_json("GET", "/agents", params=params)
        return model(ManagedAgentPage, data, "agent page")

    async def get(self, agent_id: str) -> ManagedAgent:
        data = await self._transport.request_json("GET", f"/agents/{segment(agent_id)}")
        return model(ManagedAgent, data, "agent")
