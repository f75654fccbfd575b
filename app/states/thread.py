"""The chat tab's state: a thin Reflex shell around one `ThreadStream`.

`ThreadStateBase` holds what the page shows (finished messages, loading flags, error,
queue) and translates the stream into those vars (`apply_view`) and browser events; the
stream owns every decision (what to load, what to rejoin, what a fork records). Each
event handler is named after what the user did and runs one stream operation through
the flush pump (`pump.flush_while`); network work runs in background events, outside
`async with self`, which is entered only for short writes.

Reuse: `class MyChat(ThreadStateBase, rx.State)` (set `default_assistant_id`,
`messages_key`, override `run_config` / `stream_options`) and pass it to
`app.components.chat_page`, which makes it the chat state the helper states serve.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import reflex as rx

from app.states import backend, deployment
from app.states.attachments import AttachmentState
from app.states.browser import (
    ask_timezone,
    clear_draft_if,
    restore_draft,
    stored_runs,
    thread_id_of_path,
    url_thread_script,
)
from app.states.chat_registry import use_chat_state
from app.states.chat_view import ChatView
from app.states.errors import describe, over_limit, thread_not_found
from app.states.identity import IdentityState
from app.states.interrupts import InterruptState
from app.states.limits import limiter
from app.states.live_message import LiveMessageState
from app.states.pump import flush_while
from app.states.tab_sessions import TabSession, sessions
from app.states.threads import ThreadListState
from app.stream.attachments import message_content, with_text
from app.stream.inputs import as_message
from app.stream.thread_search import first_message_update

# Edit, Regenerate and the branch switcher while a run is going on (they stay enabled:
# disabling every message's buttons at each run's start and end restyles the page).
BUSY = "The agent is answering: edit, regenerate or switch branches once it is done."


class ThreadStateBase(ChatView, mixin=True):
    """One browser tab's conversation with an Agent Server thread (a state mixin: each
    concrete subclass gets its own copy of these vars and handlers). Its vars and how
    the stream's view is written into them are `ChatView`'s; here is what the user does."""

    async def _follow(self, session: TabSession, work: Callable[[], Awaitable[Any]]
                      ) -> AsyncIterator[list[Any]]:
        """Run one stream operation with live flushes, then write the final view; yields
        browser events. The outcome's problem is shown; a sent text comes back into the
        composer when its run failed."""
        outcome: list = []
        async for events in flush_while(self, session, work, outcome):
            yield events
        session.starting = False
        problem = self._problem(session, outcome)
        read_only = await self._read_only_after(session, outcome)
        async with self:
            if session.cancelled:
                return  # the tab shows another thread now
            events = await self.apply_view(session, final=True)
            if read_only:  # a Fleet workspace agent: said by the Read-only status instead
                self.read_only, problem = read_only, None
            self._set_problem(problem)
            if (problem is not None or read_only) and self.retry_text:
                events.append(restore_draft(self.retry_text))
            elif problem is None:
                self.retry_text = ""
        yield [*events, ThreadListState.refresh]

    async def _operate(self, work: Callable[[TabSession, Any], Awaitable[Any]], *,
                       text: str = "", idle_only: bool = False) -> AsyncIterator[list[Any]]:
        """A user's operation that starts a run on the shown thread (`work(session, run
        config)`), within the identity's limits; `text`: what they sent, kept in the
        composer and offered again by Retry when it cannot go or fails. `idle_only`: not
        while a run is going on (a fork), the user is told so."""
        async with self:
            owner = ""
            busy = idle_only and self.is_loading
            if not busy and await self._may_act():
                owner = (await (await self.get_state(IdentityState)).current()).owner
        if busy:
            yield rx.toast.info(BUSY)
            return
        if not owner:
            yield restore_draft(text) if text else None
            return
        decision = await limiter().start_run(owner, text)
        if not decision.allowed:
            async with self:
                self._set_problem(over_limit(decision.message))
            yield restore_draft(text) if text else None
            return
        try:
            async with self:
                session = await self._session(self.active_thread_id or None)
                config = self.run_config()
                self._set_problem(None)
                self.retry_text = text
                session.starting = True  # Stop from now on (see TabSession.run_active)
                self.is_loading = True
            async for events in self._follow(session, lambda: work(session, config)):
                yield events
        finally:
            await limiter().finish_run(owner)

    # ----- page loads ----------------------------------------------------------------
    @rx.event(background=True)
    async def load_thread(self, thread_id: str = ""):
        """on_load of /threads/[thread_id] (or `thread_id` given): open the thread as the
        stream opens it (history, then its running and queued runs)."""
        async with self:
            thread_id = thread_id or thread_id_of_path(self.router.url.path)
            self._page_load, self.embedded = self._page_load + 1, False
            self._session_sid = self.router.session.session_id
            session = sessions.get(self.tab_token())
            if (session is not None and session.assistant_id == self._assistant()
                    and (session.stream.thread_id or "") == thread_id
                    and (session.pumping or self.messages)):
                return  # this tab already shows it (e.g. right after creating it)
            await self._link_helpers()
            if not await self._may_act():
                return
            if session is not None:
                session.close()
            session = await self._new_session(None)
            await (await self.get_state(LiveMessageState)).clear()
            session.loaded = True  # opening is this handler's own work
            branch = self.router.url.query_parameters.get("branch", "")
            run_id = stored_runs(self.stored_runs).get(thread_id)
            self._set_problem(None)
            self.retry_text = ""
            self.queue = []
            self.is_thread_loading = True
        outcome: list = []
        async for events in flush_while(
                self, session, lambda: session.stream.open(thread_id, branch=branch,
                                                           run_id=run_id), outcome):
            yield events
        problem = self._problem(session, outcome)
        async with self:
            if session.cancelled:
                return  # the tab shows another thread now
            events = await self.apply_view(session, final=True)
            self._set_problem(thread_not_found(thread_id) if problem and
                              problem.kind == "not_found" else problem)
            if thread_id and not self.is_loading:
                self._remember_run(thread_id, None)
        yield [*events, *await self._check_deployment(session)]

    @rx.event
    def load_new(self):
        """on_load of /. A thread created here put its id in the URL by
        `history.replaceState`, which Reflex's router does not see: a websocket reconnect
        (maybe with a new token and empty state) reports "/" again. So the browser's real
        URL decides: a thread there is opened (and its live run rejoined). A link on a
        live socket (New thread, after a delete) starts the new chat at once."""
        self._page_load, self.embedded = self._page_load + 1, False
        if self._session_sid and self._session_sid == self.router.session.session_id:
            return type(self).start_new(self._page_load)
        return rx.call_script(url_thread_script(self._page_load),
                              callback=type(self).load_url_thread)

    @rx.event
    def load_url_thread(self, found: list | None = None):
        load, thread_id = (list(found or []) + [0, ""])[:2]
        if load != self._page_load:
            return None  # another page load came after this one
        if isinstance(thread_id, str) and thread_id:
            return type(self).load_thread(thread_id)
        return type(self).start_new(load, keep_sent=True)

    @rx.event(background=True)
    async def start_new(self, load: int = 0, keep_sent: bool = False):
        """An empty conversation; the thread is created on the first send. `keep_sent`:
        this page is still loading, and a message the user already sent from it (they
        may type before the page is connected) keeps its conversation."""
        async with self:
            if load and load != self._page_load:
                return  # another page load came after this one
            await self._link_helpers()
            if not await self._may_act():
                return
            old = sessions.get(self.tab_token())
            self._session_sid = self.router.session.session_id
            if (keep_sent and old is not None and not old.cancelled
                    and old.sid == self._session_sid):
                session = old  # sent from this very page: keep that conversation
            else:
                if old is not None:
                    old.close()
                session = await self._new_session(None)
                await (await self.get_state(LiveMessageState)).clear()
                self._set_problem(None)
                self.retry_text = ""
            events = await self.apply_view(session, final=True)
        yield [*events, *await self._check_deployment(session)]

    # ----- what the user does ----------------------------------------------------------
    @rx.event
    async def send(self, form: dict):
        """Composer submit: start a run (queued on the server while one streams), or
        answer the open question when an interrupt waits for text. Files attached in
        the composer go with the message."""
        text = str((form or {}).get("message") or "").strip()
        if not text and not (await self.get_state(AttachmentState)).files:
            return None
        self._set_problem(None)
        if self.read_only:
            return restore_draft(text)  # nothing can go (the Read-only status says why)
        if self.is_loading and "queue" in self.cannot:
            return [restore_draft(text), rx.toast.info(self.cannot["queue"])]
        if self.interrupts and not self.is_loading:
            if "resume" in self.cannot:  # only Dismiss answers here
                return [restore_draft(text), InterruptState.explain(self.cannot["resume"])]
            return InterruptState.answer_from_composer(text)
        if not self.user_timezone and deployment.capabilities().user_timezone:
            return ask_timezone(type(self).send_with_timezone, text)  # runs carry the zone
        return type(self).run_messages(text)

    @rx.event
    def send_with_timezone(self, found: list | None = None):
        """`send`, once the browser said its time zone: `found` is `[zone, text]`."""
        zone, text = (list(found or []) + ["", ""])[:2]
        self._take_timezone(zone)
        return type(self).run_messages(str(text)) if text else None

    @rx.event(background=True)
    async def run_messages(self, text: str):
        """Stream a run for `text` and the composer's files (queued on the server behind
        a running one). A thread's first message is kept in its metadata (search)."""
        async with self:
            files = (await self.get_state(AttachmentState)).take()
            first = {} if self.active_thread_id else first_message_update(
                text or ", ".join(f.name for f in files))
        message = as_message({"type": "human", "content": message_content(text, files)})
        async for events in self._operate(
                lambda session, config: session.stream.submit(
                    {self.messages_key: [message]}, config=config, stream_resumable=True,
                    metadata=first or None),
                text=text):
            yield events
        if files:
            async with self:
                if self.error_title:  # not sent: the files go back with the text
                    (await self.get_state(AttachmentState)).put_back(files)

    @rx.event(background=True)
    async def remove_queued(self, key: str):
        """Cancel a queued message (its run has not started) on the server."""
        async with self:
            session = sessions.get(self.tab_token())
        if session is None or not key:
            return
        try:
            await session.stream.cancel_queued(key)
        except Exception as exc:  # noqa: BLE001 - e.g. it started meanwhile
            async with self:
                self._set_problem(describe(exc, api_url=backend.api_url()))
        session.mark_full()
        async with self:
            events = await self.apply_view(session)
        if events:
            yield events

    @rx.event(background=True)
    async def stop(self):
        """Stop the streaming run (cancels it on the server)."""
        async with self:
            session = sessions.get(self.tab_token())
        if session is None:
            return
        async for events in self._follow(session, session.stream.stop):
            yield events

    @rx.event(background=True)
    async def dismiss_interrupt(self):
        """Dismiss the pending interrupt where the backend cannot take an answer (Managed
        Deep Agents): the pause ends without the person's decision."""
        async with self:
            session = sessions.get(self.tab_token())
        if session is None:
            return
        async for events in self._follow(session, session.stream.dismiss_interrupt):
            yield events

    @rx.event
    def retry(self):
        """Retry what failed: resend the failed message, or reload the thread."""
        text = self.retry_text
        self._set_problem(None)
        if text:
            self.retry_text = ""
            return [clear_draft_if(text), type(self).run_messages(text)]
        if self.active_thread_id or thread_id_of_path(self.router.url.path):
            sessions.drop(self.tab_token())
            return type(self).load_thread
        return type(self).load_new

    @rx.event
    def dismiss_error(self) -> None:
        self._set_problem(None)

    @rx.event
    def set_hide_tool_calls(self, value: bool) -> None:
        self.hide_tool_calls = bool(value)

    @rx.event(background=True)
    async def set_branch(self, branch: str):
        """The user switched to another branch ("n / m" Previous / Next)."""
        async with self:
            session = sessions.get(self.tab_token())
            if session is None:
                return
            if self.is_loading:
                yield rx.toast.info(BUSY)
                return
            session.stream.set_branch(branch)
            events = await self.apply_view(session, final=True)
        if events:
            yield events

    @rx.event(background=True)
    async def respond(self, value: Any, interrupt_id: str | None = None,
                      metadata: dict | None = None):
        """Answer an interrupt (resumes the run) and stream the continuation."""
        async for events in self._operate(
                lambda session, config: session.stream.respond(
                    value, interrupt_id=interrupt_id, config=config,
                    metadata=metadata or None, stream_resumable=True)):
            yield events

    @rx.event(background=True)
    async def continue_run(self, metadata: dict | None = None):
        """Continue past a static breakpoint (a run with no input)."""
        async for events in self._operate(
                lambda session, config: session.stream.submit(
                    None, config=config, metadata=metadata or None, stream_resumable=True)):
            yield events

    @rx.event(background=True)
    async def edit_message(self, message_id: str, text: str):
        """Fork from the checkpoint before `message_id` with `text` in its place (its
        attached files are kept)."""
        def edited(session: TabSession) -> Any:
            old = session.stream.message(message_id) or {}
            return as_message({"type": "human", "content": with_text(old.get("content"), text)})

        async for events in self._operate(
                lambda session, config: session.stream.edit(
                    message_id, edited(session), config=config, stream_resumable=True),
                idle_only=True):
            yield events

    @rx.event
    def open_embedded(self, opened: bool = True):
        """The floating launcher opened: show this tab's conversation there (a new one
        when none), leaving the page's address alone."""
        if not opened:
            return None
        self.embedded = True
        session = sessions.get(self.tab_token())
        if session is None or session.assistant_id != self._assistant():
            return type(self).start_new(0)
        return None

    @rx.event(background=True)
    async def regenerate(self, message_id: str):
        """Fork from the checkpoint before the AI message `message_id` (no input)."""
        async for events in self._operate(
                lambda session, config: session.stream.regenerate(
                    message_id, config=config, stream_resumable=True),
                idle_only=True):
            yield events


class ThreadState(ThreadStateBase, rx.State):
    """The app's chat state. For your own assistant, subclass `ThreadStateBase` the same
    way (`class SupportChat(ThreadStateBase, rx.State)`) and pass it to `chat_page`."""


use_chat_state(ThreadState)  # the default; `chat_page(MyChat)` makes another the one in use
