"""Streamed message chunks merged by message id (useStream's message accumulation).

`ChunkAccumulator` merges `messages-tuple` chunks in O(1) per chunk and builds the
message dict lazily: content strings concatenate, content blocks and tool-call chunks
merge by `index`, usage sums, and tool-call JSON is parsed only when the message is read.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import from_json

from app.stream.messages import Message, is_chunk, normalize_type

_KEEP_KEYS = frozenset({"type", "id", "index", "name", "tool_call_id", "call_id"})


def parse_partial_json(text: str, default: Any = None) -> Any:
    """The value of a JSON text streamed so far (tool-call arguments), by pydantic-core's
    partial parser: open strings, arrays and objects are closed, a dangling key or
    literal is dropped. `default` when nothing parses. Called lazily, when a message is
    read, never once per chunk."""
    try:
        return from_json(text, allow_partial="trailing-strings")
    except ValueError:
        return default


def merge_block(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge a content block (or nested dict) in place: strings concatenate, except ids,
    types and names which keep their first value."""
    for key, value in extra.items():
        if value is None:
            continue
        old = into.get(key)
        if old is None:
            into[key] = value
        elif key in _KEEP_KEYS:
            continue
        elif isinstance(old, str) and isinstance(value, str):
            into[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            merged = dict(old)
            merge_block(merged, value)
            into[key] = merged
        elif isinstance(old, list) and isinstance(value, list):
            into[key] = old + value
        else:
            into[key] = value


def merge_usage(old: Any, new: Any) -> Any:
    """Sum token counts of two usage dicts (nested dicts summed key by key)."""
    if not isinstance(new, dict):
        return old
    if not isinstance(old, dict):
        return dict(new)
    merged = dict(old)
    for key, value in new.items():
        current = merged.get(key)
        if isinstance(value, bool) or value is None:
            merged.setdefault(key, value)
        elif isinstance(value, int | float) and isinstance(current, int | float):
            merged[key] = current + value
        elif isinstance(value, dict):
            merged[key] = merge_usage(current, value)
        else:
            merged[key] = value
    return merged


def merged_kwargs(old: Any, new: dict[str, Any]) -> dict[str, Any]:
    """A chunk's `additional_kwargs` on top of the earlier ones: the latest values, but
    `reasoning_content` (DeepSeek / OpenRouter style reasoning deltas) concatenates."""
    merged = dict(new)
    before = old.get("reasoning_content") if isinstance(old, dict) else None
    if isinstance(before, str):
        delta = new.get("reasoning_content")
        merged["reasoning_content"] = before + delta if isinstance(delta, str) else before
    return merged


def is_last_chunk(event: Any) -> bool:
    """Whether a `messages` event (`[chunk, metadata]`) is its message's last chunk."""
    chunk = event[0] if isinstance(event, (list, tuple)) and event else None
    return isinstance(chunk, dict) and chunk.get("chunk_position") == "last"


class _ToolChunk:
    """One tool call being streamed: its argument text kept as parts until read."""

    __slots__ = ("id", "name", "index", "parts", "_parsed_text", "_parsed")

    def __init__(self, index: Any) -> None:
        self.id: str | None = None
        self.name: str | None = None
        self.index = index
        self.parts: list[str] = []
        self._parsed_text: str | None = None
        self._parsed: Any = None

    def add(self, chunk: dict[str, Any]) -> None:
        self.id = self.id or chunk.get("id")
        self.name = self.name or chunk.get("name")
        args = chunk.get("args")
        if isinstance(args, str) and args:
            self.parts.append(args)
        elif isinstance(args, dict) and args:
            self.parts = [json.dumps(args)]

    def args_text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    def parsed_args(self) -> Any:
        """The arguments parsed from the text so far (cached until more text arrives)."""
        text = self.args_text()
        if text != self._parsed_text:
            self._parsed_text = text
            self._parsed = parse_partial_json(text, default=None) if text else {}
        return self._parsed


class _Draft:
    """A message being streamed. Everything but content and tool chunks is kept as the
    latest chunk's fields; `message()` builds (and caches) the dict."""

    __slots__ = ("fields", "text", "blocks", "block_at", "tools", "usage", "meta", "cache")

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.text: list[str] | None = None
        self.blocks: list[dict[str, Any]] | None = None
        self.block_at: dict[Any, int] = {}
        self.tools: dict[Any, _ToolChunk] = {}
        self.usage: Any = None
        self.meta: dict[str, Any] = {}
        self.cache: Message | None = None

    def add(self, chunk: Message) -> None:
        self.cache = None
        for key, value in chunk.items():
            if key in ("content", "tool_call_chunks", "tool_calls", "invalid_tool_calls",
                       "usage_metadata", "response_metadata", "chunk_position"):
                continue
            if key == "additional_kwargs" and isinstance(value, dict):
                value = merged_kwargs(self.fields.get(key), value)
            if value is not None or key not in self.fields:
                self.fields[key] = value
        self._add_content(chunk.get("content"))
        for tool_chunk in chunk.get("tool_call_chunks") or ():
            index = tool_chunk.get("index")
            if index is None:
                index = ("auto", len(self.tools))
            tool = self.tools.get(index)
            if tool is None:
                tool = self.tools[index] = _ToolChunk(index)
            tool.add(tool_chunk)
        if not chunk.get("tool_call_chunks"):
            # A whole tool call sent in one chunk (no chunk list): keep it as parts too.
            for number, call in enumerate(chunk.get("tool_calls") or ()):
                tool = self.tools.get(("call", number))
                if tool is None:
                    tool = self.tools[("call", number)] = _ToolChunk(None)
                    tool.add({"id": call.get("id"), "name": call.get("name"),
                              "args": call.get("args") or {}})
        if chunk.get("usage_metadata"):
            self.usage = merge_usage(self.usage, chunk["usage_metadata"])
        response = chunk.get("response_metadata")
        if response:
            for key, value in response.items():
                if value not in (None, "", {}, []):
                    self.meta[key] = value

    def _add_content(self, content: Any) -> None:
        if content is None or content == "" or content == []:
            if self.text is None and self.blocks is None:
                self.text = []
            return
        if isinstance(content, str):
            if self.blocks is not None:
                self._add_block({"type": "text", "text": content})
            else:
                if self.text is None:
                    self.text = []
                self.text.append(content)
            return
        if self.blocks is None:
            self.blocks = []
            if self.text:
                self.blocks.append({"type": "text", "text": "".join(self.text)})
            self.text = None
        for block in content:
            self._add_block(block if isinstance(block, dict) else {"type": "text", "text": block})

    def _add_block(self, block: dict[str, Any]) -> None:
        assert self.blocks is not None
        index = block.get("index")
        if index is not None and index in self.block_at:
            target = self.blocks[self.block_at[index]]
            merge_block(target, block)
            return
        if index is not None:
            self.block_at[index] = len(self.blocks)
        self.blocks.append(dict(block))

    def message(self) -> Message:
        if self.cache is not None:
            return self.cache
        message = dict(self.fields)
        message["type"] = normalize_type(message.get("type") or "ai")
        if self.blocks is not None:
            message["content"] = [dict(block) for block in self.blocks]
        else:
            if self.text and len(self.text) > 1:
                self.text = ["".join(self.text)]
            message["content"] = self.text[0] if self.text else ""
        tool_calls: list[dict[str, Any]] = []
        invalid: list[dict[str, Any]] = []
        chunks: list[dict[str, Any]] = []
        for tool in self.tools.values():
            text = tool.args_text()
            index = tool.index if not isinstance(tool.index, tuple) else None
            chunks.append({"type": "tool_call_chunk", "id": tool.id, "name": tool.name,
                           "args": text, "index": index})
            args = tool.parsed_args()
            if isinstance(args, dict):
                tool_calls.append({"type": "tool_call", "id": tool.id, "name": tool.name or "",
                                   "args": args})
            else:
                invalid.append({"type": "invalid_tool_call", "id": tool.id, "name": tool.name,
                                "args": text, "error": None})
        message["tool_calls"] = tool_calls
        message["invalid_tool_calls"] = invalid
        if chunks:
            message["tool_call_chunks"] = chunks
        message["usage_metadata"] = self.usage
        message["response_metadata"] = dict(self.meta)
        self.cache = message
        return message


class ChunkAccumulator:
    """Merges streamed chunks by message id and remembers each message's stream metadata.

    `add(message, metadata)` returns the id it updated (None when the chunk has no id);
    `get(id)` builds the current message dict. Whole (non-chunk) messages replace any
    draft of the same id.
    """

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}
        self._whole: dict[str, Message] = {}
        self.metadata: dict[str, dict[str, Any]] = {}

    def add(self, message: Message, metadata: dict[str, Any] | None = None) -> str | None:
        message_id = message.get("id")
        if not message_id:
            return None
        if metadata is not None:
            self.metadata[message_id] = metadata
        if is_chunk(message):
            self._whole.pop(message_id, None)
            draft = self._drafts.get(message_id)
            if draft is None:
                draft = self._drafts[message_id] = _Draft()
            draft.add(message)
        else:
            self._drafts.pop(message_id, None)
            whole = dict(message)
            whole["type"] = normalize_type(whole.get("type"))
            self._whole[message_id] = whole
        return message_id

    def get(self, message_id: str) -> Message | None:
        draft = self._drafts.get(message_id)
        if draft is not None:
            return draft.message()
        return self._whole.get(message_id)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._drafts or message_id in self._whole

    def discard(self, message_id: str) -> None:
        self._drafts.pop(message_id, None)
        self._whole.pop(message_id, None)

    def ids(self) -> list[str]:
        return [*self._drafts, *self._whole]

    def reset(self) -> None:
        """Forget held chunks (before a replay from the start). Metadata is kept."""
        self._drafts.clear()
        self._whole.clear()


