"""Unit tests of values merging (applied by `ShownThread.on_values`), interrupt extraction
and resume commands."""

from __future__ import annotations

from app.stream.interrupts import (
    interrupts_from_state,
    pending_interrupts,
    resume_command,
    single_interrupt,
)
from app.stream.values import merge_interrupts, merge_values_event, without_interrupts


def test_interrupt_only_event_keeps_messages():
    current = {"messages": [{"id": "h"}], "topic": "x"}
    merged = merge_values_event(current, {"__interrupt__": [{"id": "i1", "value": "q?"}]})
    assert merged["messages"] == [{"id": "h"}]
    assert merged["__interrupt__"] == [{"id": "i1", "value": "q?"}]
    assert "__interrupt__" not in current


def test_parallel_interrupts_merge_by_id():
    values = merge_values_event({}, {"__interrupt__": [{"id": "a", "value": 1}]})
    values = merge_values_event(values, {"__interrupt__": [{"id": "b", "value": 2}]})
    values = merge_values_event(values, {"__interrupt__": [{"id": "a", "value": 1}]})
    assert [i["id"] for i in values["__interrupt__"]] == ["a", "b"]


def test_plain_values_replace_and_carry_interrupts():
    values = merge_values_event(
        {"messages": [1], "__interrupt__": [{"id": "a"}]}, {"messages": [2]}
    )
    assert values == {"messages": [2], "__interrupt__": [{"id": "a"}]}
    assert without_interrupts(values) == {"messages": [2]}


def test_breakpoint_event_is_empty_list():
    values = merge_values_event({"messages": []}, {"__interrupt__": []})
    assert values["__interrupt__"] == []


def test_non_dict_values_change_nothing():
    assert merge_values_event({"messages": [1]}, ["x"]) == {"messages": [1]}


def test_merge_interrupts_without_ids_dedupes_by_value():
    assert merge_interrupts([{"value": 1}], [{"value": 1}, {"value": 2}]) == [
        {"value": 1},
        {"value": 2},
    ]


def state(**kw):
    base = {"values": {}, "next": [], "tasks": [], "interrupts": []}
    base.update(kw)
    return base


def test_interrupts_from_state_all_tasks():
    head = state(
        next=["a", "b"],
        tasks=[
            {"id": "t1", "name": "a", "interrupts": [{"id": "i1", "value": 1}]},
            {"id": "t2", "name": "b", "interrupts": [{"id": "i2", "value": 2}]},
        ],
    )
    assert [i["id"] for i in interrupts_from_state(head)] == ["i1", "i2"]


def test_breakpoint_from_state_next_without_error():
    assert interrupts_from_state(
        state(next=["respond"], tasks=[{"id": "t", "name": "respond"}])
    ) == [{"when": "breakpoint"}]
    failed = state(next=["x"], tasks=[{"id": "t", "name": "x", "error": "ValueError"}])
    assert interrupts_from_state(failed) == []
    assert interrupts_from_state(state()) == []


def test_pending_prefers_streamed_then_state():
    head = state(
        tasks=[{"id": "t", "name": "n", "interrupts": [{"id": "s", "value": 0}]}], next=["n"]
    )
    assert pending_interrupts({"__interrupt__": [{"id": "x"}]}, head, loading=False) == [
        {"id": "x"}
    ]
    assert pending_interrupts({}, head, loading=True) == []
    assert pending_interrupts({}, head, loading=False) == [{"id": "s", "value": 0}]
    assert pending_interrupts({"__interrupt__": []}, None, loading=True) == [{"when": "breakpoint"}]


def test_single_interrupt_quirk():
    assert single_interrupt([]) is None
    assert single_interrupt([{"id": "a"}]) == {"id": "a"}
    assert single_interrupt([{"id": "a"}, {"id": "b"}]) == [{"id": "a"}, {"id": "b"}]


def test_resume_command_shapes():
    pending = [{"id": "a"}, {"id": "b"}]
    assert resume_command("yes", "a", pending) == {"resume": {"a": "yes"}}
    assert resume_command({"a": 1, "b": 2}, None, pending) == {"resume": {"a": 1, "b": 2}}
    assert resume_command("plain", None, [{"id": "a"}]) == {"resume": "plain"}
    assert resume_command({"k": "v"}, None, [{"id": "a"}]) == {"resume": {"k": "v"}}
