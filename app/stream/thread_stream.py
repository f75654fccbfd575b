"""`ThreadStream`: one thread of an Agent Server as a chat UI sees it (useStream in Python).

It owns the stream policy: opening a thread (its history back to recorded forks, then its
running and queued runs), submitting and forking runs, consuming their events, the
submission queue, and re-reading the thread after every run so the shown messages equal
the server's. What it shows lives in `ShownThread` (values, messages) and
`ThreadHistory` (states, branches); listeners are told after each change with a
`StreamChange` hint, so a UI can send only the message being streamed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.sdk import AgentClient
from app.sdk.capabilities import capabilities_of
from app.sdk.errors import AgentServerError, NotFoundError, RunError
from app.stream.abilities import require, run_extras
from app.stream.agent_activity import AgentActivity
from app.stream.branches import checkpoint_id
from app.stream.callbacks import Callback, Callbacks
from app.stream.history import ThreadHistory, history_limit
from app.stream.history_loader import HistoryLoader
from app.stream.inputs import build_input, input_field
from app.stream.listeners import Listener, Listeners, StreamChange
from app.stream.modes import RunModes
from app.stream.queue import SubmissionQueue
from app.stream.reconnect import MAX_FAILED_TRIES, is_lost_connection, rejoin_delay
from app.stream.run_consumer import ABORTED, RunConsumer
from app.stream.run_events import RunEvents
from app.stream.shown import ShownThread
from app.stream.subagent_modes import SubgraphPolicy
from app.stream.thread_activity import ThreadActivity

CALLBACK_NAMES = (
    "on_error", "on_finish", "on_created", "on_stop", "on_thread_id", "on_update_event",
    "on_custom_event", "on_metadata_event", "on_langchain_event", "on_debug_event",
    "on_checkpoint_event", "on_task_event", "on_tool_event", "on_feedback_event",
)


class ThreadStream(ThreadActivity):
    """The state of one thread as a chat UI shows it; see the module docstring. The
    `on_*` callbacks are useStream's (`on_error(error, run)`, `on_finish(state, run)`,
    `on_custom_event(data, namespace, mutate)`, ...).

    `client` is any backend of `app.sdk.backend` (an `AgentClient` when only `api_url`
    is given); what its `capabilities` lack is refused with `NotSupportedError` (no
    history: only the thread's head is read). `user_timezone`: the user's IANA zone, sent
    with each run where the backend takes one. `extra_body`: keys added to every run's
    body (e.g. `feedback_keys`, see `app.stream.feedback.run_body`)."""

    def __init__(self, assistant_id: str, api_url: str | None = None, *,
                 client: AgentClient | None = None, api_key: str | None = None,
                 headers: Mapping[str, str] | None = None, messages_key: str = "messages",
                 thread_id: str | None = None, fetch_state_history: bool | int = True,
                 initial_values: Mapping[str, Any] | None = None,
                 user_timezone: str | None = None,
                 extra_body: Mapping[str, Any] | None = None,
                 **callbacks: Callback | None) -> None:
        unknown = set(callbacks) - set(CALLBACK_NAMES)
        if unknown:
            raise TypeError(f"unknown ThreadStream option(s): {', '.join(sorted(unknown))}")
        self._owns_client = client is None
        if client is None:
            if not api_url:
                raise ValueError("ThreadStream needs api_url or client")
            client = AgentClient(api_url, api_key=api_key, headers=headers)
        self.client = client
        self.capabilities = capabilities_of(client)
        self.assistant_id = assistant_id
        self.messages_key = messages_key
        self.fetch_state_history = fetch_state_history if self.capabilities.history else False
        self.user_timezone = user_timezone
        self.extra_body = dict(extra_body or {})
        self.initial_values = dict(initial_values or {})
        self._callbacks = Callbacks(callbacks)
        self._listeners = Listeners()
        self._modes = RunModes(self._callbacks, self.capabilities.stream_modes)
        self._thread_id = thread_id
        self._generation = 0
        self._consumer = RunConsumer()
        self._branch_task: asyncio.Task[Any] | None = None
        self._queue = SubmissionQueue(self._follow_queued)
        self._subgraphs = SubgraphPolicy()
        self._reset_thread_data()

    def _reset_thread_data(self) -> None:
        self._shown = ShownThread(self.messages_key, self.initial_values)
        self._history = ThreadHistory(self.messages_key)
        self._loader = HistoryLoader(self.client.threads, self._history,
                                     history_limit(self.fetch_state_history),
                                     self._history_grew)
        self._activity = AgentActivity()
        self._answers_read: str | None = None
        self._events = RunEvents(self._shown, self._callbacks, self._listeners, self._mutate,
                                 self._activity)
        self._stopped_checkpoint: str | None = None
        self._error: BaseException | None = None
        self._is_loading = False
        self._is_thread_loading = False
        self._reconnecting = False
        self._settling = False
        self._queue.reset()

    # -- listeners ---------------------------------------------------------------------

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

    # -- opening a thread ----------------------------------------------------------------

    async def open(self, thread_id: str | None, *, branch: str = "",
                   run_id: str | None = None) -> None:
        """Show a thread as a chat opens it: read it (the branch asked for, history back to
        its recorded forks), then follow its running run and the runs queued behind it.
        `run_id`: a run this client saw streaming (e.g. kept in browser storage), followed
        when the server's run list cannot be read. None opens a new, empty thread."""
        await self.switch_thread(thread_id, branch=branch)
        if not thread_id or self._error is not None:
            return
        generation = self._generation
        running = await self._read_server_queue()
        if running is None and run_id:  # the run list could not be read: the stored run
            await self._follow_run(run_id, generation, last_event_id="-1")
            if isinstance(self._error, RunError | NotFoundError):
                self._error = None  # a stale stored run is not the user's problem
        elif running:
            await self._follow_run(running, generation, last_event_id="-1")
        await self._queue.drain(self._wanted(generation))

    # -- submitting and forking --------------------------------------------------------

    async def submit(self, values: Any = None, *, command: Mapping[str, Any] | None = None,
                     stream_mode: Sequence[str] | str | None = None,
                     multitask_strategy: str | None = None, on_disconnect: str | None = None,
                     stream_resumable: bool = False, optimistic_values: Any = None,
                     thread_id: str | None = None, stream_subgraphs: bool | None = None,
                     **fields: Any) -> None:
        """Start a run and consume its stream; returns when the run's stream has ended and
        the thread was re-read. While another run streams, the new one is queued on the
        server (`enqueue`) unless `multitask_strategy` says otherwise. `stream_subgraphs`
        None: when the assistant has subagents. `fields`: the run body's other keys
        (config, context, checkpoint, metadata, interrupt_before, ...)."""
        run_input, shown = build_input(values, self.messages_key)
        fields = {k: v for k, v in fields.items() if v is not None and v is not False}
        if self._is_loading and multitask_strategy in (None, "enqueue"):
            if await self._enqueue(run_input, command, stream_mode, fields):
                return
        if self._is_loading and multitask_strategy in ("interrupt", "rollback"):
            await self._consumer.abort()
        generation = self._generation
        self._shown.failed.clear()
        self._error = None
        self._stopped_checkpoint = None
        self._is_loading = True
        if optimistic_values is not None:
            prev = {**self.initial_values, **self.values}
            self._mutate(optimistic_values(prev) if callable(optimistic_values)
                         else {**prev, **dict(optimistic_values)})
        self._shown.add_pending(shown, show=optimistic_values is None)
        await self._listeners.notify()
        await self._modes.learn(self.client)
        subgraphs = await self._subgraph_wanted(stream_subgraphs)
        if not self._thread_id:
            made_for = ({"agent_id": self.assistant_id}
                        if self.capabilities.threads_per_agent else {})
            try:
                thread = await self.client.threads.create(thread_id=thread_id,
                                                          metadata=fields.get("metadata"),
                                                          **made_for)
            except AgentServerError as exc:
                await self._fail_before_run(exc, shown, generation)
                return
            if generation != self._generation:
                return
            self._thread_id = thread.thread_id
            await self._callbacks.call("on_thread_id", thread.thread_id)
        body = {**fields, "command": dict(command) if command is not None else None,
                "multitask_strategy": multitask_strategy,
                "on_disconnect": on_disconnect or ("continue" if stream_resumable
                                                   else "cancel"),
                "stream_resumable": stream_resumable or None,
                **run_extras(self.capabilities, user_timezone=self.user_timezone),
                "stream_subgraphs": subgraphs or None,
                "extra_body": {**self.extra_body, **(fields.get("extra_body") or {})} or None}
        body = {k: v for k, v in body.items() if v is not None}
        thread = self._thread_id

        def opener() -> Any:
            return self.client.runs.stream(
                thread, self.assistant_id, input=input_field(run_input, command),
                stream_mode=self._modes.for_run(stream_mode, subgraphs=subgraphs), **body)

        await self._run(opener, generation, shown_ids=[m["id"] for m in shown])
        await self._queue.drain(self._wanted(generation))

    async def edit(self, message_id: str, message: Any, **options: Any) -> None:
        """Fork the conversation from the checkpoint before `message_id` with `message`
        (a text or a message dict) in its place; the fork point is recorded."""
        require(self.capabilities, "history", "Editing a message")
        point = await self._fork_from(message_id, "edited")
        await self.submit({self.messages_key: [message]}, checkpoint=point, **options)

    async def regenerate(self, message_id: str, **options: Any) -> None:
        """Ask again from the checkpoint before the AI message `message_id`."""
        require(self.capabilities, "history", "Regenerating an answer")
        point = await self._fork_from(message_id, "regenerated")
        await self.submit(None, checkpoint=point, **options)

    async def _fail_before_run(self, exc: AgentServerError, shown: list[Any],
                               generation: int) -> None:
        if generation != self._generation:
            return
        for message in shown:
            self._shown.mark_failed(message["id"])
        self._error = exc
        self._is_loading = False
        await self._callbacks.call("on_error", exc, self._run_info())
        await self._listeners.notify()

    # -- following runs that exist on the server -----------------------------------------

    async def join_stream(self, run_id: str, last_event_id: str | None = "-1",
                          *, stream_mode: Sequence[str] | None = None) -> None:
        """Follow a run already started (another tab, before a reload).

        `"-1"` replays it from the start (held chunks and seen event ids reset, so nothing
        doubles). An event id resumes after that event. None resumes where this stream
        left the run, or from now on for a run it never followed."""
        require(self.capabilities, "join", "Joining a running run")
        if not self._thread_id:
            raise ValueError("join_stream needs a thread: switch to the run's thread first")
        await self._consumer.abort()
        generation = self._generation
        if last_event_id is None:
            last_event_id = self._events.resume_point(run_id)
        await self._follow_run(run_id, generation, last_event_id=last_event_id,
                               stream_mode=stream_mode)
        await self._queue.drain(self._wanted(generation))

    async def _follow_run(self, run_id: str, generation: int, *, last_event_id: str | None,
                          stream_mode: Sequence[str] | None = None) -> None:
        """Stream a run that exists on the server (joined, so no `on_created`)."""
        thread = self._thread_id
        if not thread or generation != self._generation:
            return
        self._error = None
        self._is_loading = True
        self._events.run_id = run_id
        if last_event_id == "-1":
            self._events.replay_from_start()
        await self._listeners.notify()

        def opener() -> Any:
            return self.client.runs.join(thread, run_id, last_event_id=last_event_id,
                                         stream_mode=stream_mode)

        await self._run(opener, generation, shown_ids=[], joined=True)

    # -- the run loop ------------------------------------------------------------------

    async def _run(self, opener: Callable[[], Any], generation: int, *, shown_ids: list[str],
                   joined: bool = False) -> None:
        """Read a run's stream to its end, then re-read the thread and report."""
        async def created() -> None:
            await self._callbacks.call("on_created", self._run_info())

        error = await self._consumer.run(lambda: self._events.read(
            opener, self._wanted(generation), shown_ids, None if joined else created))
        if is_lost_connection(error) and self._events.run_id and self.capabilities.join:
            error = await self._rejoin(generation)
        if generation == self._generation and error is not ABORTED:
            await self._finish(generation, error, shown_ids)

    async def _rejoin(self, generation: int) -> BaseException | None:
        """The run's stream broke: rejoin it after the last event seen (`reconnecting` is
        true meanwhile) until it ends or rejoins keep bringing nothing."""
        run_id, thread = self._events.run_id or "", self._thread_id or ""
        failed, error = 0, None
        self._reconnecting = True
        try:
            while failed < MAX_FAILED_TRIES and generation == self._generation:
                await self._listeners.notify()
                await asyncio.sleep(rejoin_delay(failed))
                resume = self._events.resume_point(run_id)
                if resume is None:
                    self._events.replay_from_start()

                def opener(last: str = resume or "-1") -> Any:
                    return self.client.runs.join(thread, run_id, last_event_id=last)

                error = await self._consumer.run(lambda: self._events.read(
                    opener, self._wanted(generation), [], None))
                if not is_lost_connection(error):
                    return error
                failed = 0 if self._events.received else failed + 1
            return error
        finally:
            self._reconnecting = False

    async def _finish(self, generation: int, error: BaseException | None,
                      shown_ids: list[str]) -> None:
        """After a run: re-read the thread (is_loading stays true meanwhile, and
        is_settling), then report."""
        self._shown.flush_chunks()
        if error is not None:
            for message_id in shown_ids:
                self._shown.mark_failed(message_id)  # only pending ones fail
        run = self._run_info()
        thread_id, answers = self._thread_id, self._answer_records()
        read_error: BaseException | None = None
        self._settling = True  # the run is over: a UI may offer Send while this reads
        await self._listeners.notify()
        try:  # a stale read is dropped: the newer one shows the thread
            if await self._read_thread(generation, follow_newest=True):
                await self._reach_recorded_forks(generation)
        except AgentServerError as exc:
            read_error = exc
        finally:
            self._settling = False
        if generation != self._generation:  # another thread is shown now
            await self._record_answers(thread_id, answers)
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
        await self._record_answers(thread_id, answers)

    def _run_info(self) -> dict[str, Any]:
        return {"run_id": self._events.run_id, "thread_id": self._thread_id}

    # -- stop, close ------------------------------------------------------------

    async def stop(self) -> None:
        """Stop the run: abort the local stream, cancel the run on the server, call
        `on_stop(mutate)`, then re-read the thread (no error, no partial message left)."""
        require(self.capabilities, "cancel", "Stopping a run")
        if not self._consumer.streaming and not self._is_loading:
            return
        generation = self._generation
        run_id, thread_id = self._events.run_id, self._thread_id
        await self._consumer.abort()
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

    async def aclose(self) -> None:
        """Stop reading (the run goes on on the server) and close an owned client."""
        await self._consumer.abort()
        await self._stop_branch_search()
        if self._owns_client:
            await self.client.aclose()


__all__ = ["StreamChange", "ThreadStream"]
