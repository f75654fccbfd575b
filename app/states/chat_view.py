"""The chat tab's vars and the translation of its `ThreadStream` into them.

`apply_view` writes the stream's current view (finished messages, the live message's
patch, loading flags, queue, interrupts, branch switchers, the thread id in the URL)
into Reflex vars and returns the browser events that go with it. Nothing here decides
anything about the thread: the stream does.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import reflex as rx

from app.states import backend
from app.states.append_log import AppendLogged, empty_log
from app.states.assistants import AssistantState
from app.states.branch_view import thread_url
from app.states.branching import BranchState
from app.states.browser import replace_url, stored_runs, thread_id_of_path
from app.states.errors import Problem, describe
from app.states.identity import IdentityState, SignInRequired, acting_client
from app.states.interrupts import InterruptState
from app.states.live_message import LiveMessageState
from app.states.tab_sessions import TabSession, sessions
from app.states.threads import ThreadListState
from app.stream.interrupts import interrupt_dicts
from app.stream.messages import thread_title


class ChatView(AppendLogged, mixin=True):
    """What a chat tab shows (its vars) and how a `ThreadStream`'s view is written into
    them (`apply_view`); `ThreadStateBase` adds the event handlers. `messages` is a
    logged var: a change sends only the messages after the first one that differs (a
    finished answer is appended, the list is never resent)."""

    logged_vars: ClassVar[tuple[str, ...]] = ("messages",)

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
    messages_log: dict[str, Any] = empty_log([])
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
    # The websocket (session id) under which this tab last loaded a page: set by page
    # loads only, so a message sent before the page's own load event still counts as
    # part of that first load (see `load_new`).
    _session_sid: str = ""

    # ----- hooks for subclasses -----------------------------------------------------
    def run_config(self) -> dict[str, Any] | None:
        """The `config` sent with each run (default: none, or the test-only hook)."""
        return backend.test_run_config()

    def stream_options(self) -> dict[str, Any]:
        """Extra ThreadStream options (callbacks such as on_finish, on_error)."""
        return {}

    # ----- small helpers (call inside `async with self`) ----------------------------
    def tab_token(self) -> str:
        return self.router.session.client_token

    def _assistant(self) -> str:
        return self.assistant_id or self.default_assistant_id or backend.default_assistant()

    async def _new_session(self, thread_id: str | None) -> TabSession:
        """A new stream for this tab, acting for its identity (raises SignInRequired)."""
        stream = backend.new_stream(
            self._assistant(), client=await acting_client(self), thread_id=thread_id,
            messages_key=self.messages_key, fetch_state_history=self.fetch_state_history,
            **self.stream_options())
        session = TabSession(stream=stream, assistant_id=self._assistant(),
                             sid=self.router.session.session_id)
        session.unsubscribe = stream.subscribe(session.on_change)
        return sessions.put(self.tab_token(), session)

    async def _may_act(self) -> bool:
        """False (with the problem shown) while this deployment needs a sign-in first."""
        try:
            await (await self.get_state(IdentityState)).current()
        except SignInRequired as exc:
            self._set_problem(describe(exc))
            return False
        return True

    async def _session(self, thread_id: str | None) -> TabSession:
        """This tab's session, rebuilt when missing or for another assistant."""
        session = sessions.get(self.tab_token())
        if session is None or session.assistant_id != self._assistant():
            session = await self._new_session(thread_id)
        return session

    def _set_problem(self, problem: Problem | None) -> None:
        found = (problem.title, problem.detail, problem.kind) if problem else ("", "", "")
        if (self.error_title, self.error_detail, self.error_kind) != found:
            self.error_title, self.error_detail, self.error_kind = found

    def _remember_run(self, thread_id: str, run_id: str | None) -> None:
        runs = stored_runs(self.stored_runs)
        if run_id:
            runs[thread_id] = run_id
        else:
            runs.pop(thread_id, None)
        encoded = json.dumps(runs)
        if encoded != self.stored_runs:
            self.stored_runs = encoded

    async def _link_helpers(self) -> None:
        """Tell the shared helper states (sidebar, settings, interrupts, branches) that
        this chat state is the one shown, so their events come back to it."""
        name = self.get_full_name()
        for helper in (ThreadListState, AssistantState, InterruptState, BranchState):
            state = await self.get_state(helper)
            if state._chat != name:
                state._chat = name

    # ----- the stream's view into vars ---------------------------------------------
    async def apply_view(self, session: TabSession, *, final: bool = False) -> list[Any]:
        """Write the stream's current view into the states. Returns browser events to
        send (the URL of a new thread, a sidebar refresh)."""
        if session.cancelled:
            return []  # the tab moved on (new thread, another thread): show nothing of it
        stream = session.stream
        loading = session.run_active()
        frame = session.next_frame(full=final)
        if frame.messages is not None:
            self._write_logged("messages", frame.messages)
            title = thread_title(stream.messages, default="")
            if title != self.title:
                self.title = title
        if frame.live:
            live = await self.get_state(LiveMessageState)
            shown = session.publisher.live
            if shown.message_id:
                live.show(shown.message_id, shown.head + shown.tail, shown.tool_calls)
            else:
                live.clear()
        if self.is_loading != loading:
            self.is_loading = loading
        if self.is_thread_loading != stream.is_thread_loading:
            self.is_thread_loading = stream.is_thread_loading
        queue = [{"key": entry["run_id"] or entry["client_id"], "text": entry["text"]}
                 for entry in stream.queue]
        if queue != self.queue:
            self.queue = queue
        interrupts = interrupt_dicts(stream.interrupts)
        if interrupts != self.interrupts:
            self.interrupts = interrupts
        name = self.get_full_name()
        (await self.get_state(InterruptState)).sync(interrupts, chat=name)
        events: list[Any] = []
        if frame.messages is not None or final:
            branches = await self.get_state(BranchState)
            events.extend(branches.sync(stream, [m["id"] for m in self.messages], chat=name))
        thread_id = stream.thread_id or ""
        if thread_id != self.active_thread_id:
            self.active_thread_id = thread_id
            if thread_id and thread_id_of_path(self.router.url.path) != thread_id:
                events.append(replace_url(thread_url(thread_id)))
            events.extend([ThreadListState.refresh, InterruptState.load_notes(thread_id)])
        if thread_id:
            self._remember_run(thread_id, stream.run_id if loading else None)
        return events

    def _problem(self, session: TabSession, outcome: list) -> Problem | None:
        exc = (outcome[0] if outcome else None) or session.stream.error
        return describe(exc, api_url=backend.api_url()) if exc is not None else None
