"""Interrupt cards, drafts and resume values, without a browser or server.

Payloads are the ones the demo and test graphs really send (see
/work/shared/reference/interrupt-schemas.md); answers are checked against the formats
those graphs accept.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.states.hitl_view import (
    ArgsError,
    HitlError,
    build_resume,
    cards,
    composer_target,
    decision_from_form,
    decision_records,
    notes_by_message,
    ready,
)

BOOK_SCHEMA = {
    "type": "object",
    "properties": {
        "restaurant": {"type": "string"},
        "party_size": {"type": "integer"},
        "time": {"type": "string"},
    },
    "required": ["restaurant", "party_size", "time"],
}
HITL = {
    "id": "int-1",
    "value": {
        "action_requests": [
            {"name": "book_table", "args": {"restaurant": "Luigi's", "party_size": 4,
                                            "time": "7pm"},
             "description": "Book a table for **4**"},
            {"name": "get_weather", "args": {"city": "Paris"}},
        ],
        "review_configs": [
            {"action_name": "book_table", "allowed_decisions": ["approve", "edit", "reject"],
             "args_schema": BOOK_SCHEMA},
            {"action_name": "get_weather", "allowed_decisions": ["approve", "reject", "respond"]},
        ],
    },
}
LEGACY = {
    "id": "int-legacy",
    "value": [{
        "action_request": {"action": "send_email", "args": {"to": "bob@example.com"}},
        "config": {"allow_ignore": True, "allow_respond": True, "allow_edit": False,
                   "allow_accept": True},
        "description": "Send this **email** to Bob?",
    }],
}
QUESTION = {"id": "int-q", "value": "What is your name?"}
CHOICE = {"id": "int-c", "value": {"question": "beta: pick a fruit", "choices": ["apple", "pear"]}}
BREAKPOINT = {"when": "breakpoint"}


def test_hitl_card_lists_each_action_with_only_its_allowed_decisions():
    [card] = cards([HITL])
    assert card["kind"] == "hitl" and card["id"] == "int-1"
    assert card["title"] == "Review 2 tool calls before the agent acts"
    book, weather = card["actions"]
    assert (book["key"], book["name"]) == ("0:0", "book_table")
    assert book["allowed"] == ["approve", "edit", "reject"]
    assert (book["can_respond"], weather["can_edit"], weather["can_respond"]) == (
        False, False, True)
    assert '"party_size": 4' in book["args_text"]
    assert book["description"] == "Book a table for **4**"
    size = next(f for f in book["fields"] if f["name"] == "party_size")
    assert (size["type"], size["input_type"], size["value"]) == ("integer", "number", "4")
    assert card["all_approve"] is True
    assert card["approve_label"] == "Approve"


def test_edit_keeps_numbers_numbers_and_reports_bad_fields():
    view = cards([HITL])
    decision = decision_from_form(
        view, "0:0", "edit", {"restaurant": "Mario's", "party_size": "6", "time": "8pm"}
    )
    assert decision == {"type": "edit", "edited_action": {
        "name": "book_table", "args": {"restaurant": "Mario's", "party_size": 6, "time": "8pm"}}}
    assert isinstance(decision["edited_action"]["args"]["party_size"], int)
    with pytest.raises(ArgsError) as caught:
        decision_from_form(view, "0:0", "edit",
                           {"restaurant": "", "party_size": "six", "time": "8pm"})
    assert set(caught.value.errors) == {"restaurant", "party_size"}


def test_disallowed_and_incomplete_decisions_are_refused():
    view = cards([HITL])
    with pytest.raises(HitlError, match="not allowed"):
        decision_from_form(view, "0:1", "edit", {"city": "Rome"})
    with pytest.raises(HitlError, match="message"):
        decision_from_form(view, "0:1", "respond", {"message": "  "})
    with pytest.raises(HitlError, match="unknown action"):
        decision_from_form(view, "3:0", "approve")


def test_submit_needs_every_action_and_sends_decisions_in_request_order():
    view = cards([HITL])
    drafts = {"0:1": decision_from_form(view, "0:1", "respond", {"message": "It is sunny"})}
    assert not ready(view, drafts)
    with pytest.raises(HitlError, match="undecided"):
        build_resume([HITL], drafts)
    drafts["0:0"] = decision_from_form(view, "0:0", "reject", {"message": "too late"})
    assert ready(view, drafts)
    value, interrupt_id, is_continue = build_resume([HITL], drafts)
    assert (interrupt_id, is_continue) == ("int-1", False)
    assert value == {"decisions": [
        {"type": "reject", "message": "too late"},
        {"type": "respond", "message": "It is sunny"},
    ]}


def test_legacy_card_uses_accept_and_ignore_and_answers_in_list_format():
    [card] = cards([LEGACY])
    assert card["kind"] == "legacy"
    assert (card["approve_label"], card["reject_label"]) == ("Accept", "Ignore")
    [action] = card["actions"]
    assert action["can_edit"] is False and action["can_respond"] is True
    view = [card]
    accept = {"0:0": decision_from_form(view, "0:0", "approve")}
    assert build_resume([LEGACY], accept)[0] == [
        {"type": "accept", "args": {"action": "send_email", "args": {"to": "bob@example.com"}}}]
    ignore = {"0:0": decision_from_form(view, "0:0", "reject")}
    assert build_resume([LEGACY], ignore)[0] == [{"type": "ignore", "args": None}]
    reply = {"0:0": decision_from_form(view, "0:0", "respond", {"message": "not now"})}
    assert build_resume([LEGACY], reply)[0] == [{"type": "response", "args": "not now"}]


def test_free_form_questions_answer_with_text_or_json():
    view = cards([QUESTION])
    assert view[0]["kind"] == "value" and view[0]["question"] == "What is your name?"
    assert view[0]["payload"] == "" and view[0]["is_text"] is True
    assert build_resume([QUESTION], {"0": {"type": "answer", "text": "Ada"}}) == (
        "Ada", "int-q", False)
    [choice] = cards([CHOICE])
    assert choice["question"] == "beta: pick a fruit" and '"apple"' in choice["payload"]
    value, _, _ = build_resume([CHOICE], {"0": {"type": "answer", "text": '{"choice": "pear"}'}})
    assert value == {"choice": "pear"}
    assert build_resume([CHOICE], {"0": {"type": "answer", "text": "pear"}})[0] == "pear"


def test_several_interrupts_resume_together_keyed_by_id():
    view = cards([QUESTION, CHOICE])
    drafts = {"0": {"type": "answer", "text": "7"}}
    assert not ready(view, drafts)
    assert composer_target(view, drafts) == "1"
    drafts["1"] = {"type": "answer", "text": "pear"}
    assert ready(view, drafts)
    value, interrupt_id, _ = build_resume([QUESTION, CHOICE], drafts)
    assert interrupt_id is None
    assert value == {"int-q": "7", "int-c": "pear"}


def test_composer_answers_only_an_unambiguous_question():
    assert composer_target(cards([QUESTION]), {}) == "0"
    copied = [dict(card) for card in cards([QUESTION])]  # Reflex hands out proxies/copies
    assert composer_target(copied, {}) == "0"
    assert composer_target(cards([QUESTION, CHOICE]), {}) is None
    assert composer_target(cards([HITL]), {}) is None
    assert composer_target(cards([BREAKPOINT]), {}) is None


def test_breakpoint_continues_without_input():
    [card] = cards([BREAKPOINT])
    assert card["kind"] == "breakpoint" and card["actions"] == []
    assert ready([card], {})
    assert build_resume([BREAKPOINT], {}) == (None, None, True)


def test_unreadable_payload_still_gets_a_card():
    broken = {"id": "x", "value": {"action_requests": [{"args": {}}]}}
    [card] = cards([broken])
    assert card["kind"] == "value" and "no tool name" in card["problem"]
    assert '"action_requests"' in card["payload"]


def test_records_say_who_decided_what_and_when_under_which_message():
    view = cards([HITL])
    drafts = {
        "0:0": decision_from_form(view, "0:0", "edit",
                                  {"restaurant": "Luigi's", "party_size": "6", "time": "7pm"}),
        "0:1": decision_from_form(view, "0:1", "approve"),
    }
    moment = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    records = decision_records(view, drafts, by="reviewer-ab12", anchor="ai-1", now=moment)
    assert records == [{
        "at": "2026-05-01T12:30:00+00:00", "by": "reviewer-ab12", "message_id": "ai-1",
        "interrupt_id": "int-1", "kind": "hitl",
        "lines": ['book_table: Edited: restaurant="Luigi\'s", party_size=6, time="7pm"',
                  "get_weather: Approved"],
    }]
    notes = notes_by_message([*records, {"junk": 1}, "not a record"])
    assert notes == {"ai-1": [
        'book_table: Edited: restaurant="Luigi\'s", party_size=6, time="7pm" — reviewer-ab12, '
        "2026-05-01 12:30 UTC",
        "get_weather: Approved — reviewer-ab12, 2026-05-01 12:30 UTC",
    ]}
