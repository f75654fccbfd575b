"""Loading a thread into a `ThreadStream`: switching threads, reading its states (through
`HistoryLoader`), the branch shown, older history pages and fork points. `ThreadStream`
inherits `ThreadLoading`; the reads themselves are `history_loader`'s."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.sdk import AgentClient
from app.sdk.errors import AgentServerError
from app.stream.fork_log import record_fork
from app.stream.history import OLDER_PAGE_SIZE
from app.stream.history_loader import HistoryLoader
from app.stream.run_consumer import RunConsumer
from app.stream.thread_view import ThreadView


class ThreadLoading(ThreadView):
    """What a `ThreadStream` does to show a thread's stored states."""

    client: AgentClient
    _generation: int
    _loader: HistoryLoader
    _consumer: RunConsumer
    _branch_task: asyncio.Task[Any] | None

    def _reset_thread_data(self) -> None:
        raise NotImplementedError

    def _wanted(self, generation: int) -> Callable[[], bool]:
        """A check that the thread shown when `generation` was current still is."""
        return lambda: generation == self._generation

    async def switch_thread(self, thread_id: str | None, *, branch: str = "") -> None:
        """Show another thread (None: a new, empty one). The previous thread's run goes
        on on the server; nothing of it is shown here any more."""
        await self._consumer.abort()
        self._generation += 1
        self._thread_id = thread_id
        self._reset_thread_data()
        self._history.chosen = branch
        await self._listeners.notify()
        if thread_id:
            await self.load()

    async def load(self) -> None:
        """Read the thread (state or history, the chosen branch, back to recorded forks)
        and show it. Errors set `error`."""
        thread_id = self._thread_id
        if not thread_id:
            return
        generation = self._generation
        self._is_thread_loading = True
        await self._listeners.notify()
        try:
            if await self._read_thread(generation):
                chosen = self._history.chosen
                if chosen and not self._history.resolves(chosen):
                    await self.ensure_history(branch=chosen)  # a fork older than the page
                await self._reach_recorded_forks(generation)
        except AgentServerError as exc:
            if generation == self._generation:
                self._error = exc
        finally:
            if generation == self._generation:
                self._is_thread_loading = False
                await self._listeners.notify()

    async def _read_thread(self, generation: int, *, follow_newest: bool = False) -> bool:
        """Fetch the thread's states and show them; False when the answer came too late."""
        thread_id = self._thread_id
        if not thread_id:
            return False
        if not await self._loader.read(thread_id, self._wanted(generation),
                                       follow_newest=follow_newest):
            return False
        self._show_branch()
        return True

    async def _reach_recorded_forks(self, generation: int) -> None:
        """When shown messages are older than the fetched history, read older pages back
        to the forks recorded in the thread's metadata (a failure only hides switchers)."""
        if self._thread_id and self.history_gaps(self.messages):
            with contextlib.suppress(AgentServerError):
                await self._loader.reach_forks(self._thread_id, self._wanted(generation))

    def _show_branch(self) -> None:
        """Show the chosen branch's head (kept for later while a run streams)."""
        head = self._history.show()
        if head is not None and not self._consumer.streaming:
            self._shown.show_state(head)

    async def _history_grew(self) -> None:
        self._show_branch()
        await self._listeners.notify()

    def set_branch(self, branch: str) -> None:
        """Show another branch (a `>`-joined path of fork checkpoint ids). A branch that
        forks before the fetched history is looked for in older pages in the background
        (bounded, see `ensure_history`); the newest branch shows until it is found."""
        self._history.chosen = branch or ""
        if not self._is_loading:
            self._show_branch()
        self._listeners.notify_soon()
        if (branch and self._history.states and not self._is_loading
                and not self._history.resolves(branch) and not self._history.complete):
            with contextlib.suppress(RuntimeError):  # no running loop: load() resolves it
                self._branch_task = asyncio.get_running_loop().create_task(
                    self._find_branch(branch, self._generation))

    async def _stop_branch_search(self) -> None:
        """Cancel a background search for a branch's fork (`set_branch`)."""
        task = self._branch_task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _find_branch(self, branch: str, generation: int) -> None:
        try:
            await self.ensure_history(branch=branch)
        except AgentServerError as exc:
            if generation == self._generation:
                self._error = exc
                await self._listeners.notify()

    async def load_older_history(self, page_size: int = OLDER_PAGE_SIZE) -> int:
        """Read the page of states just older than the fetched ones; returns how many
        states it added (0: nothing older, or history off)."""
        if not self._thread_id:
            return 0
        return await self._loader.load_older(self._thread_id, self._wanted(self._generation),
                                             page_size)

    async def ensure_history(self, messages: Iterable[Mapping[str, Any] | str] = (), *,
                             branch: str | None = None, reach: str | None = None,
                             max_pages: int = 20, page_size: int = OLDER_PAGE_SIZE) -> bool:
        """Read older history pages until each given message has its first state (and so
        its branch switcher), `branch` can be shown and the checkpoint id `reach` is
        fetched, at most `max_pages` pages (kept across runs). True when all is known."""
        if not self._thread_id:
            return False
        return await self._loader.ensure(
            self._thread_id, self._wanted(self._generation), ids=_ids_of(messages),
            branch=branch, reach=reach, max_pages=max_pages, page_size=page_size)

    def history_gaps(self, messages: Iterable[Mapping[str, Any] | str]) -> list[str]:
        """Ids of the given shown messages whose first state is older than the fetched
        history (their metadata has no first state, branch or switcher yet)."""
        return self._history.missing(_ids_of(messages))

    async def fork_point(self, message: Mapping[str, Any]) -> dict[str, Any] | None:
        """The checkpoint to fork from to edit or regenerate `message` (from history, or
        found by walking parent checkpoints on the server)."""
        message_id = message.get("id")
        if not message_id or not self._thread_id:
            return None
        return await self._loader.fork_point(self._thread_id, str(message_id),
                                             self.messages_key)

    async def _fork_from(self, message_id: str, verb: str) -> dict[str, Any]:
        """The fork point of a message, recorded in the thread's metadata (see
        `fork_log`; a failure to record only risks its switcher later)."""
        point = await self.fork_point({"id": message_id})
        if point is None:
            raise ValueError(f"This message cannot be {verb} (its checkpoint is unknown).")
        if self._thread_id and point.get("checkpoint_id"):
            with contextlib.suppress(AgentServerError):
                await record_fork(self.client.threads, self._thread_id, point["checkpoint_id"])
        return point



def _ids_of(messages: Iterable[Mapping[str, Any] | str]) -> list[str]:
    """Message ids from messages or ids."""
    ids = (m if isinstance(m, str) else m.get("id") for m in messages)
    return [str(i) for i in ids if i]
