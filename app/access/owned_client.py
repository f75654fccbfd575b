"""One owner's view of an Agent Server client: threads it did not create do not exist.

`OwnedClient(client, owner)` has the interface of `app.sdk.AgentClient` (and of the
other backends that mirror it): threads it creates carry the owner in their metadata,
every search is limited to the owner's threads, and every call naming a thread (reading
it, its state or history, updating, deleting, and every run call: stream, join, resume,
cancel, list) first checks that the thread is the owner's, answering `NotFoundError`
("Thread not found") otherwise, exactly as for an id that does not exist, so ids cannot
be probed. A check costs one small request the first time a thread is named; threads
created or found owned are remembered.

This is the backend's own guard, for servers that do not check ownership themselves;
the demo server's auth handler (agents/auth.py) enforces the same rules at the API.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from app.access.owners import owned_by, owner_filter, owner_metadata
from app.sdk.errors import NotFoundError

REMEMBERED = 2_000  # owned thread ids kept per client
LIST_PAGES = 5  # pages of a server's own thread list read to fill one page of the owner's


class _Owned:
    """The thread ids known to belong to the owner (bounded, newest kept)."""

    def __init__(self, threads: Any, owner: str) -> None:
        self._threads = threads
        self.owner = owner
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, thread_id: str) -> None:
        self._ids[thread_id] = None
        self._ids.move_to_end(thread_id)
        while len(self._ids) > REMEMBERED:
            self._ids.popitem(last=False)

    async def check(self, thread_id: str | None) -> None:
        """Raise NotFoundError unless `thread_id` is the owner's (None: no thread)."""
        if thread_id is None or thread_id in self._ids:
            return
        page = await self._threads.search(ids=[thread_id], metadata=owner_filter(self.owner),
                                          limit=1, select=["thread_id"])
        if not page.items:
            raise NotFoundError("Thread not found", status=404, detail="Thread not found")
        self.add(thread_id)


class _OwnedThreads:
    def __init__(self, threads: Any, owned: _Owned) -> None:
        self._threads = threads
        self._owned = owned

    async def create(self, *, metadata: Mapping[str, Any] | None = None, **options: Any) -> Any:
        thread = await self._threads.create(
            metadata=owner_metadata(self._owned.owner, metadata), **options)
        self._owned.add(thread.thread_id)
        return thread

    async def search(self, *, metadata: Mapping[str, Any] | None = None, **options: Any) -> Any:
        return await self._threads.search(metadata=owner_filter(self._owned.owner, metadata),
                                          **options)

    async def update(self, thread_id: str, *, metadata: Mapping[str, Any] | None = None,
                     **options: Any) -> Any:
        await self._owned.check(thread_id)
        return await self._threads.update(
            thread_id, metadata=owner_metadata(self._owned.owner, metadata), **options)

    async def list(self, agent_id: str, **options: Any) -> Any:
        """A server's own thread list (Managed Deep Agents) cannot filter on metadata:
        its pages are narrowed here to the owner's threads, reading on (at most
        `LIST_PAGES` pages) until one holds any."""
        for _ in range(LIST_PAGES):
            page = await self._threads.list(agent_id, **options)
            page.items = [t for t in page.items if owned_by(t, self._owned.owner)]
            for thread in page.items:
                self._owned.add(thread.thread_id)
            if page.items or not page.next_cursor:
                return page
            options["cursor"] = page.next_cursor
        return page

    def __getattr__(self, name: str) -> Any:
        """get, delete, get_state, get_history, update_state, ...: after the check."""
        call = getattr(self._threads, name)

        async def checked(thread_id: str, *args: Any, **options: Any) -> Any:
            await self._owned.check(thread_id)
            return await call(thread_id, *args, **options)

        return checked


class _OwnedRuns:
    """Every run call names its thread first: checked, then passed on. `stream` and
    `join` return context managers, so they are checked when entered."""

    def __init__(self, runs: Any, owned: _Owned) -> None:
        self._runs = runs
        self._owned = owned

    def stream(self, thread_id: str | None, *args: Any, **options: Any) -> _CheckedStream:
        return _CheckedStream(self._owned, thread_id, self._runs.stream, args, options)

    def join(self, thread_id: str, *args: Any, **options: Any) -> _CheckedStream:
        return _CheckedStream(self._owned, thread_id, self._runs.join, args, options)

    def __getattr__(self, name: str) -> Any:
        call = getattr(self._runs, name)

        async def checked(thread_id: str | None, *args: Any, **options: Any) -> Any:
            await self._owned.check(thread_id)
            return await call(thread_id, *args, **options)

        return checked


class _CheckedStream:
    """`async with` a run stream, opened only once the thread is found to be owned."""

    def __init__(self, owned: _Owned, thread_id: str | None, open_: Any, args: tuple,
                 options: dict[str, Any]) -> None:
        self._owned, self._thread_id = owned, thread_id
        self._open, self._args, self._options = open_, args, options
        self._stream: Any = None

    async def __aenter__(self) -> Any:
        await self._owned.check(self._thread_id)
        self._stream = self._open(self._thread_id, *self._args, **self._options)
        return await self._stream.__aenter__()

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await self._stream.__aexit__(*exc_info)


class OwnedClient:
    """`client` as seen by `owner` (see the module docstring)."""

    def __init__(self, client: Any, owner: str) -> None:
        self._client = client
        self.owner = owner
        owned = _Owned(client.threads, owner)
        self.threads = _OwnedThreads(client.threads, owned)
        self.runs = _OwnedRuns(client.runs, owned)

    async def resolve_interrupt(self, thread_id: str) -> None:
        """Dismiss a pending interrupt (Managed Deep Agents) on one of the owner's threads."""
        await self.threads._owned.check(thread_id)
        await self._client.resolve_interrupt(thread_id)

    def __getattr__(self, name: str) -> Any:
        """assistants, transport, api_url, capabilities, ok, info, aclose: the wrapped
        client's."""
        return getattr(self._client, name)
