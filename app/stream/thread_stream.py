"""`ThreadStream`: one thread of an Agent Server as a chat UI sees it (useStream in Python).

It submits runs, consumes their event streams and keeps what the UI shows: values,
messages (tokens merged as they arrive), interrupts, branches, errors, loading flags and
the submission queue. After every run it re-reads the thread so the shown messages equal
the server's. Listeners are called after each change with a `StreamChange` hint, so a
UI layer can send only the message being streamed instead of the whole conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from app.sdk import AgentClient, StreamPart
from app.sdk.errors import AgentServerError, MalformedResponseError, NotFoundError, RunError
from app.stream.branches import checkpoint_id
from app.stream.callbacks import Callback, Callbacks
from app.stream.history import (
    OLDER_PAGE_SIZE,
    ThreadHistory,
    history_limit,
    read_states,
    refresh_history,
    walk_to_fork_point,
)
from app.stream.inputs import build_input, input_field
from app.stream.interrupts import (
    BREAKPOINT,
    as_dict,
    interrupts_from_state,
    resume_command,
    single_interrupt,
)
from app.stream.listeners import Listener, Listeners, StreamChange
from app.stream.messages import Message
from app.stream.modes import RunModes
from app.stream.queue import QueueRunner
from app.stream.shown import ShownThread
from app.stream.tools import tool_calls_of

_ABORTED = RuntimeError("aborted")  # marks a stream stopped locally (not an error)


def _ids_of(messages: Iterable[Mapping[str, Any] | str]) -> list[str]:
    """Message ids from messages or ids."""
    ids = (m if isinstance(m, str) else m.get("id") for m in messages)
    return [str(i) for i in ids if i]


class ThreadStream:
    """The state of one thread as a chat UI shows it; see the module docstring."""

    def __init__(
        self,
        assistant_id: str,
        api_url: str | None = None,
        *,
        client: AgentClient | None = None,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        messages_key: str = "messages",
        thread_id: str | None = None,
        fetch_state_history: bool | int = True,
        initial_values: Mapping[str, Any] | None = None,
        on_error: Callback | None = None,
        on_finish: Callback | None = None,
        on_created: Callback | None = None,
        on_stop: Callback | None = None,
        on_thread_id: Callback | None = None,
        on_update_event: Callback | None = None,
        on_custom_event: Callback | None = None,
        on_metadata_event: Callback | None = None,
        on_langchain_event: Callback | None = None,
        on_debug_event: Callback | None = None,
        on_checkpoint_event: Callback | None = None,
        on_task_event: Callback | None = None,
        on_tool_event: Callback | None = None,
    ) -> None:
        if client is None:
            if not api_url:
                raise ValueError("ThreadStream needs api_url or client")
            client = AgentClient(api_url, api_key=api_key, headers=headers)
            self._owns_client = True
        else:
            self._owns_client = False
        self.client = client
        self.assistant_id = assistant_id
        self.messages_key = messages_key
        self.fetch_state_history = fetch_state_history
        self.initial_values = dict(initial_values or {})
        self._callbacks = Callbacks({
            "on_error": on_error, "on_finish": on_finish, "on_created": on_created,
            "on_stop": on_stop, "on_thread_id": on_thread_id,
            "on_update_event": on_update_event, "on_custom_event": on_custom_event,
            "on_metadata_event": on_metadata_event,
            "on_langchain_event": on_langchain_event, "on_debug_event": on_debug_event,
            "on_checkpoint_event": on_checkpoint_event, "on_task_event": on_task_event,
            "on_tool_event": on_tool_event,
        })
        self._listeners = Listeners()
        self._modes = RunModes(self._callbacks)
        self._thread_id = thread_id
        self._generation = 0
        self._read_seq = 0
        self._task: asyncio.Task[Any] | None = None
        self._aborting = False
        self._queue = QueueRunner(self)
        self._history_lock = asyncio.Lock()
        self._branch_task: asyncio.Task[Any] | None = None
        self._reset_thread_data()

    # -- thread data ------------------------------------------------------------------

    def _reset_thread_data(self) -> None:
        self._shown = ShownThread(self.messages_key, self.initial_values)
        self._history = ThreadHistory(self.messages_key)
        self._stopped_checkpoint: str | None = None
        self._error: BaseException | None = None
        self._is_loading = False
        self._is_thread_loading = False
        self._run_id: str | None = None
        self._prior_event_ids: set[str] = set()
        self._event_ids: set[str] = set()
        self._last_event_run: str | None = None  # the run `_last_event_id` belongs to
        self._last_event_id: str | None = None
        self._queue.reset()

    # -- read-only views ----------------------------------------------------------------

    @property
    def thread_id(self) -> str | None:
        return self._thread_id

    @property
    def run_id(self) -> str | None:
        return self._run_id

    @property
    def version(self) -> int:
        """Grows with every change (cheap change detection for UI layers)."""
        return self._listeners.version

    @property
    def live_message_id(self) -> str | None:
        """The id of the message being streamed right now (None when idle)."""
        return self._shown.live_message_id if self._is_loading else None

    @property
    def messages(self) -> list[Message]:
        """The shown messages (the live list: copy it before keeping it)."""
        return self._shown.all_messages()

    @property
    def values(self) -> dict[str, Any]:
        """The shown values, messages included (a shallow copy)."""
        return self._shown.all_values()

    def message(self, message_id: str) -> Message | None:
        """One shown message by id (materialises only that message)."""
        return self._shown.message(message_id)

    def live_message(self) -> Message | None:
        """The message being streamed, or None."""
        live = self.live_message_id
        return self.message(live) if live else None

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def is_loading(self) -> bool:
        return self._is_loading

    @property
    def is_thread_loading(self) -> bool:
        return self._is_thread_loading

    @property
    def interrupts(self) -> list[Any]:
        """Every pending interrupt (a static breakpoint is `{"when": "breakpoint"}`)."""
        head = self._history.head
        if self._is_loading or head is None:
            streamed = self._shown.streamed_interrupts
            if streamed is None:
                return []
            return list(streamed) if streamed else [dict(BREAKPOINT)]
        found = interrupts_from_state(head)
        if self._stopped_checkpoint and self._stopped_checkpoint == checkpoint_id(head):
            found = [item for item in found if item != BREAKPOINT]
        return found

    @property
    def interrupt(self) -> Any:
        """None, the only pending interrupt, or the list when there are several."""
        return single_interrupt(self.interrupts)

    @property
    def branch(self) -> str:
        return self._history.branch

    @property
    def history(self) -> list[dict[str, Any]]:
        """The states of the shown branch, oldest first."""
        return self._history.shown_states

    @property
    def branch_tree(self) -> dict[str, Any]:
        return self._history.tree_json()

    @property
    def tool_calls(self) -> list[dict[str, Any]]:
        return tool_calls_of(self.messages)

    def get_tool_calls(self, ai_message: Mapping[str, Any]) -> list[dict[str, Any]]:
        return tool_calls_of(self.messages, ai_message)

    @property
    def queue(self) -> list[dict[str, Any]]:
        """Runs submitted while another was running (server-side `enqueue`), oldest first."""
        return self._queue.to_json()

    def message_status(self, message_id: str) -> str | None:
        """`pending` | `sent` | `failed` for a message this client submitted, else None."""
        return self._shown.status.get(message_id)

    def get_messages_metadata(self, message: Mapping[str, Any]) -> dict[str, Any] | None:
        """Where a message comes from: the first state that showed it, its branch and the
        branches it can switch to, its stream metadata and the parent checkpoint to fork
        from (edit: `submit(new, checkpoint=parent)`; regenerate: `submit(None, ...)`)."""
        message_id = message.get("id") if isinstance(message, Mapping) else None
        if not message_id:
            return None
        first_seen, branch, options = self._history.place_of(message_id)
        stream_metadata = self._shown.chunks.metadata.get(message_id)
        if (first_seen is None and stream_metadata is None
                and message_id not in self._shown.messages):
            return None
        parent = first_seen.get("parent_checkpoint") if first_seen else None
        return {
            "message_id": message_id,
            "first_seen_state": first_seen,
            "branch": branch,
            "branch_options": options,
            "stream_metadata": stream_metadata,
            "parent_checkpoint": parent,
            "status": self._shown.status.get(message_id),
        }

    async def fork_point(self, message: Mapping[str, Any], *,
                         max_steps: int = 200) -> dict[str, Any] | None:
        """The checkpoint to fork from to edit or regenerate `message`: the parent of the
        oldest state showing it. Known from history when it holds that state; otherwise
        (history off or too short) found by walking parent checkpoints on the server."""
        meta = self.get_messages_metadata(message)
        if meta and meta["parent_checkpoint"]:
            return dict(meta["parent_checkpoint"])
        message_id = message.get("id")
        head = self._history.head
        if not message_id or head is None or not self._thread_id:
            return None
        return await walk_to_fork_point(self.client.threads, self._thread_id, head,
                                        message_id, self.messages_key, max_steps)

    # -- listeners ------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change)` after every change; returns the unsubscribe function."""
        return self._listeners.subscribe(listener)

    def _mutate(self, update: Any) -> None:
        """The `mutate` given to callbacks: merge a partial values dict (or a function of
        the current values returning one) into the shown values."""
        partial = update(self.values) if callable(update) else update
        if not isinstance(partial, Mapping):
            return
        self._shown.merge(partial)
        self._listeners.bump()

    # -- loading a thread --------------------------------------------------------------------

    async def load(self) -> None:
        """Read the thread (state or history) and show it. Errors set `error`."""
        if not self._thread_id:
            return
        generation = self._generation
        self._is_thread_loading = True
        await self._listeners.notify()
        try:
            if await self._read_thread(generation):
                chosen = self._history.chosen
                if chosen and not self._history.resolves(chosen):
                    await self.ensure_history(branch=chosen)  # a fork older than the page
        except AgentServerError as exc:
            if generation == self._generation:
                self._error = exc
        finally:
            if generation == self._generation:
                self._is_thread_loading = False
                await self._listeners.notify()

    async def switch_thread(self, thread_id: str | None) -> None:
        """Show another thread (None: a new, empty one). The previous thread's run goes
        on on the server; nothing of it is shown here any more."""
        await self._abort_local()
        self._generation += 1
        self._thread_id = thread_id
        self._reset_thread_data()
        await self._listeners.notify()
        if thread_id:
            await self.load()

    async def _read_thread(self, generation: int, *, follow_newest: bool = False) -> bool:
        """Fetch the thread's state (or history) and show it; False when the answer came
        too late (thread switched or a newer read started)."""
        thread_id = self._thread_id
        if not thread_id:
            return False
        self._read_seq += 1
        seq = self._read_seq

        def still_wanted() -> bool:
            return generation == self._generation and seq == self._read_seq

        limit = history_limit(self.fetch_state_history)
        states = await read_states(self.client.threads, thread_id, limit, still_wanted)
        if states is None:
            return False
        reached_start = limit is not None and len(states) < limit
        if limit is not None and self._history.states:
            # Keep the older pages read before; only the newest page is read again.
            joined = await refresh_history(self.client.threads, thread_id, states,
                                           self._history.states, limit, still_wanted)
            if joined is None:
                return False
            states, reached_start = joined
        self._history.set_states(states, follow_newest=follow_newest,
                                 reached_start=reached_start)
        self._show_branch()
        return True

    def _show_branch(self) -> None:
        """Show the chosen branch's head (kept for later while a run streams)."""
        head = self._history.show()
        if head is not None and not self._streaming():
            self._shown.show_state(head)

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

    async def _find_branch(self, branch: str, generation: int) -> None:
        try:
            await self.ensure_history(branch=branch)
        except AgentServerError as exc:
            if generation == self._generation:
                self._error = exc
                await self._listeners.notify()

    # -- older history -----------------------------------------------------------------------

    def history_gaps(self, messages: Iterable[Mapping[str, Any] | str]) -> list[str]:
        """Ids of the given shown messages whose first state is older than the fetched
        history (their metadata has no first state, branch or switcher yet)."""
        return self._history.missing(_ids_of(messages))

    async def load_older_history(self, page_size: int = OLDER_PAGE_SIZE) -> int:
        """Read the page of states just older than the fetched ones (never one already
        read); returns how many states it added (0: nothing older, or history off)."""
        thread_id = self._thread_id
        if (not thread_id or history_limit(self.fetch_state_history) is None
                or not self._history.states or self._history.complete):
            return 0
        generation = self._generation
        async with self._history_lock:
            oldest = self._history.oldest_id
            if generation != self._generation or self._history.complete or oldest is None:
                return 0
            page = await self.client.threads.get_history(thread_id, limit=page_size,
                                                         before=oldest)
            if generation != self._generation or self._history.oldest_id != oldest:
                return 0  # switched threads, or a refresh replaced the older states
            added = self._history.add_older([as_dict(state) for state in page],
                                            reached_start=len(page) < page_size)
        if added:
            self._show_branch()
            await self._listeners.notify()
        return added

    async def ensure_history(self, messages: Iterable[Mapping[str, Any] | str] = (), *,
                             branch: str | None = None, reach: str | None = None,
                             max_pages: int = 20, page_size: int = OLDER_PAGE_SIZE) -> bool:
        """Read older history pages until each given message has its first state (and so
        its branch switcher), `branch` can be shown and the checkpoint id `reach` (e.g. a
        recorded fork point) is fetched, at most `max_pages` pages. Pages already read
        are kept (also across runs). True when all is known."""
        ids = _ids_of(messages)

        def satisfied() -> bool:
            if ids and self._history.missing(ids):
                return False
            oldest = self._history.oldest_id or ""
            if reach and oldest > reach and not self._history.complete:
                return False
            return not branch or self._history.resolves(branch)

        for _ in range(max_pages):
            if satisfied() or self._history.complete:
                break
            if not await self.load_older_history(page_size) and not self._history.complete:
                break  # nothing came (history off, thread switched, or a refresh won)
        return satisfied()

    # -- submitting ------------------------------------------------------------------------

    async def submit(
        self,
        values: Any = None,
        *,
        config: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        checkpoint: Mapping[str, Any] | str | None = None,
        command: Mapping[str, Any] | None = None,
        interrupt_before: Sequence[str] | str | None = None,
        interrupt_after: Sequence[str] | str | None = None,
        metadata: Mapping[str, Any] | None = None,
        multitask_strategy: str | None = None,
        on_completion: str | None = None,
        on_disconnect: str | None = None,
        stream_mode: Sequence[str] | str | None = None,
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        durability: str | None = None,
        optimistic_values: Any = None,
        thread_id: str | None = None,
    ) -> None:
        """Start a run and consume its stream; returns when the run's stream has ended and
        the thread was re-read. While another run streams, the new one is queued on the
        server (`enqueue`) unless `multitask_strategy` says otherwise."""
        run_input, shown = build_input(values, self.messages_key)
        running = self._is_loading
        strategy = multitask_strategy
        if running and strategy in (None, "enqueue"):
            queued = await self._queue.enqueue(
                run_input, command=command, config=config, context=context,
                checkpoint=checkpoint, metadata=metadata, stream_mode=stream_mode,
                stream_subgraphs=stream_subgraphs, interrupt_before=interrupt_before,
                interrupt_after=interrupt_after, durability=durability)
            if queued:
                return
            running = self._is_loading  # the first submit failed before it had a thread
        if running and strategy in ("interrupt", "rollback"):
            await self._abort_local()
        generation = self._generation
        self._shown.failed.clear()
        self._error = None
        self._stopped_checkpoint = None
        self._is_loading = True
        if optimistic_values is not None:
            prev = {**self.initial_values, **self.values}
            partial = optimistic_values(prev) if callable(optimistic_values) else {
                **prev, **dict(optimistic_values)}
            self._mutate(partial)
        self._shown.add_pending(shown, show=optimistic_values is None)
        await self._listeners.notify()
        await self._modes.learn(self.client)
        if not self._thread_id:
            try:
                thread = await self.client.threads.create(thread_id=thread_id, metadata=metadata)
            except AgentServerError as exc:
                await self._fail_before_run(exc, shown, generation)
                return
            if generation != self._generation:
                return
            self._thread_id = thread.thread_id
            await self._callbacks.call("on_thread_id", thread.thread_id)
        if on_disconnect is None:
            on_disconnect = "continue" if stream_resumable else "cancel"
        fields: dict[str, Any] = {
            "command": dict(command) if command is not None else None,
            "config": config, "context": context, "checkpoint": checkpoint,
            "interrupt_before": interrupt_before, "interrupt_after": interrupt_after,
            "metadata": metadata, "multitask_strategy": multitask_strategy,
            "on_completion": on_completion, "on_disconnect": on_disconnect,
            "stream_subgraphs": stream_subgraphs, "stream_resumable": stream_resumable,
            "durability": durability,
        }
        fields = {k: v for k, v in fields.items() if v is not None}
        thread = self._thread_id

        def opener() -> Any:
            return self.client.runs.stream(
                thread, self.assistant_id,
                input=input_field(run_input, command),
                stream_mode=self._modes.for_run(stream_mode), **fields,
            )

        await self._run(opener, generation, shown_ids=[m["id"] for m in shown],
                        follow_newest=True)
        await self._queue.drain(generation)

    async def respond(self, value: Any, interrupt_id: str | None = None, **options: Any) -> None:
        """Answer pending interrupts: `value` for `interrupt_id` (or for the only one), or a
        map `{interrupt_id: value}` for several. A static breakpoint just continues."""
        pending = self.interrupts
        if pending and all(item == BREAKPOINT for item in pending) and interrupt_id is None:
            await self.submit(None, **options)
            return
        await self.submit(None, command=resume_command(value, interrupt_id, pending), **options)

    async def join_stream(self, run_id: str, last_event_id: str | None = "-1",
                          *, stream_mode: Sequence[str] | None = None) -> None:
        """Follow a run already started (another tab, before a reload).

        `"-1"` replays it from the start: held chunks and seen event ids are reset so
        nothing doubles. An event id resumes after that event. None resumes where this
        stream left the run (after the last event it saw of it), or from now on for a
        run it never followed (no Last-Event-ID); nothing is reset, and events already
        seen are skipped."""
        if not self._thread_id:
            raise ValueError("join_stream needs a thread: switch to the run's thread first")
        if self._streaming():
            await self._abort_local()
        generation = self._generation
        if last_event_id is None and self._last_event_run == run_id:
            last_event_id = self._last_event_id
        if last_event_id == "-1":
            self._shown.forget_chunks()
        await self._follow_run(run_id, generation, last_event_id=last_event_id,
                               stream_mode=stream_mode)
        await self._queue.drain(generation)

    async def _follow_run(self, run_id: str, generation: int, *, last_event_id: str | None,
                          stream_mode: Sequence[str] | None = None) -> None:
        """Stream a run that exists on the server (joined, so no `on_created`)."""
        thread = self._thread_id
        if not thread:
            return
        self._error = None
        self._is_loading = True
        self._run_id = run_id
        if last_event_id == "-1":  # a replay from the start
            self._prior_event_ids.clear()
        await self._listeners.notify()

        def opener() -> Any:
            return self.client.runs.join(thread, run_id, last_event_id=last_event_id,
                                         stream_mode=stream_mode)

        await self._run(opener, generation, shown_ids=[], follow_newest=True, joined=True)

    # -- the run loop ----------------------------------------------------------------------

    def _streaming(self) -> bool:
        """True while a run's events are being read."""
        return self._task is not None and not self._task.done()

    async def _run(self, opener: Callable[[], Any], generation: int, *, shown_ids: list[str],
                   follow_newest: bool, joined: bool = False) -> None:
        task = asyncio.create_task(self._consume(opener, generation, shown_ids, joined))
        self._task = task
        try:
            error = await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.done():
                raise  # our caller was cancelled, not the stream
            error = None
        if generation != self._generation or error is _ABORTED or task.cancelled():
            return
        await self._finish(generation, error, shown_ids, follow_newest)

    async def _consume(self, opener: Callable[[], Any], generation: int, shown_ids: list[str],
                       joined: bool) -> BaseException | None:
        """Read one run's events; returns the error that ended it (None on success)."""
        self._shown.start_stream()
        self._event_ids = set()
        accepted = False
        try:
            async with opener() as stream:
                accepted = True
                if generation != self._generation:
                    return None
                self._run_id = stream.run_id or self._run_id
                if self._last_event_run != self._run_id:
                    self._last_event_run, self._last_event_id = self._run_id, None
                self._shown.mark_sent(shown_ids)
                if not joined:
                    await self._callbacks.call("on_created", self._run_info())
                await self._listeners.notify()
                async for part in stream:
                    if generation != self._generation:
                        return None
                    try:
                        await self._handle(part)
                    except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
                        raise MalformedResponseError(
                            f"the server sent a {part.event!r} event of an unexpected shape "
                            f"({type(exc).__name__}: {exc})") from None
        except asyncio.CancelledError:
            if self._aborting:
                return _ABORTED
            raise
        except RunError as exc:
            return exc
        except AgentServerError as exc:
            if not accepted:
                for message_id in shown_ids:
                    self._shown.mark_failed(message_id)
            return exc
        finally:
            self._prior_event_ids |= self._event_ids
        return None

    async def _fail_before_run(self, exc: AgentServerError, shown: list[Message],
                               generation: int) -> None:
        if generation != self._generation:
            return
        for message in shown:
            self._shown.mark_failed(message["id"])
        self._error = exc
        self._is_loading = False
        await self._callbacks.call("on_error", exc, self._run_info())
        await self._listeners.notify()

    async def _finish(self, generation: int, error: BaseException | None,
                      shown_ids: list[str], follow_newest: bool) -> None:
        """After a run: re-read the thread (is_loading stays true meanwhile), then report."""
        self._shown.flush_chunks()
        if error is not None:
            for message_id in shown_ids:
                self._shown.mark_failed(message_id)  # only pending ones fail
        run = self._run_info()
        read_error: BaseException | None = None
        try:  # a stale read is dropped: the newer one shows the thread
            await self._read_thread(generation, follow_newest=follow_newest)
        except AgentServerError as exc:
            read_error = exc
        if generation != self._generation:
            return
        self._error = error or read_error
        self._is_loading = False
        self._shown.live_message_id = None
        if self._error is not None:
            await self._callbacks.call("on_error", self._error, run)
        else:
            head = self._history.head
            await self._callbacks.call("on_finish", dict(head) if head else None, run)
        await self._listeners.notify()

    def _run_info(self) -> dict[str, Any]:
        return {"run_id": self._run_id, "thread_id": self._thread_id}

    async def _handle(self, part: StreamPart) -> None:
        if part.id:
            if part.id in self._prior_event_ids:
                return  # already seen before a reconnect
            self._event_ids.add(part.id)
            self._last_event_id = part.id
        mode, namespace, data = part.mode, list(part.namespace), part.data
        if mode == "messages":
            if self._shown.on_message(data):
                await self._listeners.notify(self._shown.live_message_id)
            return
        if mode == "values":
            if namespace:
                return  # subgraph values never overwrite the root's
            self._shown.on_values(data)
        else:
            if mode == "metadata" and isinstance(data, Mapping) and data.get("run_id"):
                self._run_id = str(data["run_id"])
            if not await self._callbacks.on_event(mode, data, namespace, self._mutate):
                return
        await self._listeners.notify()

    # -- stop, queue, abort -------------------------------------------------------------------

    async def _abort_local(self) -> None:
        """Stop reading the current stream without touching the server."""
        task = self._task
        if task is None or task.done():
            return
        self._aborting = True
        try:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        finally:
            self._aborting = False

    async def stop(self) -> None:
        """Stop the run: abort the local stream, cancel the run on the server, call
        `on_stop(mutate)`, then re-read the thread (no error, no partial message left)."""
        if not self._streaming() and not self._is_loading:
            return
        generation = self._generation
        run_id, thread_id = self._run_id, self._thread_id
        await self._abort_local()
        if run_id and thread_id:
            try:
                await self.client.runs.cancel(thread_id, run_id, wait=True)
            except NotFoundError:
                pass  # already over (closing a non-resumable stream cancels it too)
            except AgentServerError as exc:
                if generation == self._generation:
                    self._error = exc
        await self._callbacks.call("on_stop", self._mutate)
        if generation != self._generation:
            return
        try:
            await self._read_thread(generation)
            self._stopped_checkpoint = checkpoint_id(self._history.head)
        except AgentServerError as exc:
            self._error = exc
        self._is_loading = False
        self._shown.live_message_id = None
        await self._listeners.notify()

    async def cancel_queued(self, key: str) -> bool:
        """Cancel a queued run (by run id or client id); False when it is not queued."""
        return await self._queue.cancel(key)

    async def clear_queue(self) -> None:
        await self._queue.clear()

    async def aclose(self) -> None:
        """Stop reading (the run goes on on the server) and close an owned client."""
        await self._abort_local()
        if self._branch_task is not None and not self._branch_task.done():
            self._branch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._branch_task
        if self._owns_client:
            await self.client.aclose()

    # -- snapshot ---------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON-able data to rebuild this stream with `ThreadStream.restore`."""
        return {
            "assistant_id": self.assistant_id,
            "messages_key": self.messages_key,
            "fetch_state_history": self.fetch_state_history,
            "initial_values": self.initial_values,
            "thread_id": self._thread_id,
            **self._shown.snapshot(),
            "history": self._history.states,
            "branch": self._history.chosen,
            "error": None if self._error is None else str(self._error),
            "run_id": self._run_id,
            "was_loading": self._is_loading,
            "stopped_checkpoint": self._stopped_checkpoint,
            "queue": self._queue.to_json(),
        }

    @classmethod
    def restore(cls, snapshot: Mapping[str, Any], **options: Any) -> ThreadStream:
        """A stream showing what `snapshot` showed (pass api_url or client and callbacks).
        A run that was streaming is not followed: call `join_stream(run_id)` for that."""
        options.setdefault("messages_key", snapshot.get("messages_key", "messages"))
        options.setdefault("fetch_state_history", snapshot.get("fetch_state_history", True))
        options.setdefault("initial_values", snapshot.get("initial_values"))
        assistant_id = options.pop("assistant_id", snapshot["assistant_id"])
        stream = cls(assistant_id, thread_id=snapshot.get("thread_id"), **options)
        stream._history.set_states(list(snapshot.get("history") or []))
        stream._history.chosen = snapshot.get("branch") or ""
        stream._history.show()
        stream._shown.restore(snapshot)
        stream._run_id = snapshot.get("run_id")
        stream._stopped_checkpoint = snapshot.get("stopped_checkpoint")
        if snapshot.get("error"):
            stream._error = AgentServerError(str(snapshot["error"]))
        return stream


__all__ = ["StreamChange", "ThreadStream"]
