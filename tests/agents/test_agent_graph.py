"""`agent` on the real server: the v1 HITL payload and what each decision does."""

from __future__ import annotations

from typing import Any

import pytest

EMAIL_AND_WEATHER = "Please email bob about lunch and tell me the weather in Paris."


def start(wire, text: str) -> tuple[str, dict[str, Any]]:
    """Ask the agent; return the thread and the one interrupt it is waiting on."""
    thread = wire.thread()
    run = wire.ask(thread, "agent", text)
    announced = run.interrupts()
    assert len(announced) == 1
    assert wire.status(thread) == "interrupted"
    pending = wire.pending(thread)
    assert [i["id"] for i in pending] == [announced[0]["id"]]
    return thread, pending[0]


def resume(wire, thread: str, *decisions: dict[str, Any]) -> str:
    run = wire.stream(thread, "agent", command={"resume": {"decisions": list(decisions)}})
    assert "error" not in run.names()
    assert wire.status(thread) == "idle"
    return run.final_text


def test_two_tool_calls_come_in_one_typed_review_request(wire) -> None:
    _, interrupt = start(wire, EMAIL_AND_WEATHER)
    value = interrupt["value"]
    assert [a["name"] for a in value["action_requests"]] == ["send_email", "get_weather"]
    email, weather = value["action_requests"]
    assert email["args"] == {
        "to": "bob@example.com",
        "subject": "lunch",
        "body": "Hi Bob, let's talk about lunch.",
    }
    assert weather["args"] == {"city": "Paris"}
    assert "**bob@example.com**" in email["description"]
    email_cfg, weather_cfg = value["review_configs"]
    assert email_cfg["action_name"] == "send_email"
    assert email_cfg["allowed_decisions"] == ["approve", "edit", "reject", "respond"]
    assert weather_cfg["allowed_decisions"] == ["approve", "reject", "respond"]
    assert email_cfg["args_schema"]["required"] == ["to", "subject", "body"]
    assert weather_cfg["args_schema"]["properties"]["city"]["type"] == "string"


def test_model_streams_text_then_tool_calls(wire) -> None:
    thread = wire.thread()
    run = wire.ask(thread, "agent", "weather in Oslo")
    chunks = [m for m, _ in run.named("messages") if m.get("type") == "AIMessageChunk"]
    assert "".join(m["content"] for m in chunks) == "I will call get_weather."
    calls = [c for m in chunks for c in m.get("tool_call_chunks", [])]
    assert [c["name"] for c in calls] == ["get_weather"]


def test_approve_runs_every_tool(wire) -> None:
    thread, _ = start(wire, EMAIL_AND_WEATHER)
    final = resume(wire, thread, {"type": "approve"}, {"type": "approve"})
    assert '- send_email: Email sent to bob@example.com with subject "lunch".' in final
    assert "- get_weather: It is sunny and" in final and "in Paris." in final


def test_edit_runs_the_tool_with_the_edited_args(wire) -> None:
    thread, _ = start(wire, EMAIL_AND_WEATHER)
    edited = {"to": "alice@example.com", "subject": "dinner", "body": "7pm?"}
    final = resume(
        wire,
        thread,
        {"type": "edit", "edited_action": {"name": "send_email", "args": edited}},
        {"type": "approve"},
    )
    assert 'Email sent to alice@example.com with subject "dinner".' in final
    assert "bob@example.com" not in final


def test_reject_does_not_run_the_tool(wire) -> None:
    thread, _ = start(wire, EMAIL_AND_WEATHER)
    final = resume(wire, thread, {"type": "reject", "message": "not now"}, {"type": "approve"})
    assert "- send_email was not run: User rejected the tool call" in final
    assert "not now" in final
    assert "Email sent" not in final
    assert "- get_weather: It is sunny" in final


def test_respond_answers_for_the_tool(wire) -> None:
    thread, _ = start(wire, EMAIL_AND_WEATHER)
    final = resume(
        wire,
        thread,
        {"type": "approve"},
        {"type": "respond", "message": "It is raining, take an umbrella."},
    )
    assert "- get_weather: It is raining, take an umbrella." in final
    assert "sunny" not in final
    assert "Email sent to bob@example.com" in final


def test_typed_args_schema_and_integer_edit(wire) -> None:
    thread, interrupt = start(wire, "book a table at Luigi's for 4 at 7pm")
    (request,) = interrupt["value"]["action_requests"]
    assert request["args"] == {"restaurant": "Luigi's", "party_size": 4, "time": "7pm"}
    (config,) = interrupt["value"]["review_configs"]
    assert config["allowed_decisions"] == ["approve", "edit", "reject"]
    assert config["args_schema"]["properties"]["party_size"]["type"] == "integer"
    args = {"restaurant": "Luigi's", "party_size": 6, "time": "8pm"}
    final = resume(
        wire, thread, {"type": "edit", "edited_action": {"name": "book_table", "args": args}}
    )
    assert "Booked a table for 6 at Luigi's at 8pm." in final


def test_unknown_request_gets_help_without_interrupt(wire) -> None:
    thread = wire.thread()
    run = wire.ask(thread, "agent", "hello")
    assert run.interrupts() == []
    assert "demo agent" in run.final_text and "email bob about lunch" in run.final_text
    assert wire.status(thread) == "idle"


@pytest.mark.parametrize(
    "decisions",
    [[{"type": "approve"}], [{"type": "respond", "message": "x"}, {"type": "edit"}]],
    ids=["too-few", "not-allowed"],
)
def test_bad_decisions_fail_the_run(wire, decisions) -> None:
    thread, _ = start(wire, EMAIL_AND_WEATHER)
    run = wire.stream(thread, "agent", command={"resume": {"decisions": decisions}})
    errors = run.named("error")
    assert errors and errors[0]["error"] in {"ValueError", "KeyError"}


def test_per_call_mode_interrupts_once_per_tool_with_a_response_schema(wire) -> None:
    thread = wire.thread()
    wire.ask(thread, "agent_per_call", EMAIL_AND_WEATHER)
    pending = {i["value"]["name"]: i for i in wire.pending(thread)}
    assert set(pending) == {"send_email", "get_weather"}
    email = pending["send_email"]
    assert email["value"]["type"] == "tool_approval"
    assert email["value"]["args"]["to"] == "bob@example.com"
    kinds = set(email["response_schema"]["discriminator"]["mapping"])
    assert kinds == {"approve", "edit", "reject", "respond"}
    edited = {"to": "carol@example.com", "subject": "tea", "body": "4pm"}
    answers = {
        email["id"]: {"type": "edit", "edited_action": {"name": "send_email", "args": edited}},
        pending["get_weather"]["id"]: {"type": "reject"},
    }
    run = wire.stream(thread, "agent_per_call", command={"resume": answers})
    assert 'Email sent to carol@example.com with subject "tea".' in run.final_text
    assert "- get_weather was not run" in run.final_text
    assert wire.status(thread) == "idle"
