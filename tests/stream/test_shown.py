"""Unit tests of `ShownThread` (what the app shows), which applies the pure merge rules of
`values` (merge_values_event, without_interrupts) and `messages` (apply_removals)."""

from __future__ import annotations

from app.stream.shown import ShownThread

H = {"type": "human", "id": "h", "content": "hi"}
A = {"type": "ai", "id": "a", "content": "hello"}


def shown(*messages, **values):
    return ShownThread("messages", {"messages": list(messages), **values})


def ids(thread):
    return [m["id"] for m in thread.all_messages()]


def test_interrupt_only_values_keep_messages_and_merge_by_id():
    thread = shown(H, topic="x")
    thread.start_stream()
    thread.on_values({"messages": [H, A], "topic": "y"})
    thread.on_values({"__interrupt__": [{"id": "i1", "value": 1}]})
    thread.on_values({"__interrupt__": [{"id": "i2", "value": 2}]})
    thread.on_values({"__interrupt__": [{"id": "i1", "value": 1}]})
    assert ids(thread) == ["h", "a"] and thread.values["topic"] == "y"
    assert [i["id"] for i in thread.streamed_interrupts] == ["i1", "i2"]
    thread.on_values({"messages": [H, A], "topic": "z"})  # plain values carry them
    assert [i["id"] for i in thread.all_values()["__interrupt__"]] == ["i1", "i2"]


def test_a_new_stream_drops_the_previous_interrupts_and_a_breakpoint_is_empty():
    thread = shown(H)
    thread.start_stream()
    thread.on_values({"__interrupt__": [{"id": "old"}]})
    thread.start_stream()
    assert "__interrupt__" not in thread.values and thread.streamed_interrupts is None
    thread.on_values({"__interrupt__": []})
    assert thread.streamed_interrupts == [] and ids(thread) == ["h"]


def test_non_dict_values_change_nothing():
    thread = shown(H, topic="x")
    thread.start_stream()
    thread.on_values(["not", "a", "dict"])
    assert ids(thread) == ["h"] and thread.values == {"topic": "x"}


def test_a_submitted_remove_entry_hides_its_message_and_is_not_shown():
    thread = shown(H, A)
    question = {"type": "human", "id": "q", "content": "again"}
    thread.add_pending([{"type": "remove", "id": "a"}, question], show=True)
    assert ids(thread) == ["h", "q"]
    assert thread.status == {"q": "pending"}


def test_remove_entries_in_initial_and_mutated_values_apply():
    thread = shown(H, A, {"type": "remove", "id": "h"})
    assert ids(thread) == ["a"]
    thread.merge({"messages": [H, A, {"type": "remove", "id": "a"}], "topic": "t"})
    assert ids(thread) == ["h"] and thread.values["topic"] == "t"
