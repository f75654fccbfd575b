"""Per-tab live objects that cannot live in Reflex state (state is pickled).

A `TabSession` holds one tab's `ThreadStream`, what was last published to the browser
and the wake-up event of its pump. Sessions are kept in a module-level registry keyed
by the tab's client token; when a session is missing (another worker, a restart, a new
token after a reconnect) the state rebuilds it from the Agent Server.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from reflex.utils import prerequisites

from app.states.genui import UIPublisher
from app.states.panel_publisher import PanelPublisher
from app.states.panel_views import answer_extras
from app.states.publisher import Frame, ViewPublisher
from app.stream import ThreadStream
from app.stream.listeners import ACTIVITY, COMPLETE
from app.stream.ui_messages import UI_KEY

IDLE_SECONDS = 3600.0
# How long a completed message's last tokens may wait for the end of the run (or the next
# message) so both reach the browser in one frame: Send comes back with the last token.
HOLD_SECONDS = 0.2


def tab_connected(token: str) -> bool:
    """Whether the tab behind `token` still has a websocket on this worker (True when
    this cannot be known, e.g. outside a running app)."""
    try:
        namespace = prerequisites.get_app().app.event_namespace
    except Exception:  # noqa: BLE001 - no app context: assume connected
        return True
    if namespace is None:
        return True
    return token in namespace.token_to_sid


@dataclass
class TabSession:
    stream: ThreadStream
    assistant_id: str
    sid: str = ""  # the websocket session (page) this session was made in
    publisher: ViewPublisher = field(default_factory=ViewPublisher)
    panels: PanelPublisher = field(default_factory=PanelPublisher)  # plan, files, subagents
    ui: UIPublisher = field(default_factory=UIPublisher)  # generative UI cards
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    # Set with `full_dirty`: ends the pump's coalescing wait, so a completed message or
    # new values reach the browser at once instead of after the flush window.
    structural: asyncio.Event = field(default_factory=asyncio.Event)
    unsubscribe: Any = None
    pumping: int = 0  # pumps (background events) following this stream right now
    # Runs queued on the thread's server that this stream did not queue itself (read
    # back after a reload): [{"run_id", "text", "created_at"}], oldest first.
    server_pending: list[dict[str, str]] = field(default_factory=list)
    # An operation that starts a run was asked for and has not ended: the composer shows
    # Stop from the click on, even before the stream reports loading (see `run_active`).
    starting: bool = False
    full_dirty: bool = True  # something besides the live message changed
    hold_until: float = 0.0  # the pump's next flush waits until then (see on_change)
    hold_seconds: float = HOLD_SECONDS
    loaded: bool = False  # the thread was read from the server into this stream
    cancelled: bool = False
    last_used: float = field(default_factory=time.monotonic)

    def on_change(self, change: Any = None) -> None:
        """Stream listener: note what changed and wake the pump."""
        message_id = getattr(change, "message_id", None)
        if getattr(change, "scope", None) == ACTIVITY:
            self.changed.set()  # a subagent's token: its slot only, no list comparison
        elif message_id is None and getattr(self.stream, "is_settling", False):
            # The run's stream ended (the list is what the last values showed): only the
            # composer changes, so flush at once without comparing the list again.
            self.structural.set()
            self.changed.set()
        elif message_id is None and self.publisher.live_id:
            # Values while a message streams: that message is complete.
            self.full_dirty = True
            self.hold()
        elif message_id is None or message_id != self.publisher.live_id:
            self.mark_full()
        elif change.scope == COMPLETE:
            self.hold()  # the streamed message's last chunk
        else:
            self.changed.set()

    def hold(self) -> None:
        """The streamed message is complete: its last tokens wait (up to `hold_seconds`
        from the first sign of it) for what comes next, the end of the run or the next
        message, so they reach the browser in the same frame as that."""
        if not self.hold_until:
            self.hold_until = time.monotonic() + self.hold_seconds
        self.changed.set()

    def mark_full(self) -> None:
        """Something besides the live message changed: compare the list, flush at once."""
        self.full_dirty = True
        self.structural.set()
        self.changed.set()

    def run_active(self) -> bool:
        """Whether the tab shows a run going on (Stop rather than Send): from the click
        that starts one until its stream ends (not during the re-read of the thread after
        it, unless a queued run follows), so Stop never flips back to Send and back while
        a run starts, and Send returns as soon as the answer is complete."""
        stream = self.stream
        if stream.is_loading:
            self.starting = False
            return not getattr(stream, "is_settling", False) or bool(stream.queue)
        return self.starting

    def next_frame(self, *, full: bool = False) -> Frame:
        """What the browser needs now: the cheap live patch when only the streamed
        message changed, else a full comparison of the message list."""
        self.hold_until = 0.0
        stream = self.stream
        live_id = stream.live_message_id if stream.is_loading else None
        if full or self.full_dirty or (live_id or "") != self.publisher.live_id:
            self.full_dirty = False
            frame = self.publisher.frame(
                stream.messages or [], live_id, stream.message_status,
                lambda message_id: answer_extras(stream.answer_details(message_id)))
            frame.panels = self.panels.frame(stream, full=True)
            frame.ui = self.ui.frame(stream.values.get(UI_KEY),
                                     [m.get("id") for m in stream.messages])
            return frame
        message = stream.live_message() if live_id else None
        frame = self.publisher.live_frame(message) if message else Frame()
        frame.panels = self.panels.frame(stream, full=False)
        return frame

    def touch(self) -> None:
        self.last_used = time.monotonic()

    def close(self) -> None:
        """The tab is done with this stream: stop reading it (the run goes on on the
        server) and wake its pumps so they end."""
        self.cancelled = True
        try:
            asyncio.get_running_loop().create_task(self.stream.aclose())
        except (RuntimeError, AttributeError):
            pass  # no loop (tests) or a stream without aclose
        if self.unsubscribe is not None:
            try:
                self.unsubscribe()
            except Exception:  # noqa: BLE001 - a listener that is already gone
                pass
            self.unsubscribe = None
        self.changed.set()


class SessionRegistry:
    """Client token -> TabSession, pruned when idle."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self._sessions: dict[str, TabSession] = {}
        self.idle_seconds = idle_seconds

    def get(self, token: str) -> TabSession | None:
        session = self._sessions.get(token)
        if session is not None:
            session.touch()
        return session

    def put(self, token: str, session: TabSession) -> TabSession:
        old = self._sessions.get(token)
        if old is not None and old is not session:
            old.close()
        self.prune()
        self._sessions[token] = session
        return session

    def drop(self, token: str) -> None:
        session = self._sessions.pop(token, None)
        if session is not None:
            session.close()

    def prune(self) -> None:
        now = time.monotonic()
        for token, session in list(self._sessions.items()):
            if not session.pumping and now - session.last_used > self.idle_seconds:
                self.drop(token)

    def __len__(self) -> int:
        return len(self._sessions)

    def __contains__(self, token: object) -> bool:
        return token in self._sessions


sessions = SessionRegistry()
