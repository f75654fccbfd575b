"""Tool calls paired with their results, and HITL review through respond()."""

from __future__ import annotations

from app.stream import ThreadStream
from app.stream.tools import tool_calls_of


def test_tool_calls_pair_with_results_and_states():
    messages = [
        {"type": "ai", "id": "a", "tool_calls": [{"id": "c1", "name": "x", "args": {}},
                                                  {"id": "c2", "name": "y", "args": {}},
                                                  {"id": "c3", "name": "z", "args": {}}]},
        {"type": "tool", "id": "t1", "tool_call_id": "c1", "content": "ok"},
        {"type": "tool", "id": "t2", "tool_call_id": "c2", "content": "boom", "status": "error"},
    ]
    paired = tool_calls_of(messages)
    assert [(p["id"], p["state"]) for p in paired] == [
        ("c1", "completed"), ("c2", "error"), ("c3", "pending")]
    assert paired[0]["result"]["content"] == "ok"


async def test_agent_review_interrupt_approve_then_tool_results(make_stream):
    stream: ThreadStream = make_stream("agent")
    await stream.submit("what is the weather in Paris")
    review = stream.interrupt
    assert review is not None and "action_requests" in review["value"]
    pending = stream.tool_calls
    assert pending and all(p["state"] == "pending" for p in pending)
    decisions = [{"type": "approve"} for _ in review["value"]["action_requests"]]
    await stream.respond({"decisions": decisions})
    assert stream.interrupts == [] and stream.error is None
    done = stream.tool_calls
    assert done and all(p["state"] == "completed" for p in done)
    ai = next(m for m in stream.messages if m["type"] == "ai" and m.get("tool_calls"))
    assert stream.get_tool_calls(ai)[0]["result"]["type"] == "tool"
