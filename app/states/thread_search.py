"""Searching the sidebar's threads by title and first message ("Search threads").

The first keystroke reads one small row per thread of the assistant (no values: about
150 bytes a thread, `app.stream.thread_search.fetch_rows`); the rows are kept for
`ROWS_SECONDS` (or until the sidebar lists a thread they lack) and every keystroke after
that is matched in memory. Threads whose first
message is not in their metadata (made by another client) get it from their values,
read for at most `MISSING_VALUES` of them. Backends with a thread list of their own
(Managed Deep Agents) search the rows the sidebar already shows.
"""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from app.sdk.capabilities import capabilities_of
from app.states import backend
from app.states.branch_view import thread_url
from app.states.chat_registry import linked_chat
from app.states.identity import SignInRequired, acting_client
from app.states.threads import ThreadListState
from app.stream.messages import shorten
from app.stream.thread_search import ROW_FIELDS, ThreadSearch, fetch_rows, search_row

ROWS_SECONDS = 30.0
MISSING_VALUES = 50
RESULTS = 50


def result_row(row: dict[str, Any]) -> dict[str, str]:
    """A search result as the sidebar lists it."""
    first = row.get("first_message") or ""
    return {"id": row["id"], "href": thread_url(row["id"]),
            "title": shorten(row.get("title") or first or "Untitled thread", 80),
            "snippet": shorten(first, 120) if row.get("title") else "",
            "status": row.get("status") or "idle"}


async def read_rows(client: Any, assistant: str) -> list[dict[str, str]]:
    """Search rows of the assistant's threads (first messages filled in from values for
    the first `MISSING_VALUES` threads that do not keep it in their metadata)."""
    rows = await fetch_rows(client.threads, metadata=backend.graph_filter(assistant))
    missing = [row["id"] for row in rows if not row["first_message"]][:MISSING_VALUES]
    if missing:
        page = await client.threads.search(ids=missing, limit=len(missing),
                                           select=[*ROW_FIELDS, "values"])
        found = {row["id"]: row for row in (search_row(t) for t in page.items)}
        rows = [found.get(row["id"], row) for row in rows]
    return rows


class ThreadSearchState(rx.State):
    """The query typed in "Search threads" and the threads it finds."""

    query: str = ""
    results: list[dict[str, str]] = []
    searching: bool = False
    _rows: list[dict[str, str]] = []
    _rows_for: str = ""  # the assistant the rows are of
    _rows_at: float = 0.0
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    @rx.event(background=True)
    async def search(self, query: str):
        """The text in "Search threads" changed (debounced by the input)."""
        async with self:
            self.query = query
            if not query.strip():
                self.results, self.searching = [], False
                return
            assistant = (await linked_chat(self))._assistant()
            listed = [{"id": r["id"], "title": r["title"], "first_message": "",
                       "status": r["status"]}
                      for r in (await self.get_state(ThreadListState)).threads]
            known = {row["id"] for row in self._rows}
            fresh = (self._rows_for == assistant and all(r["id"] in known for r in listed)
                     and time.monotonic() - self._rows_at < ROWS_SECONDS)
            rows = list(self._rows) if fresh else None
            try:
                client = await acting_client(self)
            except SignInRequired:
                return
            if rows is None:
                self.searching = True
        if rows is None:
            try:
                rows = (listed if capabilities_of(client).thread_list
                        else await read_rows(client, assistant))
            except Exception:  # noqa: BLE001 - search what the sidebar shows instead
                rows = listed
        found = [result_row(row) for row in ThreadSearch(rows).search(query, limit=RESULTS)]
        async with self:
            if not fresh:
                self._rows, self._rows_for, self._rows_at = rows, assistant, time.monotonic()
            if self.query == query:  # a newer query answers for itself
                self.results, self.searching = found, False

    @rx.event
    def clear(self) -> None:
        self.query, self.results, self.searching = "", [], False
