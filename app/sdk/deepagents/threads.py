"""Managed Deep Agents threads: list (filters, cursor), create, get, rename/pin, delete.

The API has no state or history calls. A thread's messages and pending interrupts are
read through `POST /threads/search`, which the service passes unchanged to the Agent
Server underneath (Agent Server shape: `thread_id`, `values`, `interrupts`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from app.sdk.deepagents.models import PINNED_KEY, ManagedThread, ManagedThreadPage
from app.sdk.deepagents.transport import DeepAgentsTransport
from app.sdk.errors import RequestValidationError
from app.sdk.http import segment
from app.sdk.models import Thread
from app.sdk.validate import model, model_list

MAX_PAGE_SIZE = 20
STATUSES = ("idle", "busy", "interrupted", "error")


def _path(thread_id: str) -> str:
    return f"/threads/{segment(thread_id)}"


class ManagedThreadsClient:
    """`client.threads`."""

    def __init__(self, transport: DeepAgentsTransport) -> None:
        self._transport = transport

    async def list(
        self,
        agent_id: str,
        *,
        page_size: int = MAX_PAGE_SIZE,
        cursor: str | None = None,
        status: str | None = None,
        is_pinned: bool | None = None,
        requires_attention: bool | None = None,
        test_run: bool | None = None,
    ) -> ManagedThreadPage:
        """One page of the agent's threads, newest conversation activity first.

        `requires_attention=True` is the "Needs input" filter (it cannot be combined with
        `status`); `test_run=None` leaves the server's default (non-test threads only).
        """
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise RequestValidationError(f"page_size must be 1..{MAX_PAGE_SIZE}, not {page_size}")
        if status is not None and status not in STATUSES:
            raise RequestValidationError(f"status must be one of {STATUSES}, not {status!r}")
        if status is not None and requires_attention is not None:
            raise RequestValidationError("requires_attention cannot be combined with status")
        params = {
            "agent_id": agent_id,
            "page_size": page_size,
            "cursor": cursor,
            "status": status,
            "is_pinned": is_pinned,
            "requires_attention": requires_attention,
            "test_run": test_run,
        }
        data = await self._transport.request_json("GET", "/threads", params=params)
        return model(ManagedThreadPage, data, "thread page")

    async def iterate(self, agent_id: str, **filters: Any) -> AsyncIterator[ManagedThread]:
        """Every thread matching `filters` (as for `list`), following the cursor."""
        cursor: str | None = None
        while True:
            page = await self.list(agent_id, cursor=cursor, **filters)
            for thread in page.threads:
                yield thread
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    async def create(
        self,
        agent_id: str,
        *,
        metadata: Mapping[str, Any] | None = None,
        title: str | None = None,
        test_run: bool | None = None,
        skip_memory_write_protection: bool | None = None,
    ) -> ManagedThread:
        """A new thread of the agent.

        The create call takes no metadata: `metadata` (an owner, say) and `title` are
        stamped with a PATCH right after it.
        """
        options = {
            key: value
            for key, value in (
                ("test_run", test_run),
                ("skip_memory_write_protection", skip_memory_write_protection),
            )
            if value is not None
        }
        body: dict[str, Any] = {"agent_id": agent_id}
        if options:
            body["options"] = options
        data = await self._transport.request_json("POST", "/threads", json_body=body)
        thread = model(ManagedThread, data, "thread")
        if metadata or title is not None:
            thread = await self.update(thread.id, metadata=metadata, title=title)
        if not thread.agent_id:  # the documented create example answers `"agent_id": ""`
            thread.agent_id = agent_id
        return thread

    async def get(self, thread_id: str) -> ManagedThread:
        """The thread's metadata and status (no values: see `current`)."""
        data = await self._transport.request_json("GET", _path(thread_id))
        return model(ManagedThread, data, "thread")

    async def update(
        self,
        thread_id: str,
        *,
        title: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        pinned: bool | None = None,
    ) -> ManagedThread:
        """Rename (`title`), pin (`pinned`, kept as `metadata.is_pinned`) or merge
        `metadata`; what is left out stays unchanged."""
        body: dict[str, Any] = {}
        if title is not None:
            body["title"] = title
        merged = dict(metadata or {})
        if pinned is not None:
            merged[PINNED_KEY] = pinned
        if merged:
            body["metadata"] = merged
        if not body:
            raise RequestValidationError("nothing to update: give a title, metadata or pinned")
        data = await self._transport.request_json("PATCH", _path(thread_id), json_body=body)
        if isinstance(data, dict) and "id" in data:
            return model(ManagedThread, data, "thread")
        return await self.get(thread_id)  # the PATCH response's shape is not documented

    async def delete(self, thread_id: str) -> None:
        """Delete the thread and all its runs (idempotent)."""
        await self._transport.request("DELETE", _path(thread_id))

    async def search(self, **body: Any) -> list[Thread]:
        """`POST /threads/search`, passed to the Agent Server underneath unchanged
        (its filters: `ids`, `metadata`, `values`, `status`, `limit`, `offset`, ...)."""
        data = await self._transport.request_json(
            "POST", "/threads/search", json_body=body, idempotent=True
        )
        return model_list(Thread, data, "threads")

    async def current(self, thread_id: str) -> Thread | None:
        """The thread as the Agent Server underneath has it: `values` (the messages so
        far) and pending `interrupts`. None when the search does not find it."""
        found = await self.search(ids=[thread_id], limit=1)
        return found[0] if found else None
