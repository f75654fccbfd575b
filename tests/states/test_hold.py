"""A streamed message's completion holds its last tokens for what comes next: the hold
starts at the first sign of completion (its last chunk, or the node's values) and the
second sign does not stretch it."""

from __future__ import annotations

import time

from app.states.tab_sessions import TabSession
from app.stream import ThreadStream
from app.stream.listeners import COMPLETE, StreamChange


def streaming_session() -> TabSession:
    session = TabSession(stream=ThreadStream("chat", "http://127.0.0.1:9"),
                         assistant_id="chat", hold_seconds=0.2)
    session.publisher.live.message_id = "m1"
    return session


def test_a_token_wakes_the_pump_without_a_hold() -> None:
    session = streaming_session()
    session.on_change(StreamChange(1, "m1"))
    assert session.changed.is_set() and session.hold_until == 0.0
    assert not session.structural.is_set()


def test_the_last_chunk_starts_the_hold_and_the_values_keep_it() -> None:
    session = streaming_session()
    before = time.monotonic()
    session.on_change(StreamChange(1, "m1", COMPLETE))
    held = session.hold_until
    assert before + 0.2 <= held <= time.monotonic() + 0.2
    assert session.changed.is_set() and not session.structural.is_set()
    session.on_change(StreamChange(2))  # the node's values, a moment later
    assert session.hold_until == held and session.full_dirty
    assert not session.structural.is_set()


def test_values_alone_start_the_hold() -> None:
    session = streaming_session()
    session.on_change(StreamChange(1))
    assert session.hold_until > time.monotonic() and session.full_dirty
