"""The chat tab's vars and the translation of its `ThreadStream` into them.

`apply_view` writes the stream's current view (finished messages, the live message's
patch, loading flags, queue, interrupts, branch switchers, the thread id in the URL)
into Reflex vars and returns the browser events that go with it. Nothing here decides
anything about the thread: the stream does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import reflex as rx

from app.settings import get_settings
from app.states import backend, deployment
from app.states.append_log import AppendLogged, empty_log
from app.states.assistants import AssistantState
from app.states.attachments import AttachmentViewState
from app.states.branch_view import thread_url
from app.states.branching import BranchState
from app.states.browser import (
    ask_timezone,
    known_zone,
    replace_url,
    stored_runs,
    thread_id_of_path,
)
from app.states.deep_panels import apply_panels
from app.states.errors import Problem, describe
from app.states.export import ExportState
from app.states.feedback import FeedbackState, feedback_receiver
from app.states.genui import UIPublisher, apply_ui, register, registry, with_ui_events
from app.states.identity import IdentityState, SignInRequired, acting_client
from app.states.interrupts import InterruptState
from app.states.live_message import LiveMessageState
from app.states.starters import StartersState
from app.states.tab_sessions import TabSession, sessions
from app.states.thread_search import ThreadSearchState
from app.states.threads import ThreadListState
from app.stream.feedback import run_body
from app.stream.interrupts import interrupt_dicts
from app.stream.messages import thread_title

F = TypeVar("F", bound=Callable[..., Any])
# Helper states that serve the chat state shown (their `_chat`, see `_link_helpers`).
CHAT_HELPERS = (FeedbackState, ExportState, StartersState, ThreadSearchState,
                AttachmentViewState)


class ChatView(AppendLogged, mixin=True):
    """What a chat tab shows (its vars) and how a `ThreadStream`'s view is written into
    them (`apply_view`); `ThreadStateBase` adds the event handlers. `messages` is a
    logged var: a change sends only the messages after the first one that differs (a
    finished answer is appended, the list is never resent)."""

    logged_vars: ClassVar[tuple[str, ...]] = ("messages",)

    # Overridable by subclasses.
    messages_key: ClassVar[str] = "messages"
    # Generative UI: UI message name -> Reflex component (`render(props)`), see
    # `ui_component`; names without one show as a neutral card.
    ui_components: ClassVar[dict[str, Any]] = {}
    # The assistant (id or graph id) when none was picked; "" = LANGGRAPH_ASSISTANT_ID.
    default_assistant_id: ClassVar[str] = ""
    fetch_state_history: ClassVar[bool] = True

    # Shown in a floating launcher on a page of its own: the address bar is left alone.
    embedded: bool = False
    # Picked in the settings; empty means LANGGRAPH_ASSISTANT_ID.
    assistant_id: str = rx.LocalStorage("", name="lg:assistant")
    active_thread_id: str = ""
    title: str = ""
    messages: list[dict[str, Any]] = []
    messages_log: dict[str, Any] = empty_log([])
    is_loading: bool = False
    is_thread_loading: bool = False
    reconnecting: bool = False  # the run's stream broke and is being rejoined
    interrupts: list[dict[str, Any]] = []
    # Messages queued on the server behind the running run: [{"key", "text"}].
    queue: list[dict[str, str]] = []
    hide_tool_calls: bool = False
    error_title: str = ""
    error_detail: str = ""
    error_kind: str = ""
    retry_text: str = ""
    # What this deployment cannot do -> why (controls needing it are hidden or disabled).
    cannot: dict[str, str] = {}
    # Why this chat cannot send ("" when it can): a Fleet agent shared read-only.
    read_only: str = ""
    # The browser's IANA time zone, sent with runs where the backend takes it.
    user_timezone: str = ""
    # Running run id per thread, like useStream's `lg:stream:<threadId>`; survives reloads.
    stored_runs: str = rx.LocalStorage("{}", name="lg:stream")
    # Counts page loads: a load of / answered late by the browser yields to a newer one.
    _page_load: int = 0
    # The websocket (session id) under which this tab last loaded a page: set by page
    # loads only, so a message sent before the page's own load event still counts as
    # part of that first load (see `load_new`).
    _session_sid: str = ""

    # ----- hooks for subclasses -----------------------------------------------------
    @classmethod
    def ui_component(cls, name: str, *, urls: tuple[str, ...] = ()) -> Callable[[F], F]:
        """Decorator: show UI messages named `name` with this Reflex component, built
        from the message's props (a Var of JSON data): `@MyChat.ui_component("weather")`.
        `urls`: props used as a link or image source (unsafe URLs become "")."""

        def decorate(render: F) -> F:
            register(cls, name, render, urls)
            return render

        return decorate

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
        """A new stream for this tab, acting for its identity (raises SignInRequired):
        UI messages folded into its values; LangSmith feedback URLs asked for when
        LANGGRAPH_FEEDBACK_KEYS is set."""
        made: list[Any] = []
        options = with_ui_events(self.stream_options())
        keys = get_settings().feedback_keys
        if keys:
            options.setdefault("on_feedback_event",
                               feedback_receiver(lambda: made[0] if made else None))
        stream = backend.new_stream(
            self._assistant(), client=await acting_client(self), thread_id=thread_id,
            messages_key=self.messages_key, fetch_state_history=self.fetch_state_history,
            extra_body=run_body(keys), **options)
        made.append(stream)
        session = TabSession(stream=stream, assistant_id=self._assistant(),
                             sid=self.router.session.session_id,
                             # __class__: the chat class also behind a background
                             # task's state proxy (type() would name the proxy)
                             ui=UIPublisher.for_components(registry(self.__class__)))
        session.unsubscribe = stream.subscribe(session.on_change)
        cannot = deployment.missing(stream.capabilities)
        if cannot != self.cannot:
            self.cannot = cannot
        reason = deployment.read_only_reason(self._assistant())
        if reason != self.read_only:
            self.read_only = reason
        stream.user_timezone = self.user_timezone or None
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
        for helper in (ThreadListState, AssistantState, InterruptState, BranchState,
                       *CHAT_HELPERS):
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
                await live.show(shown.message_id, shown.head + shown.tail, shown.tool_calls)
            else:
                await live.clear()
        if frame.panels:
            await apply_panels(self, frame.panels)
        if frame.ui:
            await apply_ui(self, frame.ui)
        if self.is_loading != loading:
            self.is_loading = loading
        if self.is_thread_loading != stream.is_thread_loading:
            self.is_thread_loading = stream.is_thread_loading
        if self.reconnecting != stream.reconnecting:
            self.reconnecting = stream.reconnecting
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
            if (thread_id and not self.embedded
                    and thread_id_of_path(self.router.url.path) != thread_id):
                events.append(replace_url(thread_url(thread_id)))
            events.extend([ThreadListState.refresh, InterruptState.load_notes(thread_id),
                           FeedbackState.load(thread_id)])
        if thread_id:
            self._remember_run(thread_id, stream.run_id if loading else None)
        return events

    def _problem(self, session: TabSession, outcome: list) -> Problem | None:
        exc = (outcome[0] if outcome else None) or session.stream.error
        return deployment.problem_of(exc, session.assistant_id)

    async def _check_deployment(self, session: TabSession) -> list[Any]:
        """After a page load, outside the lock: the agent check (a Fleet token that is not
        the owner's is explained at once), a thread still answering that this backend
        cannot follow, and the browser's time zone asked for where runs take it. Returns
        browser events."""
        stream = session.stream
        problem = await deployment.agent_problem(stream.client, session.assistant_id)
        if problem is None and stream.thread_id and not stream.capabilities.join:
            problem = await deployment.busy_elsewhere(stream.client, stream.thread_id)
        async with self:
            if problem is not None and not session.cancelled and not self.error_title:
                self._set_problem(problem)
            ask = session.stream.capabilities.user_timezone and not self.user_timezone
        return [ask_timezone(self.__class__.set_user_timezone)] if ask else []

    async def _read_only_after(self, session: TabSession, outcome: list) -> str:
        """After a write, outside the lock: why the chat is read-only from now on ("" when
        it is not; a write that went through clears what was learned)."""
        exc = (outcome[0] if outcome else None) or session.stream.error
        if exc is None:
            deployment.wrote(session.assistant_id)
            return ""
        return await deployment.learn_read_only(session.stream.client, exc,
                                                session.assistant_id)

    @rx.event
    def set_user_timezone(self, zone: Any = None) -> None:
        """The browser's time zone (`browser.TIMEZONE_SCRIPT`)."""
        self._take_timezone(zone)

    def _take_timezone(self, zone: Any) -> None:
        """Keep the browser's time zone when it is an IANA name this server knows; the
        tab's stream sends it with its runs."""
        zone = known_zone(zone)
        if zone and zone != self.user_timezone:
            self.user_timezone = zone
            session = sessions.get(self.tab_token())
            if session is not None:
                session.stream.user_timezone = zone
