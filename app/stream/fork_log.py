"""Fork points recorded in the thread's metadata, so opening a long thread reads only
as much older history as its branch switchers need.

History pages carry the full values of every checkpoint and cannot select fields (a
200-message thread is ~6 MB), so the chat does not read older pages just because the
first messages are older than the newest page. Instead, each edit or regenerate made
here records its fork point (the parent checkpoint) in `metadata["forks"]`: checkpoint
ids, newest last, at most `MAX_FORKS`. After a load or a run the chat reads older pages
only back to the oldest recorded fork; with none recorded it reads nothing more.

Limits: forks made by other clients (or lost when two tabs record at the same moment:
the server merges metadata key by key, so the list is read, extended and written back)
show their switcher only while they lie inside the fetched history. A `?branch=` in the
URL is found by `ThreadStream.load`/`set_branch` themselves. `ThreadStream` reads back to
the recorded forks after every load and run (`HistoryLoader.reach_forks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.sdk.threads import ThreadsClient
from app.stream.thread_metadata import read_metadata, update_list

FORKS_KEY = "forks"
MAX_FORKS = 100
MAX_ID_LENGTH = 64  # checkpoint ids are UUIDs; anything longer is not one


def recorded_forks(metadata: Mapping[str, Any] | None) -> list[str]:
    """The fork checkpoint ids kept in thread metadata (malformed entries skipped)."""
    kept = metadata.get(FORKS_KEY) if isinstance(metadata, Mapping) else None
    if not isinstance(kept, list):
        return []
    return [f for f in kept if isinstance(f, str) and 0 < len(f) <= MAX_ID_LENGTH]


def with_forks(forks: Iterable[str], new: Iterable[str], limit: int = MAX_FORKS) -> list[str]:
    """`forks` with the `new` ids added last (each id once, the newest `limit` kept)."""
    added = [fork for fork in dict.fromkeys(new) if fork]
    merged = [fork for fork in dict.fromkeys(forks) if fork not in added]
    merged.extend(added)
    return merged[-limit:] if limit > 0 else []


def history_target(forks: Iterable[str]) -> str | None:
    """The checkpoint id history must reach back to for every recorded fork's switcher:
    the oldest one (ids grow with time). None when nothing is recorded."""
    return min(forks, default=None)


async def read_forks(threads: ThreadsClient, thread_id: str) -> list[str]:
    """The thread's recorded forks, read without its values (one small request)."""
    return recorded_forks(await read_metadata(threads, thread_id))


async def record_fork(threads: ThreadsClient, thread_id: str, checkpoint_id: str) -> list[str]:
    """Add a fork point to the thread's metadata (nothing is written when it is already
    there); returns the recorded list."""
    def change(kept: list[Any]) -> list[Any]:
        forks = recorded_forks({FORKS_KEY: kept})
        if checkpoint_id in forks or not checkpoint_id or len(checkpoint_id) > MAX_ID_LENGTH:
            return kept
        return with_forks(forks, [checkpoint_id])

    return recorded_forks({FORKS_KEY: await update_list(threads, thread_id, FORKS_KEY, change)})
