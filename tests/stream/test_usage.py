"""Token usage of messages and timing of answers (pure)."""

from __future__ import annotations

import pytest

from app.stream.chunks import ChunkAccumulator
from app.stream.usage import Timing, Usage, thread_usage, timing, usage_of

USAGE = {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}

CASES = [
    ("no usage", {"content": "x"}, None),
    ("usage_metadata None", {"usage_metadata": None}, None),
    ("usage_metadata", {"usage_metadata": USAGE}, Usage(10, 5, 15)),
    (
        "reasoning and cache details",
        {"usage_metadata": {**USAGE, "output_token_details": {"reasoning": 3},
                            "input_token_details": {"cache_read": 4}}},
        Usage(10, 5, 15, reasoning_tokens=3, cache_read_tokens=4),
    ),
    ("total missing is the sum", {"usage_metadata": {"input_tokens": 2, "output_tokens": 3}},
     Usage(2, 3, 5)),
    (
        "deepagents state: usage moved into additional_kwargs",
        {"usage_metadata": None, "additional_kwargs": {"usage_metadata": USAGE}},
        Usage(10, 5, 15),
    ),
    (
        "openai chat completions token_usage",
        {"response_metadata": {"token_usage": {
            "prompt_tokens": 7, "completion_tokens": 2, "total_tokens": 9,
            "completion_tokens_details": {"reasoning_tokens": 1},
            "prompt_tokens_details": {"cached_tokens": 6}}}},
        Usage(7, 2, 9, reasoning_tokens=1, cache_read_tokens=6),
    ),
    (
        "anthropic response usage",
        {"response_metadata": {"usage": {"input_tokens": 8, "output_tokens": 1,
                                         "cache_read_input_tokens": 5}}},
        Usage(8, 1, 9, cache_read_tokens=5),
    ),
    ("garbage values count as zero",
     {"usage_metadata": {"input_tokens": "x", "output_tokens": -3, "total_tokens": True}},
     Usage(0, 0, 0)),
    ("empty message", None, None),
]


@pytest.mark.parametrize(("case", "message", "expected"), CASES, ids=[c[0] for c in CASES])
def test_usage_of(case, message, expected):
    assert usage_of(message) == expected


def test_usage_on_the_last_chunk_survives_the_accumulator():
    acc = ChunkAccumulator()
    for token in ["Hel", "lo"]:
        acc.add({"type": "AIMessageChunk", "id": "m", "content": token})
    acc.add({"type": "AIMessageChunk", "id": "m", "content": "", "usage_metadata": USAGE})
    acc.add({"type": "AIMessageChunk", "id": "m", "content": "", "chunk_position": "last"})
    assert usage_of(acc.get("m")).to_dict() == {
        "input_tokens": 10, "output_tokens": 5, "total_tokens": 15,
        "reasoning_tokens": 0, "cache_read_tokens": 0,
    }


def test_thread_totals_count_each_message_once():
    messages = [
        {"id": "h", "type": "human", "content": "hi"},
        {"id": "a", "type": "ai", "usage_metadata": USAGE},
        {"id": "a", "type": "ai", "usage_metadata": USAGE},  # same message listed twice
        {"id": "b", "type": "ai", "additional_kwargs": {"usage_metadata": {
            "input_tokens": 1, "output_tokens": 1, "output_token_details": {"reasoning": 1}}}},
        {"type": "ai", "usage_metadata": USAGE},  # no id: counted
    ]
    assert thread_usage(messages) == Usage(21, 11, 32, reasoning_tokens=1)
    assert thread_usage([]) == Usage()


TIMINGS = [
    ("normal", (10.5, 12.5, 10.0, 40), Timing(0.5, 2.0, 20.0)),
    ("unknown start", (10.5, 12.5, None, 40), Timing(None, 2.0, 20.0)),
    ("one token: no rate", (10.5, 10.5, 10.0, 1), Timing(0.5, 0.0, None)),
    ("no usage", (10.5, 12.5, 10.0, None), Timing(0.5, 2.0, None)),
    ("no tokens yet", (None, None, 10.0, 0), Timing(None, None, None)),
    ("clock went backwards", (9.0, 8.0, 10.0, 5), Timing(None, None, None)),
]


@pytest.mark.parametrize(("case", "args", "expected"), TIMINGS, ids=[t[0] for t in TIMINGS])
def test_timing(case, args, expected):
    assert timing(*args) == expected


def test_timing_is_plain_data():
    assert timing(1.0, 2.0, 0.5, 10).to_dict() == {
        "time_to_first_token": 0.5, "duration": 1.0, "tokens_per_second": 10.0,
    }
