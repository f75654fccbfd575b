"""Threads: create, read, search, update, delete; state and history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.sdk.errors import MalformedResponseError
from app.sdk.http import Transport, parse_json, segment
from app.sdk.models import Checkpoint, Thread, ThreadPage, ThreadState
from app.sdk.runs import checkpoint_dict
from app.sdk.validate import model, model_list


def _path(thread_id: str, suffix: str = "") -> str:
    return f"/threads/{segment(thread_id)}{suffix}"


def _given(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


class ThreadsClient:
    """`client.threads`."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def create(
        self,
        *,
        thread_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        if_exists: str | None = None,
    ) -> Thread:
        """A new thread. A taken `thread_id` raises ConflictError unless
        `if_exists="do_nothing"` (then the existing thread is returned)."""
        body = _given(thread_id=thread_id, metadata=metadata, if_exists=if_exists)
        data = await self._transport.request_json("POST", "/threads", json_body=body)
        return model(Thread, data, "thread")

    async def get(self, thread_id: str) -> Thread:
        data = await self._transport.request_json("GET", _path(thread_id))
        return model(Thread, data, "thread")

    async def search(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        values: Mapping[str, Any] | None = None,
        status: str | None = None,
        ids: list[str] | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: str | None = None,
        select: list[str] | None = None,
    ) -> ThreadPage:
        """Threads matching all the given filters; `.total` counts every match.
        `select` names the fields to return (e.g. `["thread_id", "metadata"]` leaves
        out the values)."""
        body = _given(
            metadata=metadata,
            values=values,
            status=status,
            ids=ids,
            limit=limit,
            offset=offset,
            sort_by=sort_by,
            sort_order=sort_order,
            select=select,
        )
        response = await self._transport.request(
            "POST", "/threads/search", json_body=body, idempotent=True
        )
        items = model_list(Thread, parse_json(response, "POST", "/threads/search"), "threads")
        total_header = response.headers.get("x-pagination-total")
        try:
            total = int(total_header) if total_header is not None else None
        except ValueError:
            raise MalformedResponseError(
                f"x-pagination-total is not a number: {total_header!r}"
            ) from None
        return ThreadPage(items=items, total=total)

    async def update(self, thread_id: str, *, metadata: Mapping[str, Any]) -> Thread:
        """Merge `metadata` into the thread's metadata."""
        data = await self._transport.request_json(
            "PATCH", _path(thread_id), json_body={"metadata": dict(metadata)}
        )
        return model(Thread, data, "thread")

    async def delete(self, thread_id: str) -> None:
        await self._transport.request("DELETE", _path(thread_id))

    async def get_state(
        self,
        thread_id: str,
        *,
        checkpoint_id: str | None = None,
        checkpoint: Checkpoint | Mapping[str, Any] | None = None,
        subgraphs: bool = False,
    ) -> ThreadState:
        """The thread's current state, or its state at a checkpoint."""
        params = {"subgraphs": True} if subgraphs else None
        if checkpoint is not None:
            body = {"checkpoint": checkpoint_dict(checkpoint), "subgraphs": subgraphs}
            data = await self._transport.request_json(
                "POST", _path(thread_id, "/state/checkpoint"), json_body=body, idempotent=True
            )
        elif checkpoint_id is not None:
            data = await self._transport.request_json(
                "GET", _path(thread_id, f"/state/{segment(checkpoint_id)}"), params=params
            )
        else:
            data = await self._transport.request_json(
                "GET", _path(thread_id, "/state"), params=params
            )
        return model(ThreadState, data, "thread state")

    async def get_history(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        before: str | Checkpoint | Mapping[str, Any] | None = None,
        checkpoint: Checkpoint | Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> list[ThreadState]:
        """States of all branches, newest first. `before` is a checkpoint (or its id)."""
        body: dict[str, Any] = {"limit": limit}
        if before is not None:
            before_id = checkpoint_dict(before).get("checkpoint_id")
            body["before"] = {"configurable": {"checkpoint_id": before_id}}
        if checkpoint is not None:
            body["checkpoint"] = checkpoint_dict(checkpoint)
        if metadata is not None:
            body["metadata"] = dict(metadata)
        data = await self._transport.request_json(
            "POST", _path(thread_id, "/history"), json_body=body, idempotent=True
        )
        return model_list(ThreadState, data, "thread states")

    async def update_state(
        self,
        thread_id: str,
        values: Any,
        *,
        as_node: str | None = None,
        checkpoint: Checkpoint | Mapping[str, Any] | None = None,
        checkpoint_id: str | None = None,
    ) -> Checkpoint:
        """Write `values` as if node `as_node` returned them; returns the new checkpoint."""
        body: dict[str, Any] = {"values": values}
        if as_node is not None:
            body["as_node"] = as_node
        if checkpoint is not None:
            body["checkpoint"] = checkpoint_dict(checkpoint)
        if checkpoint_id is not None:
            body["checkpoint_id"] = checkpoint_id
        data = await self._transport.request_json(
            "POST", _path(thread_id, "/state"), json_body=body
        )
        if not isinstance(data, dict) or not isinstance(data.get("checkpoint"), dict):
            raise MalformedResponseError(f"state update answered without a checkpoint: {data!r}")
        return model(Checkpoint, data["checkpoint"], "checkpoint")
