"""Lists the chat keeps in a thread's metadata (recorded forks, HITL decisions): read
without the thread's values, changed and written back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.sdk.threads import ThreadsClient


async def read_metadata(threads: ThreadsClient, thread_id: str) -> dict[str, Any]:
    """A thread's metadata, read without its values (one small request)."""
    page = await threads.search(ids=[thread_id], limit=1, select=["thread_id", "metadata"])
    return dict(page.items[0].metadata or {}) if page.items else {}


def listed(metadata: Any, key: str) -> list[Any]:
    """The list kept under `metadata[key]` (anything else reads as empty)."""
    kept = metadata.get(key) if isinstance(metadata, dict) else None
    return list(kept) if isinstance(kept, list) else []


async def update_list(threads: ThreadsClient, thread_id: str, key: str,
                      change: Callable[[list[Any]], list[Any]]) -> list[Any]:
    """Read the list under `metadata[key]`, apply `change` and write the result back when
    it differs; returns it. The server merges metadata key by key, so the whole list is
    written: two writers at the same moment can lose one change."""
    kept = listed(await read_metadata(threads, thread_id), key)
    updated = change(list(kept))
    if updated != kept:
        await threads.update(thread_id, metadata={key: updated})
    return updated
