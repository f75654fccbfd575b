"""The threads sidebar: the assistant's threads from the server, newest first, with
paging, rename and delete. Network calls run in background events.

Backends with their own thread list (Managed Deep Agents: `capabilities.thread_list`) are
listed from it, with the server's titles, cursor paging and its `requires_attention`
filter for "Needs input"; others by a metadata search with offset paging."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.sdk.capabilities import capabilities_of
from app.states import backend, deployment
from app.states.branch_view import thread_url
from app.states.chat_registry import linked_chat
from app.states.errors import describe
from app.states.identity import SignInRequired, acting_client
from app.stream.messages import thread_title
from app.stream.plain import as_mapping

PAGE_SIZE = 20


def thread_row(thread: Any) -> dict[str, str]:
    """A sidebar row for an SDK `Thread` (or a dict with the same keys); the server's own
    `title`, where it keeps one, wins."""
    data = as_mapping(thread)
    status = "interrupted" if data.get("has_interrupts") else str(data.get("status") or "idle")
    server_title = str(data.get("title") or "").strip()
    return {
        "id": str(data["thread_id"]),
        "href": thread_url(str(data["thread_id"])),
        "title": server_title or thread_title((data.get("values") or {}).get("messages") or [],
                                              data.get("metadata")),
        "status": status if status in ("idle", "busy", "interrupted", "error") else "idle",
        "updated_at": str(data.get("updated_at") or ""),
    }


class ThreadListState(rx.State):
    """Threads of the current assistant, as shown in the sidebar."""

    threads: list[dict[str, str]] = []
    total: int = 0
    list_loading: bool = False
    list_error: str = ""
    rename_id: str = ""
    rename_text: str = ""
    delete_id: str = ""
    delete_title: str = ""
    needs_input_only: bool = False  # the "Needs input" filter (threads waiting for a person)
    _chat: str = ""  # full name of the chat state served (see chat_registry)
    _cursor: str = ""  # the next page of a server's own thread list ("" : none)

    @rx.var
    def has_more(self) -> bool:
        return len(self.threads) < self.total

    async def _assistant(self) -> str:
        thread_state = await linked_chat(self)
        return thread_state._assistant()

    async def _client(self) -> Any:
        """The client acting for this tab (None until a required sign-in happened)."""
        try:
            return await acting_client(self)
        except SignInRequired:
            return None

    async def _fetch(self, offset: int, limit: int) -> None:
        async with self:
            assistant = await self._assistant()
            self.list_loading = True
            status = "interrupted" if self.needs_input_only else None
            client = await self._client()
        if client is None:
            async with self:
                self.list_loading = False
                self.threads, self.total = [], 0
            return
        listed = capabilities_of(client).thread_list
        try:
            if listed:
                cursor = self._cursor if offset else None
                items, next_cursor = await _listed(client, assistant, limit, cursor,
                                                   self.needs_input_only)
            else:
                page = await client.threads.search(
                    metadata=backend.graph_filter(assistant),
                    status=status,
                    limit=limit,
                    offset=offset,
                    sort_by="updated_at",
                    sort_order="desc",
                )
                items, next_cursor = page.items, ""
        except Exception as exc:  # noqa: BLE001 - shown in the sidebar
            problem = deployment.problem_of(exc, assistant)
            async with self:
                self.list_loading = False
                self.list_error = f"Could not load threads: {problem.title.lower()}."
            return
        rows = [thread_row(t) for t in items]
        async with self:
            self.list_loading = False
            self.list_error = ""
            self.threads = rows if offset == 0 else self.threads + rows
            self._cursor = next_cursor
            if listed:
                self.total = len(self.threads) + (1 if next_cursor else 0)
            else:
                self.total = page.total if page.total is not None else len(self.threads) + (
                    1 if len(rows) == limit else 0
                )

    @rx.event(background=True)
    async def refresh(self):
        """Reload the first page (or as many rows as are already shown)."""
        async with self:
            limit = max(PAGE_SIZE, len(self.threads))
        await self._fetch(0, limit)

    @rx.event
    def toggle_needs_input(self):
        """Show only the threads waiting for a person (or all threads again)."""
        self.needs_input_only = not self.needs_input_only
        self.threads = []
        return ThreadListState.refresh

    @rx.event(background=True)
    async def load_more(self):
        async with self:
            offset = len(self.threads)
        await self._fetch(offset, PAGE_SIZE)

    # ----- rename --------------------------------------------------------------------
    @rx.event
    def start_rename(self, thread_id: str, title: str) -> None:
        self.rename_id, self.rename_text = thread_id, title

    @rx.event
    def set_rename_text(self, value: str) -> None:
        self.rename_text = value

    @rx.event
    def cancel_rename(self) -> None:
        self.rename_id, self.rename_text = "", ""

    @rx.event(background=True)
    async def save_rename(self, form: dict | None = None):
        async with self:
            thread_id = self.rename_id
            title = ((form or {}).get("title") or self.rename_text).strip()
            self.rename_id = ""
            client = await self._client()
        if not thread_id or not title or client is None:
            return
        try:
            if capabilities_of(client).rename:  # the server keeps a title of its own
                await client.threads.update(thread_id, title=title[:200])
            else:
                await client.threads.update(thread_id, metadata={"title": title[:200]})
        except Exception as exc:  # noqa: BLE001
            problem = deployment.problem_of(exc) or describe(exc)
            async with self:
                self.list_error = f"Rename failed: {problem.title}. {problem.detail}"
            return
        async with self:
            self.threads = [
                {**row, "title": title[:200]} if row["id"] == thread_id else row
                for row in self.threads
            ]

    # ----- delete --------------------------------------------------------------------
    @rx.event
    def ask_delete(self, thread_id: str, title: str) -> None:
        self.delete_id, self.delete_title = thread_id, title

    @rx.event
    def cancel_delete(self) -> None:
        self.delete_id, self.delete_title = "", ""

    @rx.event(background=True)
    async def confirm_delete(self):
        async with self:
            thread_id = self.delete_id
            self.delete_id, self.delete_title = "", ""
            active = (await linked_chat(self)).active_thread_id
            client = await self._client()
        if not thread_id or client is None:
            return
        try:
            await client.threads.delete(thread_id)
        except Exception as exc:  # noqa: BLE001
            problem = deployment.problem_of(exc) or describe(exc)
            async with self:
                self.list_error = f"Delete failed: {problem.title}. {problem.detail}"
            return
        async with self:
            self.threads = [row for row in self.threads if row["id"] != thread_id]
            self.total = max(0, self.total - 1)
        if thread_id == active:
            yield rx.redirect("/")


async def _listed(client: Any, agent_id: str, wanted: int, cursor: str | None,
                  needs_input: bool) -> tuple[list[Any], str]:
    """At least `wanted` threads of a server's own list (fewer on its last page), read
    page by page from `cursor`; returns them and the cursor after them ("" at the end)."""
    items: list[Any] = []
    while True:
        page = await client.threads.list(agent_id, page_size=PAGE_SIZE, cursor=cursor,
                                         requires_attention=True if needs_input else None)
        items.extend(page.items)
        cursor = page.next_cursor
        if not cursor or len(items) >= wanted:
            return items, cursor or ""
