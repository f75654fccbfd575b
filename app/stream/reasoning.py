"""A message's reasoning ("Thinking") apart from its answer, whatever the provider's shape.

Messages are wire dicts. Reasoning arrives as:
- standard blocks (langchain-core): `{"type": "reasoning", "reasoning": str, "index"?}`;
- Anthropic blocks: `{"type": "thinking", "thinking": str, "signature"?, "index"?}`
  (`redacted_thinking` blocks hold no readable text);
- OpenAI Responses blocks: `{"type": "reasoning", "summary": [{"type": "summary_text",
  "text": str, "index"?}], "id"?, "index"?}`;
- DeepSeek / OpenRouter style: `additional_kwargs["reasoning_content"]` (a string), and
  langchain-openai's older `additional_kwargs["reasoning"] = {"summary": [...]}`.
Pieces sharing an `index` belong to one block, even when a naive merge left them as
separate list items: they are joined by index, not by position.

`ChunkAccumulator` concatenates `reasoning_content` deltas (other `additional_kwargs`
keep their latest value); `ReasoningLog` collects them too, for messages merged some
other way, and when thinking started and stopped, from the raw chunks; `with_reasoning`
puts the text back on a message that lost it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Message = Mapping[str, Any]
REASONING_TYPES = frozenset({"reasoning", "thinking", "redacted_thinking"})


def _merged_by_index(items: Iterable[Any], text_of: Any) -> list[str]:
    """Texts of `items` with pieces of one index joined, in order of first appearance."""
    parts: list[list[str]] = []
    slot: dict[Any, int] = {}
    for item in items:
        text = text_of(item)
        if text is None:
            continue
        index = item.get("index") if isinstance(item, Mapping) else None
        if index is not None and index in slot:
            parts[slot[index]].append(text)
            continue
        if index is not None:
            slot[index] = len(parts)
        parts.append([text])
    return ["".join(part) for part in parts]


def _summary_text(summary: Any) -> str:
    """An OpenAI reasoning summary (list of `summary_text` items) as one text."""
    if not isinstance(summary, list):
        return ""

    def text(item: Any) -> str | None:
        if isinstance(item, Mapping) and isinstance(item.get("text"), str):
            return item["text"]
        return None

    return "\n\n".join(t for t in _merged_by_index(summary, text) if t)


def block_reasoning(block: Any) -> str | None:
    """The reasoning text of one content block, or None when it is not reasoning."""
    if not isinstance(block, Mapping):
        return None
    kind = block.get("type")
    if kind == "thinking":
        return str(block.get("thinking") or "")
    if kind == "redacted_thinking":
        return ""
    if kind == "reasoning":
        if isinstance(block.get("reasoning"), str):
            return block["reasoning"]
        if "summary" in block:
            return _summary_text(block.get("summary"))
        return ""
    return None


def is_reasoning_block(block: Any) -> bool:
    return isinstance(block, Mapping) and block.get("type") in REASONING_TYPES


def _content_reasoning(content: Any) -> list[str]:
    if not isinstance(content, list):
        return []
    groups: dict[Any, list[Any]] = {}
    order: list[Any] = []
    for position, block in enumerate(content):
        if not is_reasoning_block(block):
            continue
        index = block.get("index")
        key = ("index", index) if index is not None else ("position", position)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(block)
    texts = []
    for key in order:
        blocks = groups[key]
        if any("summary" in b for b in blocks):
            # OpenAI summaries of one block: join the summary lists, then merge by index.
            summary = [item for b in blocks for item in (b.get("summary") or [])]
            texts.append(_summary_text(summary))
        else:
            texts.append("".join(block_reasoning(b) or "" for b in blocks))
    return texts


def reasoning_text(message: Message | None) -> str:
    """All the reasoning of `message` as one text (blocks joined by a blank line)."""
    if not message:
        return ""
    texts = _content_reasoning(message.get("content"))
    extra = message.get("additional_kwargs") or {}
    if isinstance(extra, Mapping):
        if isinstance(extra.get("reasoning_content"), str):
            texts.append(extra["reasoning_content"])
        legacy = extra.get("reasoning")
        if isinstance(legacy, Mapping) and "summary" in legacy:
            texts.append(_summary_text(legacy.get("summary")))
    return "\n\n".join(text for text in texts if text)


def answer_blocks(content: Any) -> Any:
    """`content` without its reasoning blocks (a string is returned as is)."""
    if not isinstance(content, list):
        return content
    return [block for block in content if not is_reasoning_block(block)]


def answer_text(message: Message | None) -> str:
    """The answer's text: text blocks (or string content), never reasoning."""
    if not message:
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts = []
    for block in content or ():
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, Mapping) and block.get("type") == "text":
            parts.append(str(block.get("text") or ""))
    return "".join(parts)


