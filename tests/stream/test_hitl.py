"""app.stream.hitl: classify interrupt payloads, build answers, typed edit forms.

Payload constants below were captured from the graphs in agents/ and tests/graphs/ on
the real server; the last tests classify and answer live interrupts end to end.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from httpx_sse import connect_sse

from app.stream.hitl import (
    answers_by_id,
    classify,
    classify_all,
    continue_input,
    value_answer,
)
from app.stream.hitl_decisions import (
    approve,
    approve_all,
    edit,
    hitl_answer,
    reject,
    respond,
    tool_approval_answer,
)
from app.stream.hitl_errors import ArgsError, HitlError
from app.stream.hitl_forms import FormField, coerce_args, form_fields
from app.stream.hitl_legacy import legacy_answer, legacy_answer_from_decision
from app.stream.hitl_models import PendingInterrupt

# -- captured payloads ------------------------------------------------------------------

AGENT_BATCH = {
    "id": "9b1f",
    "value": {
        "action_requests": [
            {
                "name": "send_email",
                "args": {
                    "to": "bob@example.com",
                    "subject": "lunch",
                    "body": "Hi Bob, let's talk about lunch.",
                },
                "description": "Send an email to **bob@example.com** about *lunch*.",
            },
            {
                "name": "get_weather",
                "args": {"city": "Paris"},
                "description": "Look up the weather in **Paris**.",
            },
        ],
        "review_configs": [
            {
                "action_name": "send_email",
                "allowed_decisions": ["approve", "edit", "reject", "respond"],
                "args_schema": {
                    "description": "Send an email.",
                    "properties": {
                        "to": {"title": "To", "type": "string"},
                        "subject": {"title": "Subject", "type": "string"},
                        "body": {"title": "Body", "type": "string"},
                    },
                    "required": ["to", "subject", "body"],
                    "title": "send_email",
                    "type": "object",
                },
            },
            {
                "action_name": "get_weather",
                "allowed_decisions": ["approve", "reject", "respond"],
                "args_schema": {
                    "properties": {"city": {"title": "City", "type": "string"}},
                    "required": ["city"],
                    "title": "get_weather",
                    "type": "object",
                },
            },
        ],
    },
}

BOOK_TABLE_SCHEMA = {
    "description": "Book a restaurant table.",
    "properties": {
        "restaurant": {"title": "Restaurant", "type": "string"},
        "party_size": {"title": "Party Size", "type": "integer"},
        "time": {"title": "Time", "type": "string"},
    },
    "required": ["restaurant", "party_size", "time"],
    "title": "book_table",
    "type": "object",
}

PER_CALL = {
    "id": "2ec4",
    "value": {
        "type": "tool_approval",
        "tool_call_id": "call_51fa",
        "name": "send_email",
        "args": {"to": "bob@example.com", "subject": "lunch", "body": "Hi"},
        "description": "Send an email to **bob@example.com** about *lunch*.",
    },
    "response_schema": {
        "$defs": {
            "ApproveDecision": {
                "properties": {"type": {"const": "approve", "type": "string"}},
                "required": ["type"],
                "type": "object",
            },
            "EditDecision": {
                "properties": {
                    "type": {"const": "edit", "type": "string"},
                    "edited_action": {"$ref": "#/$defs/EditedAction"},
                },
                "required": ["type", "edited_action"],
                "type": "object",
            },
            "EditedAction": {
                "properties": {
                    "name": {"const": "send_email", "type": "string"},
                    "args": {"$ref": "#/$defs/send_email"},
                },
                "required": ["name", "args"],
                "type": "object",
            },
            "RejectDecision": {
                "properties": {
                    "type": {"const": "reject", "type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["type"],
                "type": "object",
            },
            "send_email": {
                "properties": {
                    "to": {"title": "To", "type": "string"},
                    "subject": {"title": "Subject", "type": "string"},
                    "body": {"title": "Body", "type": "string"},
                },
                "required": ["to", "subject", "body"],
                "type": "object",
            },
        },
        "discriminator": {"propertyName": "type"},
        "oneOf": [
            {"$ref": "#/$defs/ApproveDecision"},
            {"$ref": "#/$defs/EditDecision"},
            {"$ref": "#/$defs/RejectDecision"},
        ],
    },
}

LEGACY = {
    "id": "77aa",
    "value": [
        {
            "action_request": {
                "action": "send_email",
                "args": {"to": "bob@example.com", "subject": "Lunch", "body": "Noon?"},
            },
            "config": {
                "allow_ignore": True,
                "allow_respond": True,
                "allow_edit": True,
                "allow_accept": True,
            },
            "description": "Send this **email** to Bob?",
        }
    ],
}

QUESTION = {"id": "c8b1", "value": "What is your name?", "response_schema": None}
CHOICE = {"id": "d1", "value": {"question": "beta: pick a fruit", "choices": ["apple", "pear"]}}


def camel(value: Any) -> Any:
    """A payload with JS-style camelCase keys and pre-release `arguments` spellings."""
    renames = {
        "action_requests": "actionRequests",
        "review_configs": "reviewConfigs",
        "allowed_decisions": "allowedDecisions",
        "action_name": "actionName",
        "args_schema": "argumentsSchema",
        "args": "arguments",
    }
    if isinstance(value, dict):
        return {renames.get(k, k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


# -- classify ---------------------------------------------------------------------------


def test_batched_hitl_request() -> None:
    pending = classify(AGENT_BATCH)
    assert pending.kind == "hitl" and pending.id == "9b1f" and pending.needs_resume
    email, weather = pending.actions
    assert email.name == "send_email" and email.args["to"] == "bob@example.com"
    assert email.allowed == ["approve", "edit", "reject", "respond"]
    assert weather.allowed == ["approve", "reject", "respond"]
    assert [f.name for f in email.fields] == ["to", "subject", "body"]
    assert all(f.required and f.type == "string" for f in email.fields)
    assert email.fields[0].value == "bob@example.com" and email.fields[0].label == "To"
    assert email.description.startswith("Send an email to **bob")


@pytest.mark.parametrize("spelling", ["camel", "snake"])
def test_every_spelling_gives_the_same_model(spelling: str) -> None:
    payload = camel(AGENT_BATCH) if spelling == "camel" else AGENT_BATCH
    normalized = classify(payload).model_dump(exclude={"value"})
    assert normalized == classify(AGENT_BATCH).model_dump(exclude={"value"})


def test_review_configs_matched_by_name_when_order_differs() -> None:
    payload = copy.deepcopy(AGENT_BATCH)
    payload["value"]["review_configs"].reverse()
    email, weather = classify(payload).actions
    assert "edit" in email.allowed and "edit" not in weather.allowed


def test_missing_review_config_gets_default_decisions_and_inferred_fields() -> None:
    payload = {
        "id": "x",
        "value": {"action_requests": [{"name": "t", "args": {"n": 2, "ok": True, "tags": ["a"]}}]},
    }
    (action,) = classify(payload).actions
    assert action.allowed == ["approve", "edit", "reject"]
    assert [(f.name, f.type, f.value) for f in action.fields] == [
        ("n", "integer", "2"),
        ("ok", "boolean", "true"),
        ("tags", "json", '["a"]'),
    ]


@pytest.mark.parametrize(
    "value",
    [
        {"action_requests": [{"args": {}}]},
        {"action_requests": ["send_email"]},
        {"action_requests": [{"name": "x", "args": "a=1"}]},
        {
            "action_requests": [{"name": "x"}],
            "review_configs": [{"action_name": "x", "allowed_decisions": ["maybe"]}],
        },
        {"action_requests": [{"name": "x"}], "review_configs": "all"},
    ],
    ids=["no-name", "not-object", "args-not-object", "unknown-decision", "configs-not-list"],
)
def test_malformed_hitl_requests_are_refused_clearly(value: dict[str, Any]) -> None:
    with pytest.raises(HitlError):
        classify({"id": "x", "value": value})


def test_per_call_tool_approval_reads_the_response_schema() -> None:
    pending = classify(PER_CALL)
    assert pending.kind == "tool_approval"
    (action,) = pending.actions
    assert action.allowed == ["approve", "edit", "reject"]
    assert action.tool_call_id == "call_51fa"
    assert action.args_schema is not None and "$ref" not in json.dumps(action.args_schema)
    assert [f.name for f in action.fields] == ["to", "subject", "body"]
    assert tool_approval_answer(pending, approve()) == {"type": "approve"}
    with pytest.raises(HitlError, match="respond is not allowed"):
        tool_approval_answer(pending, respond("hi"))


def test_per_call_without_schema_allows_the_defaults() -> None:
    pending = classify({**PER_CALL, "response_schema": None})
    assert pending.actions[0].allowed == ["approve", "edit", "reject"]
    assert [f.type for f in pending.actions[0].fields] == ["string"] * 3


@pytest.mark.parametrize("shape", ["list", "dict"])
def test_legacy_human_interrupt(shape: str) -> None:
    value = LEGACY["value"] if shape == "list" else LEGACY["value"][0]
    pending = classify({"id": "77aa", "value": value})
    assert pending.kind == "legacy"
    assert pending.legacy is not None
    assert pending.legacy.allowed() == ["accept", "edit", "response", "ignore"]
    (action,) = pending.actions
    assert action.name == "send_email" and action.args["subject"] == "Lunch"
    assert pending.description == "Send this **email** to Bob?"


def test_legacy_config_limits_answers() -> None:
    value = copy.deepcopy(LEGACY["value"])
    value[0]["config"] = {
        "allow_ignore": False,
        "allow_respond": False,
        "allow_edit": False,
        "allow_accept": True,
    }
    pending = classify({"id": "1", "value": value})
    assert pending.legacy.allowed() == ["accept"]
    assert pending.actions[0].allowed == ["approve"]
    with pytest.raises(HitlError, match="ignore is not allowed"):
        legacy_answer(pending, "ignore")


@pytest.mark.parametrize(
    "interrupt",
    [{"when": "breakpoint"}, None, {"ns": ["child:1"]}],
    ids=["marker", "none", "no-value"],
)
def test_breakpoints(interrupt: Any) -> None:
    pending = classify(interrupt)
    assert pending.kind == "breakpoint" and not pending.needs_resume
    assert continue_input() is None


def test_generic_values() -> None:
    question = classify(QUESTION)
    assert question.kind == "value" and question.is_text
    assert question.description == "What is your name?"
    choice = classify(CHOICE)
    assert choice.kind == "value" and not choice.is_text
    assert choice.description == "beta: pick a fruit"
    assert classify({"id": "n", "value": None}).kind == "value"
    assert classify({"id": "l", "value": [1, 2]}).kind == "value"
    several = [{"action_request": {"action": "a", "args": {}}}] * 2
    assert classify({"id": "l", "value": several}).kind == "value"


def test_classify_refuses_non_objects_and_keeps_order() -> None:
    with pytest.raises(HitlError, match="must be an object"):
        classify("What is your name?")
    kinds = [p.kind for p in classify_all([QUESTION, AGENT_BATCH, {"when": "breakpoint"}])]
    assert kinds == ["value", "hitl", "breakpoint"]


def test_models_round_trip_as_json() -> None:
    for interrupt in (AGENT_BATCH, PER_CALL, LEGACY, QUESTION, CHOICE, {"when": "breakpoint"}):
        pending = classify(interrupt)
        dumped = json.loads(json.dumps(pending.model_dump()))
        assert PendingInterrupt.model_validate(dumped) == pending


# -- answers ----------------------------------------------------------------------------


def test_hitl_answer_in_request_order() -> None:
    pending = classify(AGENT_BATCH)
    answer = hitl_answer(pending, [edit("send_email", {"to": "a@b.c"}), respond("sunny")])
    assert answer == {
        "decisions": [
            {"type": "edit", "edited_action": {"name": "send_email", "args": {"to": "a@b.c"}}},
            {"type": "respond", "message": "sunny"},
        ]
    }
    assert hitl_answer(pending, [reject(), reject("  no  ")])["decisions"] == [
        {"type": "reject"},
        {"type": "reject", "message": "no"},
    ]


@pytest.mark.parametrize(
    ("decisions", "error"),
    [
        ([approve()], "2 action"),
        ([approve(), None], "still undecided: get_weather"),
        ([approve(), edit("get_weather", {"city": "Rome"})], "edit is not allowed"),
        ([respond("  "), approve()], "needs a message"),
        ([{"type": "maybe"}, approve()], "unknown decision type"),
        ([{"type": "edit"}, approve()], "edited_action"),
        ([{"type": "reject", "message": 3}, approve()], "reason must be text"),
    ],
    ids=[
        "count",
        "undecided",
        "not-allowed",
        "empty-respond",
        "unknown",
        "edit-no-action",
        "bad-reason",
    ],
)
def test_hitl_answer_refusals(decisions: list[Any], error: str) -> None:
    with pytest.raises(HitlError, match=error):
        hitl_answer(classify(AGENT_BATCH), decisions)


def test_approve_all_only_when_every_action_allows_it() -> None:
    assert approve_all(classify(AGENT_BATCH)) == {"decisions": [approve(), approve()]}
    payload = copy.deepcopy(AGENT_BATCH)
    payload["value"]["review_configs"][1]["allowed_decisions"] = ["reject"]
    with pytest.raises(HitlError, match="approve is not allowed"):
        approve_all(classify(payload))


def test_answers_refuse_the_wrong_kind() -> None:
    with pytest.raises(HitlError, match="not a human-in-the-loop"):
        hitl_answer(classify(QUESTION), [])
    with pytest.raises(HitlError, match="not a legacy"):
        legacy_answer(classify(AGENT_BATCH), "accept")
    with pytest.raises(HitlError, match="not a generic"):
        value_answer(classify(LEGACY), "x")
    with pytest.raises(HitlError, match="not a tool approval"):
        tool_approval_answer(classify(AGENT_BATCH), approve())


def test_legacy_answers() -> None:
    pending = classify(LEGACY)
    action = {"action": "send_email", "args": LEGACY["value"][0]["action_request"]["args"]}
    assert legacy_answer(pending, "accept") == [{"type": "accept", "args": action}]
    assert legacy_answer(pending, "edit", {"to": "eve"}) == [
        {"type": "edit", "args": {"action": "send_email", "args": {"to": "eve"}}}
    ]
    assert legacy_answer(pending, "response", "call him") == [
        {"type": "response", "args": "call him"}
    ]
    assert legacy_answer(pending, "ignore") == [{"type": "ignore", "args": None}]
    with pytest.raises(HitlError, match="needs a message"):
        legacy_answer(pending, "response", "")
    with pytest.raises(HitlError, match="edited args"):
        legacy_answer(pending, "edit", "to=eve")
    with pytest.raises(HitlError, match="unknown legacy answer"):
        legacy_answer(pending, "approve")
    assert legacy_answer_from_decision(pending, reject()) == [{"type": "ignore", "args": None}]
    assert legacy_answer_from_decision(pending, respond("no"))[0]["type"] == "response"
    assert legacy_answer_from_decision(pending, edit("send_email", {"to": "x"}))[0]["args"][
        "args"
    ] == {"to": "x"}


def test_value_answers() -> None:
    question = classify(QUESTION)
    assert value_answer(question, "42") == "42"
    assert value_answer(question, '{"a": 1}', as_json=True) == {"a": 1}
    choice = classify(CHOICE)
    assert value_answer(choice, '{"choice": "pear"}') == {"choice": "pear"}
    assert value_answer(choice, "pear") == "pear"
    assert value_answer(choice, "7") == 7
    with pytest.raises(HitlError, match="not valid JSON"):
        value_answer(choice, "{oops", as_json=True)
    assert value_answer(choice, "{oops", as_json=False) == "{oops"


def test_answers_by_id() -> None:
    first, second = classify(QUESTION), classify(CHOICE)
    assert answers_by_id([(first, "Ada"), (second, "pear")]) == {"c8b1": "Ada", "d1": "pear"}
    assert answers_by_id({"a": 1}) == {"a": 1}
    with pytest.raises(HitlError, match="breakpoint"):
        answers_by_id([(classify({"when": "breakpoint"}), None)])
    with pytest.raises(HitlError, match="answered twice"):
        answers_by_id([(first, 1), (first, 2)])
    with pytest.raises(HitlError, match="nothing to answer"):
        answers_by_id({})


# -- typed forms ------------------------------------------------------------------------

RICH_SCHEMA = {
    "type": "object",
    "required": ["count", "ratio", "mode", "flag", "meta"],
    "$defs": {"Mode": {"enum": ["fast", "slow"], "type": "string"}},
    "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 10, "description": "How many"},
        "ratio": {"type": "number"},
        "mode": {"$ref": "#/$defs/Mode"},
        "flag": {"type": "boolean", "default": False},
        "meta": {"type": "object"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "level": {"type": ["integer", "null"]},
        "mixed": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    },
}


def test_form_fields_from_a_rich_schema() -> None:
    fields = {f.name: f for f in form_fields(RICH_SCHEMA, {"count": 3, "mode": "slow"})}
    assert fields["count"].type == "integer" and fields["count"].value == "3"
    assert (fields["count"].minimum, fields["count"].maximum) == (1.0, 10.0)
    assert fields["count"].description == "How many" and fields["count"].label == "Count"
    assert fields["ratio"].type == "number" and fields["ratio"].required
    assert fields["mode"].type == "enum" and fields["mode"].choices == ["fast", "slow"]
    assert fields["mode"].value == "slow"
    assert fields["flag"].type == "boolean" and fields["flag"].value == "false"
    assert fields["meta"].type == "json" and fields["meta"].json_type == "object"
    assert fields["note"].type == "string" and fields["note"].nullable
    assert not fields["note"].required
    assert fields["level"].type == "integer" and fields["level"].nullable
    assert fields["mixed"].type == "json"


def test_coerce_args_keeps_types() -> None:
    fields = form_fields(RICH_SCHEMA)
    args = coerce_args(
        fields,
        {
            "count": " 4 ",
            "ratio": "0.5",
            "mode": "fast",
            "flag": "yes",
            "meta": '{"k": [1]}',
            "note": "",
            "level": "",
            "mixed": '"x"',
        },
    )
    assert args == {
        "count": 4,
        "ratio": 0.5,
        "mode": "fast",
        "flag": True,
        "meta": {"k": [1]},
        "mixed": "x",
    }
    assert isinstance(args["count"], int)
    assert (
        coerce_args(
            fields, {"count": "4.0", "ratio": "2", "mode": "slow", "flag": "0", "meta": "{}"}
        )["ratio"]
        == 2
    )


def test_coerce_args_reports_every_bad_field() -> None:
    fields = form_fields(RICH_SCHEMA)
    with pytest.raises(ArgsError) as caught:
        coerce_args(
            fields,
            {
                "count": "4.5",
                "ratio": "abc",
                "mode": "medium",
                "flag": "maybe",
                "meta": "[1]",
                "mixed": "[",
            },
        )
    errors = caught.value.errors
    assert errors == {
        "count": "Count must be a whole number",
        "ratio": "Ratio must be a number",
        "mode": "Mode must be one of fast, slow",
        "flag": "Flag must be true or false",
        "meta": "Meta must be a JSON object",
        "mixed": "Mixed is not valid JSON (Expecting value at column 2)",
    }
    assert "Count must be a whole number" in str(caught.value)


def test_coerce_args_bounds_and_required() -> None:
    fields = form_fields(RICH_SCHEMA)
    base = {"ratio": "1", "mode": "fast", "flag": "true", "meta": "{}"}
    with pytest.raises(ArgsError) as caught:
        coerce_args(fields, {**base, "count": "11"})
    assert caught.value.errors == {"count": "Count must be at most 10"}
    with pytest.raises(ArgsError) as caught:
        coerce_args(fields, {**base, "count": ""})
    assert caught.value.errors == {"count": "Count is required"}
    with pytest.raises(ArgsError, match="at least 1"):
        coerce_args(fields, {**base, "count": "0"})
    with pytest.raises(ArgsError, match="must be a number"):
        coerce_args(fields, {**base, "count": "1", "ratio": "NaN"})


def test_coerce_args_real_tool_schema_and_unknown_args() -> None:
    fields = form_fields(
        BOOK_TABLE_SCHEMA, {"restaurant": "Luigi's", "party_size": 4, "time": "7pm"}
    )
    assert [f.value for f in fields] == ["Luigi's", "4", "7pm"]
    args = coerce_args(fields, {"party_size": "6"}, base={"restaurant": "x", "extra": 1})
    assert args == {"restaurant": "Luigi's", "party_size": 6, "time": "7pm", "extra": 1}
    with pytest.raises(ArgsError, match="Restaurant is required"):
        coerce_args(fields, {"restaurant": ""})
    keeps_spaces = coerce_args(fields, {"restaurant": "  Chez  "})
    assert keeps_spaces["restaurant"] == "  Chez  "


def test_field_models_are_json() -> None:
    field = form_fields(RICH_SCHEMA)[0]
    assert FormField.model_validate(json.loads(json.dumps(field.model_dump()))) == field


# -- live: classify and answer real interrupts --------------------------------------------


class Live:
    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30)

    def run(self, thread: str, graph: str, **body: Any) -> dict[str, Any]:
        """Stream a run; return the last values."""
        payload = {
            "assistant_id": graph,
            "stream_mode": ["values"],
            "config": {"configurable": {"token_delay": 0}},
            **body,
        }
        last: dict[str, Any] = {}
        path = f"/threads/{thread}/runs/stream"
        with connect_sse(self.client, "POST", path, json=payload) as source:
            for event in source.iter_sse():
                if event.event == "error":
                    raise AssertionError(event.data)
                if event.event == "values" and event.data:
                    last = json.loads(event.data)
        return last

    def start(self, graph: str, **body: Any) -> tuple[str, list[PendingInterrupt]]:
        thread = self.client.post("/threads", json={}).json()["thread_id"]
        self.run(thread, graph, **body)
        return thread, self.pending(thread)

    def pending(self, thread: str) -> list[PendingInterrupt]:
        state = self.client.get(f"/threads/{thread}/state").json()
        found = [i for task in state["tasks"] for i in task["interrupts"]]
        if not found and state["next"]:
            return [classify({"when": "breakpoint"})]
        return classify_all(found)


@pytest.fixture(scope="module")
def live(api_url: str) -> Live:
    return Live(api_url)


def human(text: str) -> dict[str, Any]:
    return {"messages": [{"type": "human", "content": text}]}


def test_live_agent_batch_edit_from_a_typed_form(live: Live) -> None:
    thread, (pending,) = live.start("agent", input=human("book a table at Luigi's for 2 at 7pm"))
    assert pending.kind == "hitl"
    (action,) = pending.actions
    assert [f.type for f in action.fields] == ["string", "integer", "string"]
    args = coerce_args(action.fields, {"party_size": "5"}, base=action.args)
    answer = hitl_answer(pending, [edit(action.name, args)])
    values = live.run(thread, "agent", command={"resume": answer})
    assert "Booked a table for 5 at Luigi's at 7pm." in values["messages"][-1]["content"]


def test_live_per_call_answers_by_id(live: Live) -> None:
    thread, pending = live.start(
        "agent_per_call", input=human("email bob about lunch and weather in Paris")
    )
    assert [p.kind for p in pending] == ["tool_approval", "tool_approval"]
    by_name = {p.actions[0].name: p for p in pending}
    assert by_name["get_weather"].actions[0].allowed == ["approve", "reject", "respond"]
    answers = answers_by_id(
        [
            (by_name["send_email"], tool_approval_answer(by_name["send_email"], approve())),
            (by_name["get_weather"], tool_approval_answer(by_name["get_weather"], respond("hail"))),
        ]
    )
    values = live.run(thread, "agent_per_call", command={"resume": answers})
    final = values["messages"][-1]["content"]
    assert "Email sent to bob@example.com" in final and "- get_weather: hail" in final


def test_live_legacy_and_question_and_breakpoint(live: Live) -> None:
    thread, (pending,) = live.start("legacy_review", input={})
    assert pending.kind == "legacy"
    values = live.run(
        thread, "legacy_review", command={"resume": legacy_answer(pending, "response", "Later")}
    )
    assert values["messages"][-1]["content"] == "Not sent. You replied: Later"

    thread, (pending,) = live.start("question", input={})
    assert pending.kind == "value" and pending.is_text
    live.run(thread, "question", command={"resume": value_answer(pending, "Ada")})
    (choice,) = live.pending(thread)
    assert choice.kind == "value" and choice.description == "Which colour do you like, Ada?"
    values = live.run(
        thread, "question", command={"resume": value_answer(choice, '{"choice": "red"}')}
    )
    assert values["colour"] == "red"

    thread, (pending,) = live.start("pipeline", input=human("hi"), interrupt_before=["respond"])
    assert pending.kind == "breakpoint"
    values = live.run(thread, "pipeline", input=continue_input())
    assert values["messages"][-1]["content"] == 'Pipeline reply to "hi".'


def test_live_parallel_values_answered_together(live: Live) -> None:
    thread, pending = live.start("parallel_interrupts", input={})
    assert sorted(p.is_text for p in pending) == [False, True]
    answers = answers_by_id([(p, value_answer(p, "3" if p.is_text else "pear")) for p in pending])
    values = live.run(thread, "parallel_interrupts", command={"resume": answers})
    assert values["answers"] == {"alpha": "3", "beta": "pear"}


def test_live_state_interrupts_from_the_stream_module_classify(live: Live) -> None:
    """The interrupts app.stream.interrupts reads from thread state classify as expected."""
    from app.stream.interrupts import interrupts_from_state

    thread, _ = live.start("agent", input=human("email bob about lunch and weather in Rome"))
    state = live.client.get(f"/threads/{thread}/state").json()
    (pending,) = classify_all(interrupts_from_state(state))
    assert pending.kind == "hitl" and [a.name for a in pending.actions] == [
        "send_email",
        "get_weather",
    ]
    thread, _ = live.start("pipeline", input=human("x"), interrupt_after=["prepare"])
    state = live.client.get(f"/threads/{thread}/state").json()
    assert [p.kind for p in classify_all(interrupts_from_state(state))] == ["breakpoint"]
