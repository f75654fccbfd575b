"""SubagentTracker: routing namespaced events to subagents and linking them to `task`
calls (synthetic events in the shapes the real server sends for the `deep` agent)."""

from __future__ import annotations

import json

import pytest

from app.stream.namespaces import is_subagent_namespace, namespace_parts, subagent_key
from app.stream.subagents import SubagentTracker

NS_A = ("tools:aaaa",)
NS_B = ("tools:bbbb",)
CALLS = [
    {"name": "task", "id": "call_r", "type": "tool_call",
     "args": {"description": "Find facts about owls.", "subagent_type": "researcher"}},
    {"name": "task", "id": "call_n", "type": "tool_call",
     "args": {"description": "Collect numbers about owls.", "subagent_type": "analyst"}},
]


def main_ai(calls=CALLS, id="main-1"):
    return {"type": "ai", "id": id, "content": "Delegating.", "tool_calls": calls}


def token(text, id, agent):
    meta = {"lc_agent_name": agent, "langgraph_node": "model", "checkpoint_ns": "tools:x"}
    return [{"type": "AIMessageChunk", "id": id, "content": text, "additional_kwargs": {}}, meta]


def sub_values(description):
    return {"messages": [{"type": "human", "id": f"h-{description}", "content": description}],
            "files": {}}


def tool_result(call_id, text, status="success"):
    return {"type": "tool", "id": f"t-{call_id}", "tool_call_id": call_id, "content": text,
            "name": "task", "status": status}


@pytest.mark.parametrize(
    ("namespace", "parts", "is_sub", "key"),
    [
        (None, (), False, None),
        ((), (), False, None),
        (("model:1",), ("model:1",), False, None),
        (("tools:abc",), ("tools:abc",), True, "tools:abc"),
        ("tools:abc|model:def", ("tools:abc", "model:def"), True, "tools:abc"),
        (["child:1", "tools:x", "tools:y"], ("child:1", "tools:x", "tools:y"), True, "tools:x"),
        ("", (), False, None),
    ],
)
def test_namespaces(namespace, parts, is_sub, key):
    assert namespace_parts(namespace) == parts
    assert is_subagent_namespace(namespace) is is_sub
    assert subagent_key(namespace) == key


def interleaved_events():
    """Two subagents streaming at once, their tokens interleaved, as on the real server."""
    events = [((), "values", {"messages": [main_ai()]}, 1.0),
              (NS_A, "values", sub_values("Find facts about owls."), 1.1),
              (NS_B, "values", sub_values("Collect numbers about owls."), 1.1)]
    a_words, b_words = ["Owls ", "hunt ", "at night."], ["12 ", "species."]
    for i in range(3):
        events.append((NS_A, "messages", token(a_words[i], "ai-a", "researcher"), 1.2 + i / 10))
        if i < len(b_words):
            events.append((NS_B, "messages", token(b_words[i], "ai-b", "analyst"), 1.2 + i / 10))
    events.append(((), "messages", [tool_result("call_n", "12 species."), {}], 1.6))
    events.append(((), "messages", [tool_result("call_r", "Owls hunt at night."), {}], 1.9))
    return events


def feed(tracker, events):
    for namespace, mode, data, at in events:
        tracker.add(namespace, mode, data, at)


def test_two_interleaved_subagents_stay_apart():
    tracker = SubagentTracker()
    feed(tracker, interleaved_events())
    researcher, analyst = tracker.snapshot()
    assert (researcher["id"], researcher["namespace"], researcher["link"]) == (
        "call_r", "tools:aaaa", "description")
    assert (analyst["id"], analyst["namespace"], analyst["link"]) == (
        "call_n", "tools:bbbb", "description")
    assert [m["content"] for m in researcher["messages"]] == [
        "Find facts about owls.", "Owls hunt at night."]
    assert [m["content"] for m in analyst["messages"]] == [
        "Collect numbers about owls.", "12 species."]
    assert researcher["status"] == analyst["status"] == "done"
    assert (researcher["started_at"], researcher["ended_at"], researcher["duration"]) == (
        1.1, 1.9, pytest.approx(0.8))
    assert analyst["result"] == "12 species."
    assert researcher["subagent_type"] == "researcher"
    assert researcher["description"] == "Find facts about owls."
    assert researcher["ai_message_id"] == "main-1"
    assert [s["id"] for s in tracker.by_message("main-1")] == ["call_r", "call_n"]
    json.dumps(tracker.snapshot())  # plain JSON


