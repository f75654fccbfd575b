"""When each streamed answer started, got its first token and its last one (pure: the
times are passed in).

A run may hold several model calls (an agent's steps). The call that writes an answer
starts when the run starts or when the previous root event arrived (a step ended: a
values / updates / tasks event, or a tool's result), so the time to first token of each
answer is measured from that moment. Tokens are counted as streamed chunks that add text,
reasoning or tool-call arguments; usage's `output_tokens` is preferred when present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.stream.messages import content_text
from app.stream.reasoning import reasoning_text
from app.stream.usage import Timing, timing


def adds_tokens(chunk: Mapping[str, Any]) -> bool:
    """True when a streamed chunk carries answer text, reasoning or tool-call arguments."""
    if content_text(chunk.get("content")) or reasoning_text(chunk):
        return True
    return any(isinstance(c, Mapping) and c.get("args")
               for c in chunk.get("tool_call_chunks") or ())


@dataclass
class Clocked:
    """The clock readings of one streamed answer."""

    started_at: float | None
    first_at: float
    last_at: float
    chunks: int = 0


class AnswerClock:
    """Per message id: when its model call started and its first and last chunk came."""

    def __init__(self) -> None:
        self._mark: float | None = None
        self._answers: dict[str, Clocked] = {}

    def step(self, at: float | None) -> None:
        """A run started or a step ended: the next model call starts now."""
        if at is not None:
            self._mark = at

    def token(self, message_id: str, chunk: Mapping[str, Any], at: float) -> None:
        """A chunk of `message_id` arrived at `at`."""
        if not adds_tokens(chunk):
            return
        clocked = self._answers.get(message_id)
        if clocked is None:
            clocked = self._answers[message_id] = Clocked(self._mark, at, at)
        clocked.last_at = at
        clocked.chunks += 1

    def get(self, message_id: str) -> Clocked | None:
        return self._answers.get(message_id)

    def ids(self) -> list[str]:
        return list(self._answers)

    def timing(self, message_id: str, output_tokens: int | None = None) -> Timing | None:
        """The answer's timing (None when it was not streamed here)."""
        clocked = self._answers.get(message_id)
        if clocked is None:
            return None
        tokens = output_tokens or clocked.chunks
        return timing(clocked.first_at, clocked.last_at, clocked.started_at, tokens)

    def discard(self, message_id: str) -> None:
        self._answers.pop(message_id, None)
