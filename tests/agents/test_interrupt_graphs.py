"""Interrupting graphs on the real server: question, legacy review, parallel, nested."""

from __future__ import annotations

from typing import Any

import pytest


def test_question_interrupts_with_a_string_then_a_dict(wire) -> None:
    thread = wire.thread()
    run = wire.stream(thread, "question", input={})
    (first,) = run.interrupts()
    assert first["value"] == "What is your name?"
    (pending,) = wire.pending(thread)
    assert (pending["id"], pending["value"]) == (first["id"], first["value"])

    run = wire.stream(thread, "question", command={"resume": "Ada"})
    assert run.last_values["messages"][-1]["content"] == "Hello, Ada! Nice to meet you."
    (second,) = run.interrupts()
    assert second["value"] == {
        "question": "Which colour do you like, Ada?",
        "choices": ["red", "green", "blue"],
    }

    run = wire.stream(thread, "question", command={"resume": {"choice": "Green"}})
    assert run.final_text == "Green it is."
    assert run.last_values["colour"] == "green"
    assert wire.status(thread) == "idle"


def legacy_thread(wire) -> tuple[str, dict[str, Any]]:
    thread = wire.thread()
    (interrupt,) = wire.stream(thread, "legacy_review", input={}).interrupts()
    return thread, interrupt


def test_legacy_payload_is_a_one_item_human_interrupt_list(wire) -> None:
    _, interrupt = legacy_thread(wire)
    (request,) = interrupt["value"]
    assert request["action_request"]["action"] == "send_email"
    assert request["action_request"]["args"]["to"] == "bob@example.com"
    assert request["config"] == {
        "allow_ignore": True,
        "allow_respond": True,
        "allow_edit": True,
        "allow_accept": True,
    }
    assert "**email**" in request["description"]


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ({"type": "accept", "args": None}, 'Sent email to bob@example.com with subject "Lunch".'),
        (
            {
                "type": "edit",
                "args": {
                    "action": "send_email",
                    "args": {"to": "eve@example.com", "subject": "Tea"},
                },
            },
            'Edited. Sent email to eve@example.com with subject "Tea".',
        ),
        ({"type": "response", "args": "Call him instead."}, "Not sent. You replied: Call him"),
        ({"type": "ignore", "args": None}, "Ignored; nothing was sent."),
    ],
    ids=["accept", "edit", "response", "ignore"],
)
def test_legacy_answers(wire, response, expected) -> None:
    thread, _ = legacy_thread(wire)
    run = wire.stream(thread, "legacy_review", command={"resume": [response]})
    assert run.final_text.startswith(expected)
    assert wire.status(thread) == "idle"


def test_parallel_interrupts_are_answered_together_by_id(wire) -> None:
    thread = wire.thread()
    run = wire.stream(thread, "parallel_interrupts", input={})
    announced = run.interrupts()
    pending = wire.pending(thread)
    assert len(pending) == 2
    assert sorted(i["id"] for i in announced) == sorted(i["id"] for i in pending)
    by_value = {str(i["value"]): i["id"] for i in pending}
    alpha = by_value["alpha: what is your favourite number?"]
    beta = next(i["id"] for i in pending if isinstance(i["value"], dict))
    run = wire.stream(thread, "parallel_interrupts", command={"resume": {alpha: 7, beta: "pear"}})
    assert run.last_values["answers"] == {"alpha": 7, "beta": "pear"}
    assert run.final_text == 'Answers: {"alpha": 7, "beta": "pear"}'
    assert wire.status(thread) == "idle"


def test_parallel_interrupts_answered_one_at_a_time(wire) -> None:
    thread = wire.thread()
    wire.stream(thread, "parallel_interrupts", input={})
    pending = wire.pending(thread)
    alpha = next(i for i in pending if isinstance(i["value"], str))
    wire.stream(thread, "parallel_interrupts", command={"resume": {alpha["id"]: 1}})
    (left,) = wire.pending(thread)
    assert left["value"]["question"] == "beta: pick a fruit"
    run = wire.stream(thread, "parallel_interrupts", command={"resume": {left["id"]: "apple"}})
    assert run.last_values["answers"] == {"alpha": 1, "beta": "apple"}


def test_interrupt_inside_a_subgraph(wire) -> None:
    thread = wire.thread()
    wire.stream(thread, "nested_interrupt", input={}, stream_subgraphs=True)
    state = wire.state(thread)
    (task,) = state["tasks"]
    assert task["name"] == "child"
    assert task["interrupts"][0]["value"] == "Child graph asks: shall I continue?"
    assert state["next"] == ["child"]
    run = wire.stream(thread, "nested_interrupt", command={"resume": "yes"})
    texts = [m["content"] for m in run.last_values["messages"]]
    assert texts == ["Child got: yes", "Parent finished."]