def test_status_goes_pending_running_done():
    tracker = SubagentTracker()
    tracker.add((), "values", {"messages": [main_ai()]}, 1.0)
    assert [s["status"] for s in tracker.snapshot()] == ["pending", "pending"]
    tracker.add(NS_A, "values", sub_values("Find facts about owls."), 2.0)
    assert [s["status"] for s in tracker.snapshot()] == ["running", "pending"]
    assert [s["id"] for s in tracker.running()] == ["call_r"]
    tracker.add((), "messages", [tool_result("call_r", "boom", status="error"), {}], 3.0)
    researcher = tracker.get("call_r")
    assert (researcher["status"], researcher["error"], researcher["ended_at"]) == (
        "error", "boom", 3.0)


LINKING = [
    (
        "agent name when no description is seen (messages mode only)",
        [(NS_B, "messages", token("x", "ai-b", "analyst"), 2.0),
         (NS_A, "messages", token("y", "ai-a", "researcher"), 2.0)],
        {"call_r": ("tools:aaaa", "agent_name"), "call_n": ("tools:bbbb", "agent_name")},
    ),
    (
        "order when nothing identifies the namespace",
        [(NS_B, "messages", [{"type": "AIMessageChunk", "id": "q", "content": "x"}, {}], 2.0)],
        {"call_r": ("tools:bbbb", "order"), "call_n": (None, None)},
    ),
    (
        "description containment",
        [(NS_A, "values", sub_values("Please: Collect numbers about owls. Thanks"), 2.0)],
        {"call_n": ("tools:aaaa", "description"), "call_r": (None, None)},
    ),
    (
        "a description matching no call waits",
        [(NS_A, "values", sub_values("Something else"), 2.0)],
        {"call_r": (None, None), "call_n": (None, None)},
    ),
    (
        "the tasks event links exactly and replaces a guess",
        [(NS_B, "messages", [{"type": "AIMessageChunk", "id": "q", "content": "x"}, {}], 2.0),
         ((), "tasks", {"id": "bbbb", "name": "tools", "input": [CALLS[1]],
                        "triggers": ["__pregel_push"]}, 2.1)],
        {"call_n": ("tools:bbbb", "task_event"), "call_r": (None, None)},
    ),
]


@pytest.mark.parametrize(("case", "events", "expected"), LINKING, ids=[c[0] for c in LINKING])
def test_linking_rules(case, events, expected):
    tracker = SubagentTracker()
    tracker.add((), "values", {"messages": [main_ai()]}, 1.0)
    feed(tracker, events)
    for call_id, (namespace, how) in expected.items():
        found = tracker.get(call_id)
        assert (found["namespace"], found["link"]) == (namespace, how), call_id


def test_displaced_guess_is_linked_again():
    tracker = SubagentTracker()
    tracker.add((), "values", {"messages": [main_ai()]}, 1.0)
    anonymous = [{"type": "AIMessageChunk", "id": "q", "content": "x"}, {}]
    tracker.add(NS_A, "messages", anonymous, 2.0)  # guessed: first call by order
    assert tracker.get("call_r")["namespace"] == "tools:aaaa"
    task = {"id": "aaaa", "name": "tools", "input": [CALLS[1]]}
    tracker.add((), "tasks", task, 2.1)
    assert tracker.get("call_n")["namespace"] == "tools:aaaa"
    assert tracker.get("call_r")["namespace"] is None
    tracker.add(NS_B, "messages", [{"type": "AIMessageChunk", "id": "p", "content": "y"}, {}], 2.2)
    assert (tracker.get("call_r")["namespace"], tracker.get("call_r")["link"]) == (
        "tools:bbbb", "order")
    assert tracker.tool_call_of("tools:bbbb|model:1") == "call_r"


