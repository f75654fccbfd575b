"""Test graphs on the real server: failure, subgraph streaming, removals, breakpoints."""

from __future__ import annotations


def test_failing_streams_tokens_then_an_error_event(wire) -> None:
    thread = wire.thread()
    run = wire.ask(thread, "failing", "go")
    assert run.tokens() == ["This ", "reply ", "will "]
    assert run.names()[-1] == "error"
    assert run.named("error")[-1] == {"error": "ValueError", "message": "demo failure"}
    assert wire.status(thread) == "error"


def test_failing_message_and_point_are_configurable(wire) -> None:
    run = wire.ask(
        wire.thread(),
        "failing",
        "go",
        configurable={"failure_message": "boom", "fail_after_tokens": 1},
    )
    assert run.tokens() == ["This "]
    assert run.named("error")[-1]["message"] == "boom"


def test_nested_streams_child_tokens_and_custom_events(wire) -> None:
    run = wire.ask(wire.thread(), "nested", "hi", stream_subgraphs=True)
    child_names = {name for name in run.names() if name.startswith(("messages|", "custom|"))}
    assert child_names and all("|child:" in name for name in child_names)
    assert run.named("custom") == [{"progress": i, "of": 3} for i in (1, 2, 3)]
    assert "".join(run.tokens()) == "Hello from inside the child graph."
    assert run.last_values["step"] == "finished"
    assert run.final_text == "Hello from inside the child graph."


def test_nested_without_subgraph_streaming_sends_no_child_tokens(wire) -> None:
    run = wire.ask(wire.thread(), "nested", "hi")
    assert run.tokens() == [] and run.named("custom") == []
    assert run.final_text == "Hello from inside the child graph."


def test_remover_drops_earlier_messages(wire) -> None:
    thread = wire.thread()
    first = wire.ask(thread, "remover", "one")
    assert [m["content"] for m in first.last_values["messages"]] == ["one", 'Noted: "one".']
    second = wire.ask(thread, "remover", "two")
    assert [m["content"] for m in second.last_values["messages"]] == ["two", 'Noted: "two".']
    removals = [
        m
        for update in second.named("updates")
        for m in (update.get("prune") or {}).get("messages", [])
    ]
    assert [m["type"] for m in removals] == ["remove", "remove"]
    first_ids = [m["id"] for m in first.last_values["messages"]]
    assert [m["id"] for m in removals] == first_ids


def test_remover_can_remove_all(wire) -> None:
    thread = wire.thread()
    wire.ask(thread, "remover", "one")
    run = wire.ask(thread, "remover", "two", configurable={"remove_all": True})
    assert [m["content"] for m in run.last_values["messages"]] == ["History cleared."]


def test_pipeline_static_breakpoints(wire) -> None:
    thread = wire.thread()
    run = wire.ask(thread, "pipeline", "hi", interrupt_before=["respond"])
    assert {"__interrupt__": []} in run.named("updates")
    state = wire.state(thread)
    assert state["next"] == ["respond"] and state["values"]["prepared"] is True
    assert len(state["values"]["messages"]) == 1
    run = wire.stream(thread, "pipeline", input=None)
    assert run.tokens() and run.final_text == 'Pipeline reply to "hi".'

    thread = wire.thread()
    wire.ask(thread, "pipeline", "again", interrupt_after=["prepare"])
    assert wire.state(thread)["next"] == ["respond"]


def test_slow_tool_streams_its_args_in_pieces(wire) -> None:
    run = wire.ask(wire.thread(), "slow_tool", "write it", configurable={"token_delay": 0.001})
    pieces = [
        c
        for m, _ in run.named("messages")
        if m.get("type") == "AIMessageChunk"
        for c in m.get("tool_call_chunks", [])
    ]
    assert len(pieces) > 20
    assert pieces[0]["name"] == "write_document" and all(p["name"] is None for p in pieces[1:])
    assert run.final_text.startswith("Done: Saved 'Streamed report'")
