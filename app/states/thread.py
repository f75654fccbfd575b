"""The chat tab's state: a thin Reflex shell around one `ThreadStream`.

`ThreadState` holds what the page shows (finished messages, loading flags, error, queue);
`LiveMessageState` holds only the message being streamed, so each flush sends a few
hundred bytes whatever the conversation's length. Network work runs in background events,
outside `async with self`, which is entered only for short writes.

Reuse: `class MyChat(ThreadStateBase, rx.State)` (set `default_assistant_id`,
`messages_key`, override `run_config` / `stream_options`) and pass it to
`app.components.chat_page`, which registers it (`use_chat_state`) for the sidebar.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ClassVar
from urllib.parse import unquote

import reflex as rx

from app.states import backend
from app.states.branch_view import thread_url
from app.states.errors import Problem, describe
from app.states.queue_view import PENDING_LIMIT, pending_runs, queue_view
from app.states.registry import TabSession, sessions
from app.stream.fork_log import reach_recorded_forks, record_fork

FLUSH_SECONDS = 0.05  # coalesce browser updates to at most ~20 per second
# How long a tab may be gone (no websocket) before its streaming stops; a reload comes
# back well within it. LANGGRAPH_CHAT_DISCONNECT_GRACE overrides it (seconds).
DISCONNECT_GRACE_SECONDS = float(os.environ.get("LANGGRAPH_CHAT_DISCONNECT_GRACE") or 10.0)
log = logging.getLogger("app.chat")


class LiveMessageState(rx.State):
    """The assistant message being streamed right now (empty `live_id`: none)."""

    live_id: str = ""
    live_head: str = ""
    live_tail: str = ""
    live_tool_calls: list[dict[str, Any]] = []


def tab_connected(token: str) -> bool:
    """Whether the tab behind `token` still has a websocket on this worker (True when
    this cannot be known, e.g. outside a running app)."""
    try:
        from reflex.utils import prerequisites

        namespace = prerequisites.get_app().app.event_namespace
    except Exception:  # noqa: BLE001 - no app context: assume connected
        return True
    if namespace is None:
        return True
    return token in namespace.token_to_sid


def thread_id_of_path(path: str) -> str:
    """The thread id in a `/threads/<id>` path ("" for any other page)."""
    parts = [part for part in (path or "").split("/") if part]
    if len(parts) == 2 and parts[0] == "threads":
        return unquote(parts[1])
    return ""


def stored_runs(raw: str) -> dict[str, str]:
    """The `{thread_id: run_id}` map kept in browser storage (garbage reads as empty)."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def plain_interrupts(value: Any) -> list[dict[str, Any]]:
    """Interrupts as JSON-able dicts `{"id", "value"}` for the interrupt panel."""
    items = value if isinstance(value, list | tuple) else ([value] if value else [])
    result = []
    for item in items:
        if hasattr(item, "model_dump"):
            item = item.model_dump()
        if isinstance(item, dict):
            result.append(json.loads(json.dumps(item, default=str)))
        else:
            result.append({"id": "", "value": json.loads(json.dumps(item, default=str))})
    return result


def view_title(views: list[dict[str, Any]], limit: int = 60) -> str:
    """The header title: the first user message of the shown conversation."""
    for view in views:
        if view.get("role") == "user":
            text = " ".join(str(view.get("text") or "").split())
            if text:
                return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ""


def human_message(text: str) -> dict[str, Any]:
    """A human message with a client-minted id (the server echo reconciles by id)."""
    return {"type": "human", "content": text, "id": str(uuid.uuid4())}


COMPOSER_ID = "composer"


def url_thread_script(load: int) -> str:
    """JS giving `[load, thread id in the browser's address bar or ""]`."""
    found = "(window.location.pathname.match(/\\/threads\\/([^/]+)\\/?$/) || [])[1] || ''"
    return f"[{int(load)}, {found}]"


def restore_draft(text: str) -> Any:
    """Put `text` back into the composer unless the user already typed something new."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el && !el.value.trim()) {{ el.value = {json.dumps(text)}; }} }})()"
    )


def clear_draft_if(text: str) -> Any:
    """Empty the composer if it still holds exactly `text` (it is being resent)."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el && el.value.trim() === {json.dumps(text)}) {{ el.value = ''; }} }})()"
    )


