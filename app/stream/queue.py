"""The submission queue: runs waiting on the server behind the one being streamed.

A message sent while a run streams becomes a run the server queues
(`multitask_strategy="enqueue"`). Runs found pending on the server when a thread is
opened (queued before a reload, or by another tab) join the same list. The UI lists the
entries and can cancel any of them.

`SubmissionQueue` is the list and its drain, with no I/O of its own: its owner injects
`follow(entry)`, which streams one queued run, and `drain()` follows the entries one
after the other, oldest first. `pending_entries(runs)` reads the server's run list.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from app.stream.messages import message_text
from app.stream.plain import as_mapping

Follow = Callable[["QueuedRun"], Awaitable[None]]


@dataclass
class QueuedRun:
    """A queued submission: the server's run id (None until the server answered), what
    it sends, what the user typed, and a client id to find it before the run id is known.
    `from_server`: found on the server rather than queued by this client."""

    client_id: str
    input: Any = None
    command: Any = None
    run_id: str | None = None
    thread_id: str | None = None
    created_at: float = 0.0
    text: str = ""
    from_server: bool = False

    @property
    def key(self) -> str:
        """How the UI names it: the run id once known, else the client id."""
        return self.run_id or self.client_id

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def queued_text(run_input: Any, messages_key: str = "messages") -> str:
    """The text of the last message in a run's input (what the user typed)."""
    if isinstance(run_input, Mapping):
        run_input = run_input.get(messages_key)
    if isinstance(run_input, list | tuple):
        run_input = run_input[-1] if run_input else None
    if run_input is None:
        return ""
    if isinstance(run_input, str):
        return run_input
    return message_text(as_mapping(run_input))


def pending_entries(runs: Iterable[Any], messages_key: str = "messages") -> list[QueuedRun]:
    """The runs of a server's run list that have not started, oldest first."""
    found: list[tuple[str, QueuedRun]] = []
    for run in runs:
        data = as_mapping(run)
        run_id = str(data.get("run_id") or "")
        if str(data.get("status") or "") != "pending" or not run_id:
            continue
        run_input = (data.get("kwargs") or {}).get("input")
        created = str(data.get("created_at") or "")
        found.append((created, QueuedRun(
            client_id=run_id, run_id=run_id, thread_id=str(data.get("thread_id") or "") or None,
            input=run_input, text=queued_text(run_input, messages_key), from_server=True)))
    found.sort(key=lambda item: item[0])
    return [entry for _, entry in found]


def running_run_id(runs: Iterable[Any]) -> str:
    """The id of a running run in a server's run list ("" when none runs)."""
    for run in runs:
        data = as_mapping(run)
        if str(data.get("status") or "") == "running" and data.get("run_id"):
            return str(data["run_id"])
    return ""


class SubmissionQueue:
    """Queued runs, oldest first, and the drain that follows them in turn."""

    def __init__(self, follow: Follow) -> None:
        self._follow = follow
        self._entries: list[QueuedRun] = []
        self._done: dict[str, asyncio.Future[None]] = {}
        self._changed = asyncio.Event()  # wakes a drain waiting for a run id
        self._draining = False

    # -- the list ----------------------------------------------------------------------

    def add(self, entry: QueuedRun) -> asyncio.Future[None]:
        """Append an entry; the future resolves once it was followed or dropped."""
        if not entry.created_at:
            entry.created_at = time.time()
        self._entries.append(entry)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._done[entry.client_id] = done
        if entry.run_id:
            self._changed.set()
        return done

    def started(self, entry: QueuedRun, run_id: str) -> None:
        """The server accepted the entry as run `run_id`."""
        entry.run_id = run_id
        self._changed.set()

    def find(self, key: str) -> QueuedRun | None:
        """The entry whose run id or client id is `key`."""
        for entry in self._entries:
            if key in (entry.run_id, entry.client_id):
                return entry
        return None

    def remove(self, key: str) -> QueuedRun | None:
        """Take an entry out (its future resolves)."""
        entry = self.find(key)
        if entry is not None:
            self._entries.remove(entry)
            self._resolve(entry)
        return entry

    def put_back(self, entry: QueuedRun, position: int) -> None:
        """Re-insert an entry taken out (its cancel did not reach the server)."""
        self._entries.insert(min(position, len(self._entries)), entry)
        self._done[entry.client_id] = asyncio.get_running_loop().create_future()

    def position(self, entry: QueuedRun) -> int:
        return self._entries.index(entry)

    def replace_server_entries(self, entries: Iterable[QueuedRun]) -> None:
        """Show what the server lists as pending now in place of the entries read from it
        before; entries queued by this client stay (each run once, oldest first)."""
        own = {e.run_id for e in self._entries if not e.from_server and e.run_id}
        fresh = [e for e in entries if e.run_id not in own]
        for entry in self._entries:
            if entry.from_server and entry.run_id not in {e.run_id for e in fresh}:
                self._resolve(entry)
        kept = [e for e in self._entries if not e.from_server]
        self._entries = sorted([*fresh, *kept], key=lambda e: e.created_at) if fresh else kept
        for entry in fresh:
            self._done.setdefault(entry.client_id,
                                  asyncio.get_running_loop().create_future())
        if fresh:
            self._changed.set()

    def has_server_entries(self) -> bool:
        return any(entry.from_server for entry in self._entries)

    def reset(self) -> list[QueuedRun]:
        """Forget every entry (another thread is shown); their futures resolve."""
        dropped, self._entries = self._entries, []
        for entry in dropped:
            self._resolve(entry)
        self._done.clear()
        return dropped

    def _resolve(self, entry: QueuedRun) -> None:
        self._changed.set()
        done = self._done.pop(entry.client_id, None)
        if done is not None and not done.done():
            done.set_result(None)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[QueuedRun]:
        return iter(list(self._entries))

    def to_json(self) -> list[dict[str, Any]]:
        return [entry.to_json() for entry in self._entries]

    # -- the drain ----------------------------------------------------------------------

    async def drain(self, still_wanted: Callable[[], bool]) -> None:
        """Follow the queued runs one after the other while `still_wanted()`; an entry
        whose create request is still in flight is waited for. One drain at a time."""
        if self._draining:
            return
        self._draining = True
        try:
            while self._entries and still_wanted():
                entry = self._entries[0]
                if entry.run_id is None:
                    self._changed.clear()
                    await self._changed.wait()
                    continue
                self._entries.pop(0)
                try:
                    await self._follow(entry)
                finally:
                    self._resolve(entry)
        finally:
            self._draining = False
