"""The fake model and the agent's decisions, offline (no server)."""

from __future__ import annotations

import re
import time

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agents.agent import agent_responder, planned_tool_calls
from agents.chat import long_text
from agents.fake_model import FakeChatModel, split_tokens


def test_split_tokens_keeps_whitespace() -> None:
    assert split_tokens("a  b\nc") == ["a  ", "b\n", "c"]
    assert "".join(split_tokens(" lead and trail ")) == " lead and trail "


async def test_streams_the_responder_reply_token_by_token() -> None:
    model = FakeChatModel(token_delay=0)
    chunks = [c async for c in model.astream([HumanMessage("hi you")])]
    text = "".join(str(c.content) for c in chunks)
    assert text == 'This is a demo reply (no real model). You said: "hi you".'
    assert len([c for c in chunks if c.content]) == len(split_tokens(text))


async def test_stamp_tokens_marks_each_token_with_its_index_and_emission_time() -> None:
    model = FakeChatModel(token_delay=0)
    before = time.time_ns() // 1000
    chunks = [c async for c in model.astream([HumanMessage("x")], reply="one two\nthree",
                                             stamp_tokens=True)]
    after = time.time_ns() // 1000
    texts = [str(c.content) for c in chunks if c.content]
    marks = [re.fullmatch(r"(\w+)#(\d+)@(\d+)(\s*)", t) for t in texts]
    assert all(marks), texts
    assert [(m[1], int(m[2]), m[4]) for m in marks] == [("one", 0, " "), ("two", 1, "\n"),
                                                       ("three", 2, "")]
    assert all(before <= int(m[3]) <= after for m in marks)


async def test_fails_after_n_tokens() -> None:
    model = FakeChatModel(token_delay=0, fail_after_tokens=2, failure_message="nope")
    seen = []
    with pytest.raises(ValueError, match="nope"):
        async for chunk in model.astream([HumanMessage("x")], reply="one two three"):
            seen.append(chunk.content)
    assert [s for s in seen if s] == ["one ", "two "]


async def test_tool_call_args_stream_in_pieces_and_merge_back() -> None:
    calls = planned_tool_calls("book a table at Luigi's for 4 at 7pm")
    model = FakeChatModel(
        token_delay=0, args_chunk_size=5, responder=lambda _: AIMessage("", tool_calls=calls)
    )
    chunks = [c async for c in model.astream([HumanMessage("x")])]
    assert sum(len(c.tool_call_chunks) for c in chunks) > 5
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged += chunk
    assert merged.tool_calls[0]["args"] == {"restaurant": "Luigi's", "party_size": 4, "time": "7pm"}
    assert (await model.ainvoke([HumanMessage("x")])).tool_calls[0]["name"] == "book_table"


def test_planned_tool_calls_follow_the_text_order() -> None:
    calls = planned_tool_calls("weather in Rome and email ann@x.org about the trip")
    assert [c["name"] for c in calls] == ["get_weather", "send_email"]
    assert calls[0]["args"] == {"city": "Rome"}
    assert calls[1]["args"]["to"] == "ann@x.org" and calls[1]["args"]["subject"] == "the trip"
    assert len({c["id"] for c in calls}) == 2
    assert planned_tool_calls("good morning") == []


def test_agent_summary_orders_results_like_the_calls() -> None:
    ask = AIMessage(
        "", tool_calls=[{"name": "a", "args": {}, "id": "1"}, {"name": "b", "args": {}, "id": "2"}]
    )
    reply = agent_responder(
        [
            HumanMessage("x"),
            ask,
            ToolMessage("B ok", tool_call_id="2", name="b"),
            ToolMessage("no", tool_call_id="1", name="a", status="error"),
        ]
    )
    assert reply.content == "Done (demo agent). Results:\n- a was not run: no\n- b: B ok"


def test_long_text_has_exactly_n_tokens() -> None:
    assert len(split_tokens(long_text(123))) == 123
