"""Assistants: read, search, schemas, graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.sdk.errors import MalformedResponseError
from app.sdk.http import Transport, segment
from app.sdk.models import Assistant
from app.sdk.validate import model, model_list


class AssistantsClient:
    """`client.assistants`. Note: `get` needs an assistant uuid; run endpoints also take
    a graph id."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def get(self, assistant_id: str) -> Assistant:
        data = await self._transport.request_json("GET", f"/assistants/{segment(assistant_id)}")
        return model(Assistant, data, "assistant")

    async def search(
        self,
        *,
        graph_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[Assistant]:
        body: dict[str, Any] = {"limit": limit, "offset": offset}
        if graph_id is not None:
            body["graph_id"] = graph_id
        if metadata is not None:
            body["metadata"] = dict(metadata)
        data = await self._transport.request_json(
            "POST", "/assistants/search", json_body=body, idempotent=True
        )
        return model_list(Assistant, data, "assistants")

    async def schemas(self, assistant_id: str) -> dict[str, Any]:
        """The graph's input, output, state, config and context JSON schemas."""
        data = await self._transport.request_json(
            "GET", f"/assistants/{segment(assistant_id)}/schemas"
        )
        if not isinstance(data, dict):
            raise MalformedResponseError(f"assistant schemas are not an object: {data!r:.200}")
        return data

    async def graph(self, assistant_id: str, *, xray: bool | int = False) -> dict[str, Any]:
        """The graph's drawing: `{"nodes": [...], "edges": [...]}`; a tool node lists its
        tools in `metadata["__tools"]`. Takes an assistant id or a graph id."""
        params = {"xray": str(xray).lower()} if xray else None
        data = await self._transport.request_json(
            "GET", f"/assistants/{segment(assistant_id)}/graph", params=params
        )
        if not isinstance(data, dict):
            raise MalformedResponseError(f"assistant graph is not an object: {data!r:.200}")
        return data