class ThreadStateBase(rx.State, mixin=True):
    """One browser tab's conversation with an Agent Server thread (a state mixin: each
    concrete subclass gets its own copy of these vars and handlers)."""

    # Overridable by subclasses.
    messages_key: ClassVar[str] = "messages"
    # The assistant (id or graph id) when none was picked; "" = LANGGRAPH_ASSISTANT_ID.
    default_assistant_id: ClassVar[str] = ""
    fetch_state_history: ClassVar[bool] = True

    # Picked in the settings; empty means LANGGRAPH_ASSISTANT_ID.
    assistant_id: str = rx.LocalStorage("", name="lg:assistant")
    active_thread_id: str = ""
    title: str = ""
    messages: list[dict[str, Any]] = []
    is_loading: bool = False
    is_thread_loading: bool = False
    interrupts: list[dict[str, Any]] = []
    # Messages queued on the server behind the running run: [{"key", "text"}].
    queue: list[dict[str, str]] = []
    hide_tool_calls: bool = False
    error_title: str = ""
    error_detail: str = ""
    error_kind: str = ""
    retry_text: str = ""
    # Running run id per thread, like useStream's `lg:stream:<threadId>`; survives reloads.
    stored_runs: str = rx.LocalStorage("{}", name="lg:stream")
    # Counts page loads: a load of / answered late by the browser yields to a newer one.
    _page_load: int = 0
    # The websocket (session id) under which this tab's conversation was last loaded.
    _session_sid: str = ""

    # ----- hooks for subclasses -----------------------------------------------------
    def run_config(self) -> dict[str, Any] | None:
        """The `config` sent with each run (default: none, or the test-only hook)."""
        return backend.test_run_config()

    def stream_options(self) -> dict[str, Any]:
        """Extra ThreadStream options (callbacks such as on_finish, on_error)."""
        return {}

    # ----- small helpers (call inside `async with self`) ----------------------------
    def _token(self) -> str:
        return self.router.session.client_token

    def _assistant(self) -> str:
        return self.assistant_id or self.default_assistant_id or backend.default_assistant()

    def _route_thread_id(self) -> str:
        return thread_id_of_path(self.router.url.path)

    def _new_session(self, thread_id: str | None) -> TabSession:
        stream = backend.new_stream(
            self._assistant(),
            thread_id=thread_id,
            messages_key=self.messages_key,
            fetch_state_history=self.fetch_state_history,
            **self.stream_options(),
        )
        session = TabSession(stream=stream, assistant_id=self._assistant())
        self._session_sid = self.router.session.session_id
        with contextlib.suppress(Exception):
            session.unsubscribe = stream.subscribe(session.on_change)
        return sessions.put(self._token(), session)

    def _session(self, thread_id: str | None) -> TabSession:
        """This tab's session, rebuilt when missing or for another assistant."""
        session = sessions.get(self._token())
        if session is None or session.assistant_id != self._assistant():
            session = self._new_session(thread_id)
        return session

    def _set_problem(self, problem: Problem | None) -> None:
        title, detail, kind = (
            (problem.title, problem.detail, problem.kind) if problem else ("", "", "")
        )
        if (self.error_title, self.error_detail, self.error_kind) != (title, detail, kind):
            self.error_title, self.error_detail, self.error_kind = title, detail, kind

    def _remember_run(self, thread_id: str, run_id: str | None) -> None:
        runs = stored_runs(self.stored_runs)
        if run_id:
            runs[thread_id] = run_id
        else:
            runs.pop(thread_id, None)
        encoded = json.dumps(runs)
        if encoded != self.stored_runs:
            self.stored_runs = encoded

    async def _apply(self, session: TabSession, *, final: bool = False) -> list[Any]:
        """Write the stream's current view into the states. Returns browser events to
        send (the URL update for a new thread, a sidebar refresh)."""
        if session.cancelled:
            return []  # the tab moved on (new thread, another thread): show nothing of it
        stream = session.stream
        events: list[Any] = []
        loading = bool(stream.is_loading)
        frame = session.next_frame(full=final)
        if frame.messages is not None:
            self.messages = frame.messages
            title = view_title(frame.messages)
            if title != self.title:
                self.title = title
        if frame.live:
            live = await self.get_state(LiveMessageState)
            for name, value in frame.live.items():
                setattr(live, name, value)
        if self.is_loading != loading:
            self.is_loading = loading
        thread_loading = bool(stream.is_thread_loading)
        if self.is_thread_loading != thread_loading:
            self.is_thread_loading = thread_loading
        queue = queue_view(stream.queue, session.server_pending, self.messages_key)
        if queue != self.queue:
            self.queue = queue
        interrupts = plain_interrupts(getattr(stream, "interrupts", None))
        if interrupts != self.interrupts:
            self.interrupts = interrupts
        events.extend(await self._sync_hitl_and_branches(session, interrupts, frame, final))
        thread_id = stream.thread_id or ""
        if thread_id != self.active_thread_id:
            self.active_thread_id = thread_id
            if thread_id and self._route_thread_id() != thread_id:
                events.append(
                    rx.call_script(
                        "window.history.replaceState(null, '', "
                        f"{json.dumps(thread_url(thread_id))})"
                    )
                )
            from app.states.interrupts import InterruptState
            from app.states.threads import ThreadListState

            events.append(ThreadListState.refresh)
            events.append(InterruptState.load_notes(thread_id))
        if thread_id:
            run_id = getattr(stream, "run_id", None)
            self._remember_run(thread_id, run_id if loading else None)
        return events

    async def _sync_hitl_and_branches(
        self, session: TabSession, interrupts: list[dict[str, Any]], frame: Any, final: bool
    ) -> list[Any]:
        """Issue 5: interrupt cards and branch switchers follow the stream's view."""
        from app.states.branching import BranchState
        from app.states.interrupts import InterruptState

        name = self.get_full_name()
        (await self.get_state(InterruptState)).sync(interrupts, chat=name)
        if frame.messages is None and not final:
            return []
        branches = await self.get_state(BranchState)
        return branches.sync(session.stream, [m["id"] for m in self.messages], chat=name)

    async def _clear_live(self) -> None:
        """Empty the streamed-message bubble (a new session starts with none)."""
        live = await self.get_state(LiveMessageState)
        if live.live_id or live.live_head or live.live_tail or live.live_tool_calls:
            live.live_id, live.live_head, live.live_tail = "", "", ""
            live.live_tool_calls = []

    async def _link_helpers(self) -> None:
        """Tell the shared helper states (sidebar, settings, interrupts, branches) that
        this chat state is the one shown, so their events come back to it."""
        from app.states.assistants import AssistantState
        from app.states.branching import BranchState
        from app.states.interrupts import InterruptState
        from app.states.threads import ThreadListState

        name = self.get_full_name()
        for helper in (ThreadListState, AssistantState, InterruptState, BranchState):
            state = await self.get_state(helper)
            if state._chat != name:
                state._chat = name

    async def _pump(
        self, session: TabSession, work: Callable[[], Awaitable[Any]], outcome: list
    ) -> AsyncIterator[list[Any]]:
        """Run `work()` (a stream operation) and flush its changes to the browser at most
        every FLUSH_SECONDS. Yields browser events; appends the raised error (or None)
        to `outcome`. Stops early when the tab is gone."""
        async with self:
            token = self._token()

        async def run() -> Any:
            # A session rebuilt mid-conversation (new worker, restart, new token) reads
            # the thread first, so a run never shows on top of an empty history.
            if not session.loaded and session.stream.thread_id:
                session.loaded = True
                await session.stream.load()
            session.loaded = True
            result = await work()
            stream = session.stream
            if stream.history_gaps(stream.messages):
                # Messages older than the fetched history: read older pages only back to
                # the forks recorded in the thread's metadata (kept across runs; a
                # failure only hides switchers).
                with contextlib.suppress(Exception):
                    await reach_recorded_forks(stream)
            return result

        task = asyncio.ensure_future(run())
        session.pumping += 1
        gone_since: float | None = None
        try:
            while not task.done():
                session.changed.clear()
                session.structural.clear()
                flushed_at = time.monotonic()
                async with self:
                    events = await self._apply(session)
                if events:
                    yield events
                waiter = asyncio.ensure_future(session.changed.wait())
                await asyncio.wait({task, waiter}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                if not task.done():
                    # Coalesce tokens: at most one flush per FLUSH_SECONDS; a change after
                    # a quiet spell, or a structural one (a message completed, values
                    # arrived, even during the wait), goes out at once. So does the end
                    # of the work.
                    wait = flushed_at + FLUSH_SECONDS - time.monotonic()
                    if wait > 0 and not session.full_dirty:
                        await _wait_any(wait, task, session.structural)
                if session.cancelled or not tab_connected(token):
                    gone_since = gone_since or time.monotonic()
                    gone_for = time.monotonic() - gone_since
                    if session.cancelled or gone_for > DISCONNECT_GRACE_SECONDS:
                        if not session.cancelled:
                            log.warning("tab %s gone for %.1fs: stopped its stream", token,
                                        gone_for)
                            # Forget the session: a tab that comes back rebuilds it from
                            # the server and rejoins the run.
                            if sessions.get(token) is session:
                                sessions.drop(token)
                        task.cancel()
                else:
                    gone_since = None
            try:
                await task
                outcome.append(None)
            except asyncio.CancelledError:
                outcome.append(None)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                outcome.append(exc)
        finally:
            session.pumping -= 1
            if not task.done():
                task.cancel()

    def _problem_of(self, session: TabSession, outcome: list) -> Problem | None:
        exc = outcome[0] if outcome else None
        if exc is None:
            exc = getattr(session.stream, "error", None)
        if exc is None:
            return None
        return describe(exc, api_url=backend.api_url())

    # ----- page loads ----------------------------------------------------------------
    @rx.event(background=True)
    async def load_thread(self, thread_id: str = ""):
        """on_load of /threads/[thread_id] (or `thread_id` given): read the thread from the
        server and rejoin a run that was streaming when the page was left."""
        async with self:
            thread_id = thread_id or self._route_thread_id()
            self._page_load += 1
            self._session_sid = self.router.session.session_id
            session = sessions.get(self._token())
            if (
                session is not None
                and session.assistant_id == self._assistant()
                and (session.stream.thread_id or "") == thread_id
                and (session.pumping or self.messages)
            ):
                return  # this tab already shows it (e.g. right after creating it)
            await self._link_helpers()
            if session is not None:
                session.close()
            session = self._new_session(thread_id)
            await self._clear_live()
            session.loaded = True  # this handler's own work is the load
            branch = self.router.url.query_parameters.get("branch", "")
            if branch:
                session.stream.set_branch(branch)
            self._set_problem(None)
            self.retry_text = ""
            self.queue = []
            self.is_thread_loading = True
            run_id = stored_runs(self.stored_runs).get(thread_id)
        outcome: list = []
        async for events in self._pump(session, session.stream.load, outcome):
            yield events
        problem = self._problem_of(session, outcome)
        if problem is None:
            # Rejoin the run that was streaming, then follow the runs queued behind it.
            running = await self._read_queue(session, thread_id)
            run_id = running or run_id
            while run_id and not session.cancelled:
                session.server_pending = [r for r in session.server_pending
                                          if r["run_id"] != run_id]
                outcome = []
                async for events in self._pump(
                    session,
                    lambda r=run_id: session.stream.join_stream(r, last_event_id="-1"),
                    outcome,
                ):
                    yield events
                run_id = ""
                if session.server_pending and not session.cancelled:
                    running = await self._read_queue(session, thread_id)
                    if running or session.server_pending:
                        run_id = running or session.server_pending[0]["run_id"]
            # A stale run id (finished, unknown) is not the user's problem.
            problem = None
        async with self:
            if session.cancelled:
                return  # the tab shows another thread now
            events = await self._apply(session, final=True)
            if problem is not None and problem.kind == "not_found":
                problem = Problem(
                    "not_found",
                    "Thread not found",
                    f"The thread {thread_id} does not exist on the Agent Server (it may have "
                    "been deleted). Start a new thread from the sidebar.",
                )
            self._set_problem(problem)
            if thread_id and not self.is_loading:
                self._remember_run(thread_id, None)
        if events:
            yield events

    @rx.event
    def load_new(self):
        """on_load of /. A thread created here put its id in the URL by
        `history.replaceState`, which Reflex's router does not see: a websocket reconnect
        (maybe with a new token and empty state) reports "/" again. So the browser's real
        URL decides: a thread there is read and its live run rejoined. A link on a live
        socket (New thread, after a delete) starts the new chat at once."""
        self._page_load += 1
        if self._session_sid and self._session_sid == self.router.session.session_id:
            return type(self).start_new(self._page_load)
        return rx.call_script(
            url_thread_script(self._page_load), callback=type(self).load_url_thread
        )

    @rx.event
    def load_url_thread(self, found: list | None = None):
        load, thread_id = (list(found or []) + [0, ""])[:2]
        if load != self._page_load:
            return None  # another page load came after this one
        if isinstance(thread_id, str) and thread_id:
            return type(self).load_thread(thread_id)
        return type(self).start_new(load)

    @rx.event(background=True)
    async def start_new(self, load: int = 0):
        """An empty conversation; the thread is created on the first send."""
        async with self:
            if load and load != self._page_load:
                return  # another page load came after this one
            await self._link_helpers()
            old = sessions.get(self._token())
            if old is not None:
                old.close()
            session = self._new_session(None)
            await self._clear_live()
            self._set_problem(None)
            self.retry_text = ""
            events = await self._apply(session, final=True)
        if events:
            yield events

    # ----- sending, queueing, stopping -------------------------------------------------
    @rx.event
    def send(self, form: dict):
        """Composer submit: start a run. While one streams, the stream queues it on the
        server (strategy `enqueue`); it shows in the queue list until it starts."""
        text = str((form or {}).get("message") or "").strip()
        if not text:
            return None
        self._set_problem(None)
        if self.interrupts and not self.is_loading:
            from app.states.interrupts import InterruptState

            return InterruptState.answer_from_composer(text)
        return type(self).run_messages(text)

    async def _read_queue(self, session: TabSession, thread_id: str) -> str:
        """Read the thread's runs from the server: keep the pending ones (queued, maybe
        by this tab before a reload) for the queue list; return a running run's id."""
        try:
            runs = await backend.client().runs.list(thread_id, limit=PENDING_LIMIT)
        except Exception:  # noqa: BLE001 - the queue list is a courtesy; load reports errors
            return ""
        session.server_pending = pending_runs(runs, self.messages_key)
        session.mark_full()
        running = [r for r in runs if str(getattr(r, "status", "")) == "running"]
        return running[0].run_id if running else ""

    @rx.event(background=True)
    async def remove_queued(self, key: str):
        """Cancel a queued message (its run has not started) on the server."""
        async with self:
            session = sessions.get(self._token())
        if session is None or not key:
            return
        try:
            if not await session.stream.cancel_queued(key):
                found = [r for r in session.server_pending if r["run_id"] == key]
                thread_id = session.stream.thread_id
                if found and thread_id:
                    # Dropped from the list only once the server has cancelled it.
                    await backend.client().runs.cancel(thread_id, key, action="interrupt")
                    session.server_pending = [r for r in session.server_pending
                                              if r["run_id"] != key]
        except Exception as exc:  # noqa: BLE001 - e.g. it started meanwhile
            async with self:
                self._set_problem(describe(exc, api_url=backend.api_url()))
        session.mark_full()
        async with self:
            events = await self._apply(session)
        if events:
            yield events

    @rx.event(background=True)
    async def run_messages(self, text: str):
        """Stream a run for `text` (queued on the server behind a running one)."""
        async with self:
            session = self._session(self.active_thread_id or None)
            config = self.run_config()
            self.retry_text = ""
            self.is_loading = True
        outcome: list = []
        message = human_message(text)
        async for events in self._pump(
            session,
            lambda: session.stream.submit(
                {self.messages_key: [message]}, config=config, stream_resumable=True
            ),
            outcome,
        ):
            yield events
        problem = self._problem_of(session, outcome)
        from app.states.threads import ThreadListState

        async with self:
            if session.cancelled:
                return  # the tab shows another thread now
            events = await self._apply(session, final=True)
            self._set_problem(problem)
            if problem is not None:
                self.retry_text = message["content"]
                events.append(restore_draft(message["content"]))
        yield [*events, ThreadListState.refresh]

    @rx.event(background=True)
    async def stop(self):
        """Stop the streaming run (cancels it on the server)."""
        async with self:
            session = sessions.get(self._token())
        if session is None:
            return
        try:
            await session.stream.stop()
        except Exception as exc:  # noqa: BLE001
            async with self:
                self._set_problem(describe(exc, api_url=backend.api_url()))
            return
        from app.states.threads import ThreadListState

        async with self:
            events = await self._apply(session, final=True)
        yield [*events, ThreadListState.refresh]

    @rx.event
    def retry(self):
        """Retry what failed: resend the failed message, or reload the thread."""
        text = self.retry_text
        self._set_problem(None)
        if text:
            self.retry_text = ""
            return [clear_draft_if(text), type(self).run_messages(text)]
        if self.active_thread_id or self._route_thread_id():
            sessions.drop(self._token())
            return type(self).load_thread
        return type(self).load_new

    @rx.event
    def dismiss_error(self) -> None:
        self._set_problem(None)

    @rx.event
    def set_hide_tool_calls(self, value: bool) -> None:
        self.hide_tool_calls = bool(value)

    # ----- seams for branching and human-in-the-loop (issue 5) ------------------------
    @rx.event(background=True)
    async def set_branch(self, branch: str):
        async with self:
            session = sessions.get(self._token())
            if session is None:
                return
            session.stream.set_branch(branch)
            events = await self._apply(session, final=True)
        if events:
            yield events

    async def _stream_op(self, work: Callable[[TabSession, Any], Awaitable[Any]]):
        """Run one stream operation (`work(session, config)`) with live flushes."""
        from app.states.threads import ThreadListState

        async with self:
            session = self._session(self.active_thread_id or None)
            config = self.run_config()
            self._set_problem(None)
            self.is_loading = True
        outcome: list = []
        async for events in self._pump(session, lambda: work(session, config), outcome):
            yield events
        problem = self._problem_of(session, outcome)
        async with self:
            if session.cancelled:
                return  # the tab shows another thread now
            events = await self._apply(session, final=True)
            self._set_problem(problem)
        yield [*events, ThreadListState.refresh]

    @rx.event(background=True)
    async def respond(
        self, value: Any, interrupt_id: str | None = None, metadata: dict | None = None
    ):
        """Answer an interrupt (resumes the run) and stream the continuation."""
        async for events in self._stream_op(
            lambda session, config: session.stream.respond(
                value, interrupt_id=interrupt_id, config=config, metadata=metadata or None,
                stream_resumable=True,
            )
        ):
            yield events

    @rx.event(background=True)
    async def continue_run(self, metadata: dict | None = None):
        """Continue past a static breakpoint (a run with no input)."""
        async for events in self._stream_op(
            lambda session, config: session.stream.submit(
                None, config=config, metadata=metadata or None, stream_resumable=True
            )
        ):
            yield events

    @rx.event(background=True)
    async def edit_message(self, message_id: str, text: str):
        """Fork from the checkpoint before `message_id` with `text` in its place."""
        async def work(session: TabSession, config: Any) -> None:
            point = await session.stream.fork_point({"id": message_id})
            if point is None:
                raise ValueError("This message cannot be edited (its checkpoint is unknown).")
            await _record_fork(session, point)
            await session.stream.submit(
                {self.messages_key: [human_message(text)]}, checkpoint=point, config=config,
                stream_resumable=True,
            )

        async for events in self._stream_op(work):
            yield events

    @rx.event(background=True)
    async def regenerate(self, message_id: str):
        """Fork from the checkpoint before the AI message `message_id` (no input)."""
        async def work(session: TabSession, config: Any) -> None:
            point = await session.stream.fork_point({"id": message_id})
            if point is None:
                raise ValueError("This message cannot be regenerated (its checkpoint is unknown).")
            await _record_fork(session, point)
            await session.stream.submit(None, checkpoint=point, config=config,
                                        stream_resumable=True)

        async for events in self._stream_op(work):
            yield events


async def _wait_any(seconds: float, task: asyncio.Future, event: asyncio.Event) -> None:
    """Sleep up to `seconds`, waking early when `task` ends or `event` is set."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({task, waiter}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()


async def _record_fork(session: TabSession, point: dict[str, Any]) -> None:
    """Note a fork point in the thread's metadata (see app.stream.fork_log); a failure
    only means its switcher may not show once it is older than the fetched history."""
    thread_id = session.stream.thread_id
    if thread_id and point.get("checkpoint_id"):
        with contextlib.suppress(Exception):
            await record_fork(session.stream.client.threads, thread_id, point["checkpoint_id"])


class ThreadState(ThreadStateBase, rx.State):
    """The app's chat state. For your own assistant, subclass `ThreadStateBase` the same
    way (`class SupportChat(ThreadStateBase, rx.State)`) and pass it to `chat_page`."""


_chat_state: list[type[ThreadStateBase]] = [ThreadState]


def use_chat_state(cls: type[ThreadStateBase]) -> type[ThreadStateBase]:
    """Make `cls` the thread state the sidebar and settings talk to (one chat per app)."""
    _chat_state[0] = cls
    return cls


def chat_state() -> type[ThreadStateBase]:
    """The thread state class in use (ThreadState unless a subclass was registered)."""
    return _chat_state[0]


def chat_state_named(name: str) -> type[ThreadStateBase]:
    """The thread state class whose full name is `name` (a helper state remembers which
    chat state it serves); the registered one when `name` is empty or unknown."""
    if name:
        try:
            found = rx.State.get_class_substate(name)
        except ValueError:
            found = None
        if isinstance(found, type) and issubclass(found, ThreadStateBase):
            return found
    return chat_state()


async def linked_chat(helper: rx.State) -> ThreadStateBase:
    """The chat state instance a helper state (interrupts, branches, sidebar) serves."""
    return await helper.get_state(chat_state_named(getattr(helper, "_chat", "")))
