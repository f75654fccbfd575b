"""Reasoning apart from the answer, in every provider shape (synthetic wire dicts).

The chunk shapes are the ones the real server streams for the `deep` agent's scripted
model in each `reasoning_format` (see tests/agents/test_deep_agent.py).
"""

from __future__ import annotations

import pytest

from app.stream.chunks import ChunkAccumulator
from app.stream.reasoning import (
    ReasoningLog,
    answer_blocks,
    answer_started,
    answer_text,
    is_thinking,
    reasoning_text,
    without_reasoning,
)


def chunk(content="", *, id="m1", **extra):
    """A streamed chunk as the server sends it (every chunk has `additional_kwargs`)."""
    return {"type": "AIMessageChunk", "id": id, "content": content, "additional_kwargs": {},
            **extra}


def standard(delta):
    return chunk([{"type": "reasoning", "reasoning": delta, "index": 0}])


def anthropic(delta):
    return chunk([{"type": "thinking", "thinking": delta, "index": 0}])


def openai(delta):
    summary = [{"type": "summary_text", "text": delta, "index": 0}]
    return chunk([{"type": "reasoning", "summary": summary, "index": 0, "id": "rs_1"}])


def kwargs(delta):
    return chunk("", additional_kwargs={"reasoning_content": delta})


def text_block(delta):
    return chunk([{"type": "text", "text": delta, "index": 1}])


WHOLE = [
    ("string content", {"content": "Hello"}, "", "Hello"),
    (
        "standard block",
        {"content": [{"type": "reasoning", "reasoning": "Think."},
                     {"type": "text", "text": "Answer."}]},
        "Think.",
        "Answer.",
    ),
    (
        "anthropic thinking with signature",
        {"content": [{"type": "thinking", "thinking": "Hmm.", "signature": "sig", "index": 0},
                     {"type": "text", "text": "Yes.", "index": 1}]},
        "Hmm.",
        "Yes.",
    ),
    (
        "anthropic redacted thinking has no text",
        {"content": [{"type": "redacted_thinking", "data": "xx"}, {"type": "text", "text": "Ok"}]},
        "",
        "Ok",
    ),
    (
        "openai summary with two parts",
        {"content": [{"type": "reasoning", "id": "rs", "summary": [
            {"type": "summary_text", "text": "First.", "index": 0},
            {"type": "summary_text", "text": "Second.", "index": 1}]},
            {"type": "text", "text": "Done."}]},
        "First.\n\nSecond.",
        "Done.",
    ),
    (
        "reasoning_content kwarg",
        {"content": "Answer", "additional_kwargs": {"reasoning_content": "Because."}},
        "Because.",
        "Answer",
    ),
    (
        "langchain-openai v0 reasoning kwarg",
        {"content": "A", "additional_kwargs": {"reasoning": {
            "type": "reasoning", "summary": [{"type": "summary_text", "text": "Why."}]}}},
        "Why.",
        "A",
    ),
    (
        "pieces of one index joined, blocks of two indexes apart",
        {"content": [
            {"type": "thinking", "thinking": "a", "index": 0},
            {"type": "thinking", "thinking": "b", "index": 0},
            {"type": "text", "text": "x", "index": 1},
            {"type": "thinking", "thinking": "c", "index": 2},
        ]},
        "ab\n\nc",
        "x",
    ),
    ("no message", None, "", ""),
]


@pytest.mark.parametrize(("case", "message", "reasoning", "answer"), WHOLE,
                         ids=[c[0] for c in WHOLE])
def test_reasoning_and_answer_of_whole_messages(case, message, reasoning, answer):
    assert reasoning_text(message) == reasoning
    assert answer_text(message) == answer


STREAMS = [
    ("standard", standard),
    ("anthropic", anthropic),
    ("openai", openai),
]


@pytest.mark.parametrize(("fmt", "make"), STREAMS, ids=[s[0] for s in STREAMS])
def test_block_formats_merge_by_index_through_the_accumulator(fmt, make):
    acc = ChunkAccumulator()
    for delta in ["Let ", "me ", "think."]:
        acc.add(make(delta))
    assert is_thinking(acc.get("m1"))
    assert not answer_started(acc.get("m1"))
    for delta in ["The ", "answer."]:
        acc.add(text_block(delta))
    message = acc.get("m1")
    assert reasoning_text(message) == "Let me think."
    assert answer_text(message) == "The answer."
    assert answer_started(message)
    assert not is_thinking(message)


def test_openai_summary_pieces_concatenated_by_a_naive_merge_still_join_by_index():
    # ChunkAccumulator's merge_block appends the `summary` lists of one block.
    acc = ChunkAccumulator()
    for delta in ["Plan ", "ahead."]:
        acc.add(openai(delta))
    message = acc.get("m1")
    assert len(message["content"][0]["summary"]) == 2
    assert reasoning_text(message) == "Plan ahead."


def test_reasoning_content_deltas_are_kept_by_the_accumulator_and_by_the_log():
    acc, log = ChunkAccumulator(), ReasoningLog()
    stream = [kwargs("Step "), kwargs("one."), chunk("Hi"), chunk(" there")]
    for at, piece in enumerate(stream):
        acc.add(piece)
        log.add(piece, at=float(at))
    merged = acc.get("m1")
    assert reasoning_text(merged) == "Step one."  # deltas concatenated, later kwargs kept
    lost = {**merged, "additional_kwargs": {"reasoning_content": "one."}}
    assert reasoning_text(log.with_reasoning(lost)) == "Step one."
    restored = log.with_reasoning(merged)
    assert reasoning_text(restored) == "Step one."
    assert answer_text(restored) == "Hi there"
    span = log.span("m1")
    assert (span.started_at, span.ended_at, span.seconds()) == (0.0, 2.0, 2.0)


def test_thinking_span_ends_at_a_tool_call_or_when_finished():
    log = ReasoningLog()
    log.add(standard("Hmm"), at=1.0)
    tool = chunk("", tool_call_chunks=[{"name": "x", "args": "{}", "id": "c", "index": 0}])
    log.add(tool, at=1.5)
    assert log.span("m1").seconds() == 0.5
    log.add(standard("Only thinking"), at=3.0)
    log.add(anthropic("x") | {"id": "m2"}, at=4.0)
    log.finish("m2", at=6.0)
    assert log.span("m2").seconds() == 2.0
    log.add(chunk("no reasoning", id="m3"), at=1.0)
    assert log.span("m3") is None


def test_without_reasoning_keeps_only_the_answer():
    message = {
        "id": "m",
        "content": [{"type": "thinking", "thinking": "x", "index": 0},
                    {"type": "text", "text": "y", "index": 1}],
        "additional_kwargs": {"reasoning_content": "z", "other": 1},
    }
    shown = without_reasoning(message)
    assert shown["content"] == [{"type": "text", "text": "y", "index": 1}]
    assert shown["additional_kwargs"] == {"other": 1}
    assert message["additional_kwargs"]["reasoning_content"] == "z"  # input untouched
    assert answer_blocks("plain") == "plain"


@pytest.mark.parametrize(
    ("text", "started"), [("", False), ("  \n", False), ("A", True)]
)
def test_answer_started_needs_visible_text(text, started):
    assert answer_started({"content": [{"type": "reasoning", "reasoning": "r"},
                                       {"type": "text", "text": text}]}) is started