def answer_started(message: Message | None) -> bool:
    """True once the message has answer text (not only whitespace)."""
    return bool(answer_text(message).strip())


def has_tool_calls(message: Message | None) -> bool:
    if not message:
        return False
    return bool(message.get("tool_calls") or message.get("tool_call_chunks"))


def is_thinking(message: Message | None) -> bool:
    """True while the model reasons: reasoning present, no answer text or tool call yet."""
    return bool(reasoning_text(message)) and not answer_started(message) and not has_tool_calls(
        message
    )


def without_reasoning(message: Message) -> dict[str, Any]:
    """A copy of `message` as the answer is shown: reasoning blocks and kwargs removed."""
    shown = dict(message)
    shown["content"] = answer_blocks(message.get("content"))
    extra = message.get("additional_kwargs")
    if isinstance(extra, Mapping) and ("reasoning_content" in extra or "reasoning" in extra):
        shown["additional_kwargs"] = {
            k: v for k, v in extra.items() if k not in ("reasoning_content", "reasoning")
        }
    return shown


def chunk_reasoning_delta(chunk: Message) -> str:
    """The reasoning text one streamed chunk adds (any format)."""
    return reasoning_text(chunk)


@dataclass
class ThinkingSpan:
    """What `ReasoningLog` knows of one message: its `reasoning_content` text and when
    reasoning started and the answer (text or tool call) began."""

    reasoning_content: str = ""
    started_at: float | None = None
    ended_at: float | None = None

    def seconds(self) -> float | None:
        """How long the model thought, once it stopped."""
        if self.started_at is None or self.ended_at is None:
            return None
        return max(0.0, self.ended_at - self.started_at)


class ReasoningLog:
    """Per message id: `reasoning_content` deltas and the thinking span, fed raw chunks.

    Times are passed in (`at`), never read from a clock here.
    """

    def __init__(self) -> None:
        self._spans: dict[str, ThinkingSpan] = {}

    def add(self, chunk: Message, at: float | None = None) -> None:
        message_id = chunk.get("id")
        if not message_id:
            return
        span = self._spans.get(message_id)
        extra = chunk.get("additional_kwargs") or {}
        delta = extra.get("reasoning_content") if isinstance(extra, Mapping) else None
        thinking = bool(chunk_reasoning_delta(chunk))
        if span is None:
            if not thinking:
                return
            span = self._spans[message_id] = ThinkingSpan()
        if isinstance(delta, str):
            span.reasoning_content += delta
        if thinking and span.started_at is None:
            span.started_at = at
        if span.ended_at is None and (answer_started(chunk) or has_tool_calls(chunk)):
            span.ended_at = at

    def finish(self, message_id: str, at: float | None) -> None:
        """The message is complete: a thinking span still open ends now."""
        span = self._spans.get(message_id)
        if span is not None and span.ended_at is None:
            span.ended_at = at

    def span(self, message_id: str) -> ThinkingSpan | None:
        return self._spans.get(message_id)

    def with_reasoning(self, message: Message) -> dict[str, Any]:
        """`message` with the collected `reasoning_content` put back (when it lost it)."""
        span = self._spans.get(str(message.get("id")))
        restored = dict(message)
        if span is None or not span.reasoning_content:
            return restored
        extra = dict(message.get("additional_kwargs") or {})
        if len(extra.get("reasoning_content") or "") < len(span.reasoning_content):
            extra["reasoning_content"] = span.reasoning_content
        restored["additional_kwargs"] = extra
        return restored

    def ids(self) -> set[str]:
        return set(self._spans)

    def discard(self, message_id: str) -> None:
        self._spans.pop(message_id, None)
