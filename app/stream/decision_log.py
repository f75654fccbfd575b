"""Human-in-the-loop decisions recorded in the thread's metadata (who decided what, when,
under which message), so every viewer of the thread sees them after a reload."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.sdk.threads import ThreadsClient
from app.stream.thread_metadata import listed, read_metadata, update_list

RECORDS_KEY = "hitl_decisions"
MAX_RECORDS = 200


async def record_decisions(threads: ThreadsClient, thread_id: str,
                           records: Iterable[Mapping[str, Any]]) -> list[Any]:
    """Append `records` (the newest `MAX_RECORDS` are kept); returns every record."""
    new = [dict(record) for record in records]
    return await update_list(threads, thread_id, RECORDS_KEY,
                             lambda kept: [*kept, *new][-MAX_RECORDS:])


async def read_decisions(threads: ThreadsClient, thread_id: str) -> list[Any]:
    """The decisions recorded on a thread."""
    return listed(await read_metadata(threads, thread_id), RECORDS_KEY)
