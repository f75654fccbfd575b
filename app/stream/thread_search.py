"""Searching the sidebar's threads by title and first message, in memory.

The Agent Server cannot search text (`/threads/search` filters metadata by equality), so
the client fetches one small row per thread and matches locally. A row is the title
(`metadata.title`, set by rename) and the first message: kept in `metadata.first_message`
when the chat writes it (`first_message_update`, once, when a thread's first message is
sent), else read from the thread's values. Fetching without values is what makes the
rows cheap; measured on the in-memory server with 300 threads of 10 messages:
`select=["thread_id", "metadata", "updated_at", "status"]` 43 KiB in 2 ms, with
`values` 3.5 MB in 10 ms (the server's `limit` is at most 1000 per page).

Matching folds case and diacritics ("Cafe" finds "Café", "STRASSE" finds "straße"), and
every word of the query must occur in the title or the first message; title matches come
first, each group in the rows' order (newest first as fetched). Rows are folded once, so
a query over a thousand threads is a few plain substring checks per row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.sdk.threads import ThreadsClient

FIRST_MESSAGE_KEY = "first_message"
MAX_FIRST_MESSAGE = 300
ROW_FIELDS = ["thread_id", "metadata", "updated_at", "status"]
"""`select` for fetching rows without the threads' values."""
PAGE_LIMIT = 1000
"""The most threads one `/threads/search` request returns."""


def fold(text: str) -> str:
    """`text` for matching: case-folded, accents removed, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for block in content if isinstance(content, list) else ():
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, Mapping) and block.get("type") == "text":
            parts.append(str(block.get("text") or ""))
    return " ".join(parts)


def first_message_text(values: Any, limit: int = MAX_FIRST_MESSAGE) -> str:
    """The text of the first human message in a thread's values ("" when none)."""
    messages = values.get("messages") if isinstance(values, Mapping) else None
    for message in messages if isinstance(messages, list) else ():
        if isinstance(message, Mapping) and message.get("type") in ("human", "HumanMessage"):
            text = " ".join(_text(message.get("content")).split())
            if text:
                return text[:limit]
    return ""


def first_message_update(text: str) -> dict[str, str]:
    """The metadata patch that keeps a thread's first message for search."""
    return {FIRST_MESSAGE_KEY: " ".join(text.split())[:MAX_FIRST_MESSAGE]}


def search_row(thread: Any) -> dict[str, str]:
    """`{"id", "title", "first_message", "updated_at", "status"}` for an SDK `Thread` or
    a thread dict (with or without values)."""
    data = thread.model_dump() if hasattr(thread, "model_dump") else dict(thread)
    metadata = data.get("metadata") if isinstance(data.get("metadata"), Mapping) else {}
    kept = metadata.get(FIRST_MESSAGE_KEY)
    first = kept.strip() if isinstance(kept, str) else ""
    title = metadata.get("title") if isinstance(metadata.get("title"), str) else ""
    return {
        "id": str(data.get("thread_id") or ""),
        "title": title.strip(),
        "first_message": first or first_message_text(data.get("values")),
        "updated_at": str(data.get("updated_at") or ""),
        "status": str(data.get("status") or ""),
    }


class ThreadSearch:
    """Rows folded once; `search(query)` returns the matching rows."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.rows = [dict(row) for row in rows]
        self._folded = [
            (fold(str(row.get("title") or "")), fold(str(row.get("first_message") or "")))
            for row in self.rows
        ]

    def search(self, query: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Rows whose title or first message holds every word of `query` (all rows for
        an empty query); title matches first."""
        words = fold(query).split()
        if not words:
            return self.rows[:limit] if limit else list(self.rows)
        in_title: list[dict[str, Any]] = []
        elsewhere: list[dict[str, Any]] = []
        for row, (title, first) in zip(self.rows, self._folded, strict=True):
            if all(word in title for word in words):
                in_title.append(row)
            elif all(word in title or word in first for word in words):
                elsewhere.append(row)
        found = in_title + elsewhere
        return found[:limit] if limit else found


async def fetch_rows(
    threads: ThreadsClient,
    *,
    metadata: Mapping[str, Any] | None = None,
    status: str | None = None,
    with_values: bool = False,
    max_rows: int = 5000,
) -> list[dict[str, str]]:
    """Search rows of the matching threads, newest first, page by page (1000 a page).
    `with_values=True` also reads the values, for threads whose first message is not
    in their metadata (much larger responses)."""
    select: Sequence[str] = [*ROW_FIELDS, "values"] if with_values else ROW_FIELDS
    rows: list[dict[str, str]] = []
    while len(rows) < max_rows:
        limit = min(PAGE_LIMIT, max_rows - len(rows))
        page = await threads.search(
            metadata=metadata, status=status, limit=limit, offset=len(rows),
            sort_by="updated_at", sort_order="desc", select=list(select),
        )
        rows.extend(search_row(thread) for thread in page.items)
        if len(page.items) < limit:
            break
    return rows
