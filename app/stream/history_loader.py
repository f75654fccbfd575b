"""Reading a thread's states from the server into its `ThreadHistory`: the current state
or the newest history page, older pages on demand (kept across runs), back to the forks
recorded in the thread's metadata, and the fork point of a message. An answer that comes
too late (another thread is shown, or a newer read started) is dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from app.sdk.threads import ThreadsClient
from app.stream.branches import checkpoint_id
from app.stream.fork_log import history_target, read_forks
from app.stream.history import OLDER_PAGE_SIZE, State, ThreadHistory, join_newer
from app.stream.plain import plain

MAX_GAP_PAGES = 5  # pages read to join a fresh newest page onto the kept older ones
StillWanted = Callable[[], bool]


async def read_states(threads: ThreadsClient, thread_id: str, limit: int | None,
                      still_wanted: Callable[[], bool]) -> list[State] | None:
    """The thread's states, newest first (only the current one when `limit` is None);
    None when `still_wanted()` turned false while waiting for the server."""
    if limit is None:
        states = [await threads.get_state(thread_id)]
    else:
        states = await threads.get_history(thread_id, limit=limit)
    if not still_wanted():
        return None
    history = [plain(state) for state in states]
    if limit is not None and history and history[0].get("next"):
        # History keeps a checkpoint's interrupts as they were when it was written;
        # after a partial resume only GET /state knows which are still pending.
        current = plain(await threads.get_state(thread_id))
        if not still_wanted():
            return None
        if checkpoint_id(current) == checkpoint_id(history[0]):
            history[0] = current
    return history


async def refresh_history(threads: ThreadsClient, thread_id: str, top: list[State],
                          known: list[State], limit: int, still_wanted: Callable[[], bool],
                          max_gap_pages: int = MAX_GAP_PAGES) -> tuple[list[State], bool] | None:
    """The fresh newest page `top` joined with the `known` older states, reading the pages
    in between when a run wrote more than a page (the known ones are dropped when that
    takes more than `max_gap_pages`). Returns (states, whether a page read here reached
    the thread's first checkpoint), or None when no longer wanted."""
    fresh = list(top)
    reached = len(top) < limit
    for pages in range(max_gap_pages + 1):
        joined = join_newer(fresh, known, reached_start=reached)
        if joined is not None:
            return joined, reached
        if pages == max_gap_pages:
            break
        page = await threads.get_history(thread_id, limit=limit,
                                         before=checkpoint_id(fresh[-1]))
        if not still_wanted():
            return None
        fresh.extend(plain(state) for state in page)
        reached = len(page) < limit
    return fresh, reached


def _shows(state: Mapping[str, Any], message_id: str, messages_key: str) -> bool:
    values = state.get("values")
    items = values.get(messages_key) if isinstance(values, Mapping) else None
    return any(isinstance(m, Mapping) and m.get("id") == message_id for m in items or ())


async def walk_to_fork_point(threads: ThreadsClient, thread_id: str, head: Mapping[str, Any],
                             message_id: str, messages_key: str,
                             max_steps: int) -> dict[str, Any] | None:
    """The parent checkpoint of the oldest state showing `message_id`, found by walking
    parent checkpoints back from `head` on the server (None when not found)."""
    state = head
    if not _shows(state, message_id, messages_key):
        return None
    for _ in range(max_steps):
        parent_id = checkpoint_id(state, "parent_checkpoint")
        if parent_id is None:
            return None
        parent = plain(await threads.get_state(thread_id, checkpoint_id=parent_id))
        if not _shows(parent, message_id, messages_key):
            return dict(state["parent_checkpoint"])
        state = parent
    return None




class HistoryLoader:
    """Reads one thread's states into `history` (`limit`: states per newest page, None
    for only the current state). `on_added()` runs after an older page was added."""

    def __init__(self, threads: ThreadsClient, history: ThreadHistory, limit: int | None,
                 on_added: Callable[[], Awaitable[None]]) -> None:
        self.threads = threads
        self.history = history
        self.limit = limit
        self._on_added = on_added
        self._seq = 0
        self._lock = asyncio.Lock()

    async def read(self, thread_id: str, still_wanted: StillWanted, *,
                   follow_newest: bool = False) -> bool:
        """Read the thread's newest states (keeping older pages read before); False when
        the answer came too late."""
        self._seq += 1
        seq = self._seq

        def wanted() -> bool:
            return still_wanted() and seq == self._seq

        limit = self.limit
        states = await read_states(self.threads, thread_id, limit, wanted)
        if states is None:
            return False
        reached_start = limit is not None and len(states) < limit
        if limit is not None and self.history.states:
            joined = await refresh_history(self.threads, thread_id, states,
                                           self.history.states, limit, wanted)
            if joined is None:
                return False
            states, reached_start = joined
        self.history.set_states(states, follow_newest=follow_newest,
                                reached_start=reached_start)
        return True

    async def load_older(self, thread_id: str, still_wanted: StillWanted,
                         page_size: int = OLDER_PAGE_SIZE) -> int:
        """Read the page of states just older than the fetched ones (never one already
        read); returns how many states it added (0: nothing older, or history off)."""
        history = self.history
        if self.limit is None or not history.states or history.complete:
            return 0
        async with self._lock:
            oldest = history.oldest_id
            if not still_wanted() or history.complete or oldest is None:
                return 0
            page = await self.threads.get_history(thread_id, limit=page_size, before=oldest)
            if not still_wanted() or history.oldest_id != oldest:
                return 0  # switched threads, or a refresh replaced the older states
            added = history.add_older([plain(state) for state in page],
                                      reached_start=len(page) < page_size)
        if added:
            await self._on_added()
        return added

    async def ensure(self, thread_id: str, still_wanted: StillWanted, *,
                     ids: Iterable[str] = (), branch: str | None = None,
                     reach: str | None = None, max_pages: int = 20,
                     page_size: int = OLDER_PAGE_SIZE) -> bool:
        """Read older pages until each message id in `ids` has its first state (and so
        its branch switcher), `branch` can be shown and the checkpoint id `reach` is
        fetched, at most `max_pages` pages. True when all is known."""
        ids = list(ids)
        history = self.history

        def satisfied() -> bool:
            if ids and history.missing(ids):
                return False
            oldest = history.oldest_id or ""
            if reach and oldest > reach and not history.complete:
                return False
            return not branch or history.resolves(branch)

        for _ in range(max_pages):
            if satisfied() or history.complete:
                break
            if not await self.load_older(thread_id, still_wanted, page_size) \
                    and not history.complete:
                break  # nothing came (history off, thread switched, or a refresh won)
        return satisfied()

    async def reach_forks(self, thread_id: str, still_wanted: StillWanted, *,
                          max_pages: int = 20, page_size: int = OLDER_PAGE_SIZE) -> bool:
        """Read older pages back to the oldest fork recorded in the thread's metadata,
        when it is older than the fetched history (nothing is read otherwise). True when
        every recorded fork lies inside the fetched history (or nothing older exists)."""
        target = history_target(await read_forks(self.threads, thread_id))
        if target is None:
            return True
        return await self.ensure(thread_id, still_wanted, reach=target, max_pages=max_pages,
                                 page_size=page_size)

    async def fork_point(self, thread_id: str, message_id: str, messages_key: str,
                         max_steps: int = 200) -> dict[str, Any] | None:
        """The checkpoint to fork from to edit or regenerate a message: the parent of the
        oldest state showing it, from history when fetched, else found by walking parent
        checkpoints back from the head on the server."""
        first_seen, _, _ = self.history.place_of(message_id)
        parent = first_seen.get("parent_checkpoint") if first_seen else None
        if parent:
            return dict(parent)
        head = self.history.head
        if head is None:
            return None
        return await walk_to_fork_point(self.threads, thread_id, head, message_id,
                                        messages_key, max_steps)
