"""Token usage and timing of answers, as plain data.

A message's usage is read from, in order:
- `usage_metadata` (langchain-core: `input_tokens`, `output_tokens`, `total_tokens`,
  `output_token_details.reasoning`, `input_token_details.cache_read`);
- `additional_kwargs.usage_metadata`: where deepagents' state puts it. Its `DeltaChannel`
  messages reducer rebuilds stored messages from dicts, which moves unknown keys into
  `additional_kwargs`, so `GET /threads/{id}/state` and history show `usage_metadata:
  null` while the streamed `values` had it (measured with deepagents 0.7.32);
- `response_metadata.token_usage` (OpenAI chat completions: `prompt_tokens`,
  `completion_tokens`) or `response_metadata.usage` (Anthropic: `input_tokens`,
  `output_tokens`).
Streamed chunks of one message may each carry usage (`ChunkAccumulator` sums them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Usage:
    """Token counts of one answer (or a sum of answers)."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int = 0
    cache_read_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.total_tokens + other.total_tokens,
            self.reasoning_tokens + other.reasoning_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
        )

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(0, value)
    if isinstance(value, float):
        return max(0, int(value))
    return 0


def _detail(details: Any, key: str) -> int:
    return _int(details.get(key)) if isinstance(details, Mapping) else 0


def usage_from_metadata(data: Any) -> Usage | None:
    """`Usage` from a `usage_metadata`-shaped dict, or None when it holds no counts."""
    if not isinstance(data, Mapping):
        return None
    if not any(k in data for k in ("input_tokens", "output_tokens", "total_tokens")):
        return None
    given_in = _int(data.get("input_tokens"))
    given_out = _int(data.get("output_tokens"))
    total = _int(data.get("total_tokens")) or given_in + given_out
    return Usage(
        input_tokens=given_in,
        output_tokens=given_out,
        total_tokens=total,
        reasoning_tokens=_detail(data.get("output_token_details"), "reasoning"),
        cache_read_tokens=_detail(data.get("input_token_details"), "cache_read"),
    )


def _from_provider(response: Any) -> Usage | None:
    if not isinstance(response, Mapping):
        return None
    openai = response.get("token_usage")
    if isinstance(openai, Mapping) and (
        "prompt_tokens" in openai or "completion_tokens" in openai
    ):
        given_in = _int(openai.get("prompt_tokens"))
        given_out = _int(openai.get("completion_tokens"))
        return Usage(
            input_tokens=given_in,
            output_tokens=given_out,
            total_tokens=_int(openai.get("total_tokens")) or given_in + given_out,
            reasoning_tokens=_detail(openai.get("completion_tokens_details"), "reasoning_tokens"),
            cache_read_tokens=_detail(openai.get("prompt_tokens_details"), "cached_tokens"),
        )
    anthropic = response.get("usage")
    if isinstance(anthropic, Mapping):
        found = usage_from_metadata(anthropic)
        if found is not None:
            cache = _int(anthropic.get("cache_read_input_tokens"))
            return Usage(
                found.input_tokens,
                found.output_tokens,
                found.total_tokens,
                found.reasoning_tokens,
                found.cache_read_tokens or cache,
            )
    return None


def usage_of(message: Mapping[str, Any] | None) -> Usage | None:
    """The usage a message reports, or None when it reports none."""
    if not message:
        return None
    found = usage_from_metadata(message.get("usage_metadata"))
    if found is not None:
        return found
    extra = message.get("additional_kwargs")
    if isinstance(extra, Mapping):
        found = usage_from_metadata(extra.get("usage_metadata"))
        if found is not None:
            return found
    return _from_provider(message.get("response_metadata"))


def thread_usage(messages: Iterable[Mapping[str, Any]]) -> Usage:
    """The sum over a thread's messages, each message id counted once."""
    total = Usage()
    seen: set[str] = set()
    for message in messages:
        message_id = message.get("id")
        if message_id:
            if message_id in seen:
                continue
            seen.add(str(message_id))
        found = usage_of(message)
        if found is not None:
            total = total + found
    return total


@dataclass(frozen=True)
class Timing:
    """How fast an answer came: seconds to the first token, streaming time, tokens/s."""

    time_to_first_token: float | None
    duration: float | None
    tokens_per_second: float | None

    def to_dict(self) -> dict[str, float | None]:
        return asdict(self)


def timing(
    first_token_at: float | None,
    last_token_at: float | None,
    started_at: float | None,
    output_tokens: int | None,
) -> Timing:
    """Timing of one answer from clock readings taken by the caller (seconds).

    `started_at`: when the request was sent; `first_token_at` / `last_token_at`: when the
    first and last streamed chunk of the answer arrived; `output_tokens`: from usage (or a
    count of the streamed tokens). Unknown or inconsistent inputs give None fields.
    """
    ttft = None
    if started_at is not None and first_token_at is not None and first_token_at >= started_at:
        ttft = first_token_at - started_at
    duration = None
    if first_token_at is not None and last_token_at is not None and last_token_at >= first_token_at:
        duration = last_token_at - first_token_at
    rate = None
    if duration and output_tokens and output_tokens > 0:
        rate = output_tokens / duration
    return Timing(time_to_first_token=ttft, duration=duration, tokens_per_second=rate)
