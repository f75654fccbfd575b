"""Logged vars: each delta carries only what follows the browser's copy; a hydrate (the
full state) carries the whole value; the browser can ask for the whole value again."""

from __future__ import annotations

import json

import reflex as rx

from app.states.append_log import common_prefix, js_length
from app.states.live_message import LiveTextState
from app.states.thread import ThreadState


def _states():
    root = rx.State(_reflex_internal_init=True)
    thread = root.get_substate(ThreadState.get_full_name().split(".")[1:])
    live = root.get_substate(LiveTextState.get_full_name().split(".")[1:])
    return root, thread, live


def _sent(root, state) -> dict:
    """The vars of `state` in the delta the browser gets now (then clean, as Reflex does)."""
    delta = root.get_delta()
    root._clean()
    return {key.removesuffix("_rx_state_"): value
            for key, value in delta.get(state.get_full_name(), {}).items()}


def _apply(held, log):
    """What the browser does with a patch (app/components/append_log.js)."""
    if isinstance(held, str):
        return held[:log["at"]] + log["add"]  # (no astral characters in these tests)
    return held[:log["at"]] + log["add"]


def test_an_appended_message_sends_only_itself():
    root, thread, _ = _states()
    history = [{"id": f"m{i}", "text": "long text " * 50} for i in range(100)]
    thread._write_logged("messages", history)
    first = _sent(root, thread)
    assert "messages" not in first and first["messages_log"]["at"] == 0
    held = _apply([], first["messages_log"])
    answer = [*history, {"id": "q", "text": "question"}, {"id": "a", "text": "answer"}]
    thread._write_logged("messages", answer)
    sent = _sent(root, thread)
    assert set(sent) == {"messages_log"}
    assert sent["messages_log"]["at"] == 100 and len(sent["messages_log"]["add"]) == 2
    assert len(json.dumps(sent)) < 200
    held = _apply(held, sent["messages_log"])
    assert held == answer == thread.messages
    assert sent["messages_log"]["v"] == first["messages_log"]["v"] + 1


def test_a_changed_message_resends_from_it_and_writes_between_deliveries_fold():
    root, thread, _ = _states()
    thread._write_logged("messages", [{"id": "a"}, {"id": "b", "status": "pending"}])
    held = _apply([], _sent(root, thread)["messages_log"])
    thread._write_logged("messages", [{"id": "a"}, {"id": "b", "status": ""}])
    thread._write_logged("messages", [{"id": "a"}, {"id": "b", "status": ""}, {"id": "c"}])
    sent = _sent(root, thread)
    assert sent["messages_log"]["at"] == 1  # folded: from the first change on
    held = _apply(held, sent["messages_log"])
    assert held == thread.messages


def test_a_direct_write_goes_whole_and_later_patches_follow_it():
    root, thread, _ = _states()
    thread._write_logged("messages", [{"id": "a"}])
    _sent(root, thread)
    thread.messages = [{"id": "x"}]  # code that does not know about the log
    thread._write_logged("messages", [{"id": "x"}, {"id": "y"}])
    sent = _sent(root, thread)
    assert sent["messages"] == [{"id": "x"}, {"id": "y"}]  # whole: the browser resets
    thread._write_logged("messages", [{"id": "x"}, {"id": "y"}, {"id": "z"}])
    assert _sent(root, thread)["messages_log"]["add"] == [{"id": "z"}]


def test_the_full_state_carries_the_whole_value_and_resync_sends_it_from_zero():
    root, thread, _ = _states()
    thread._write_logged("messages", [{"id": "a"}])
    _sent(root, thread)
    thread._write_logged("messages", [{"id": "a"}, {"id": "b"}])
    full = root.dict()[thread.get_full_name()]
    assert full["messages_rx_state_"] == [{"id": "a"}, {"id": "b"}]
    _sent(root, thread)
    thread.resync_log("messages")
    sent = _sent(root, thread)
    assert sent["messages_log"]["at"] == 0 and sent["messages_log"]["add"] == thread.messages
    thread.resync_log("is_loading")  # not a logged var: nothing
    assert _sent(root, thread) == {}


def test_streamed_text_sends_each_character_once():
    root, _, live = _states()
    text, held, added = "", "", 0
    for i in range(300):
        text += f"word{i} "
        live.show(text)
        sent = _sent(root, live)
        assert set(sent) <= {"live_text_log", "live_plain"}
        assert len(json.dumps(sent)) < 120
        added += len(sent["live_text_log"]["add"])
        held = _apply(held, sent["live_text_log"])
    assert held == text == live.live_text
    assert added == len(text)  # each character once


def test_finished_blocks_of_the_streamed_text_are_cut():
    root, _, live = _states()
    live.show("Intro paragraph.\n\n- a\n- b\n\nOpen\ntail")
    sent = _sent(root, live)
    assert sent["live_cuts"] == [18, 27]  # before "- a" and before "Open"
    live.clear()
    sent = _sent(root, live)
    assert sent["live_cuts"] == [] and live.live_text == ""


def test_prefix_and_javascript_lengths():
    assert common_prefix("hello", "hello world") == 5
    assert common_prefix([1, 2, 3], [1, 2, 4]) == 2
    assert common_prefix("abc", "xbc") == 0
    assert js_length("a😀b") == 4