def test_the_task_result_metadata_corrects_a_wrong_guess():
    tracker = SubagentTracker()
    tracker.add((), "values", {"messages": [main_ai()]}, 1.0)
    tracker.add(NS_B, "messages", [{"type": "AIMessageChunk", "id": "q", "content": "b"}, {}], 2)
    tracker.add(NS_A, "messages", [{"type": "AIMessageChunk", "id": "p", "content": "a"}, {}], 2)
    assert tracker.tool_call_of(NS_B) == "call_r"  # a guess by order, wrong here
    metadata = {"langgraph_node": "tools", "checkpoint_ns": None,
                "langgraph_checkpoint_ns": "tools:aaaa", "lc_agent_name": "deep"}
    tracker.add((), "messages", [tool_result("call_r", "a"), metadata], 3.0)
    researcher, analyst = tracker.get("call_r"), tracker.get("call_n")
    assert (researcher["namespace"], researcher["link"], researcher["status"]) == (
        "tools:aaaa", "tool_result", "done")
    assert [m["content"] for m in researcher["messages"]] == ["a"]
    assert (analyst["namespace"], analyst["link"], analyst["status"]) == (
        "tools:bbbb", "order", "running")
    assert [m["content"] for m in analyst["messages"]] == ["b"]


def test_subagent_events_before_the_call_is_known_are_linked_later():
    tracker = SubagentTracker()
    tracker.add(NS_A, "values", sub_values("Collect numbers about owls."), 1.0)
    tracker.add(NS_A, "messages", token("12", "ai-a", "analyst"), 1.1)
    assert tracker.snapshot() == []
    tracker.add_tool_calls(main_ai())
    analyst = tracker.get("call_n")
    assert (analyst["namespace"], analyst["status"], analyst["started_at"]) == (
        "tools:aaaa", "running", 1.0)
    assert [m["content"] for m in analyst["messages"]][-1] == "12"


def test_task_calls_streamed_as_chunks_are_registered_once_their_args_parse():
    tracker = SubagentTracker()
    pieces = ['{"description": "Find fa', 'cts about owls.", "subagent_type": "researcher"}']
    first = {"type": "AIMessageChunk", "id": "main-1", "content": "",
             "tool_call_chunks": [{"name": "task", "id": "call_r", "args": pieces[0],
                                   "index": 0}]}
    second = {"type": "AIMessageChunk", "id": "main-1", "content": "",
              "tool_call_chunks": [{"name": None, "id": None, "args": pieces[1], "index": 0}]}
    tracker.add((), "messages", [first, {}], 1.0)
    tracker.add((), "messages", [second, {}], 1.1)
    (researcher,) = tracker.snapshot()
    assert researcher["description"] == "Find facts about owls."
    assert researcher["subagent_type"] == "researcher"
    assert researcher["ai_message_id"] == "main-1"


def test_root_text_chunks_are_not_kept_and_other_tools_are_ignored():
    tracker = SubagentTracker()
    tracker.add((), "messages", [{"type": "AIMessageChunk", "id": "m", "content": "hi"}, {}], 1)
    other = {"name": "write_file", "id": "c1", "args": {"file_path": "/a", "content": "x"}}
    tracker.add((), "updates", {"model": {"messages": [main_ai([other])]}}, 2)
    tracker.add((), "updates", {"HumanInTheLoopMiddleware.after_model": None}, 3)
    assert tracker.snapshot() == []
    assert "m" not in tracker._root


def test_failed_tool_task_event_marks_error_and_reset_forgets():
    tracker = SubagentTracker()
    tracker.add((), "tasks", {"id": "aaaa", "name": "tools", "input": [CALLS[0]]}, 1.0)
    assert tracker.get("call_r")["status"] == "running"
    tracker.add((), "tasks", {"id": "aaaa", "name": "tools", "error": "ValueError: x",
                              "result": None, "interrupts": []}, 2.0)
    assert (tracker.get("call_r")["status"], tracker.get("call_r")["error"]) == (
        "error", "ValueError: x")
    tracker.reset()
    assert tracker.snapshot() == []


def test_subagent_values_keep_state_but_not_messages():
    tracker = SubagentTracker()
    tracker.add_tool_calls(main_ai())
    values = sub_values("Find facts about owls.") | {"todos": [{"content": "x"}]}
    tracker.add(NS_A, "values", values, 1.0)
    assert tracker.get("call_r")["values"] == {"files": {}, "todos": [{"content": "x"}]}
