"""Messages as the UI shows them: streamed chunks merged by id, and the displayed list.

Messages are plain dicts in the server's wire shape (`type` human/ai/tool/system/remove,
`id`, `content`, ...). `ChunkAccumulator` merges `messages-tuple` chunks in O(1) per
chunk and builds the message dict lazily (tool-call JSON is parsed only when read).
`MessageList` keeps the displayed list with an id -> index map, so placing a message by
id costs O(1) whatever the conversation length.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic_core import from_json

Message = dict[str, Any]
REMOVE_ALL = "__remove_all__"
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


def normalize_type(kind: Any) -> str:
    """`AIMessageChunk` -> `ai`, `HumanMessage` -> `human`, `tool` -> `tool`."""
    text = str(kind or "")
    if text.endswith("Chunk"):
        text = text[: -len("Chunk")]
    if text.endswith("Message") and text != "Message":
        text = text[: -len("Message")]
    lowered = text.lower()
    return {"aimessage": "ai", "remove": "remove"}.get(lowered, lowered)


def is_chunk(message: Message) -> bool:
    """True for a streamed piece (`AIMessageChunk`) rather than a whole message."""
    return str(message.get("type", "")).endswith("Chunk")


def is_remove(message: Message) -> bool:
    return normalize_type(message.get("type")) == "remove"


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


class MessageList:
    """The displayed messages with an id -> index map (the last occurrence wins)."""

    def __init__(self, messages: Iterable[Message] = ()) -> None:
        self._items: list[Message] = []
        self._index: dict[str, int] = {}
        self.replace_all(messages)

    def replace_all(self, messages: Iterable[Message]) -> None:
        self._items = list(messages)
        self._reindex()

    def _reindex(self) -> None:
        self._index = {}
        for position, message in enumerate(self._items):
            message_id = message.get("id") if isinstance(message, dict) else None
            if message_id:
                self._index[message_id] = position

    def upsert(self, message: Message) -> int:
        """Replace the message with the same id (searching from the end), else append."""
        message_id = message.get("id")
        position = self._index.get(message_id) if message_id else None
        if position is None:
            position = len(self._items)
            self._items.append(message)
            if message_id:
                self._index[message_id] = position
        else:
            self._items[position] = message
        return position

    def remove(self, message_id: str) -> bool:
        """Delete every message with this id (`__remove_all__` clears the list)."""
        if message_id == REMOVE_ALL:
            had = bool(self._items)
            self.clear()
            return had
        if message_id not in self._index:
            return False
        self._items = [m for m in self._items if m.get("id") != message_id]
        self._reindex()
        return True

    def clear(self) -> None:
        self._items = []
        self._index = {}

    def get(self, message_id: str) -> Message | None:
        position = self._index.get(message_id)
        return None if position is None else self._items[position]

    def index_of(self, message_id: str) -> int | None:
        return self._index.get(message_id)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._index

    @property
    def items(self) -> list[Message]:
        """The live list (do not mutate; copy if you keep it)."""
        return self._items

    def ids(self) -> list[str | None]:
        return [m.get("id") for m in self._items]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Message]:
        return iter(self._items)


def apply_removals(messages: Sequence[Message]) -> list[Message]:
    """Apply `remove` entries found in a list of messages (as a reducer would)."""
    result = MessageList()
    for message in messages:
        if is_remove(message):
            result.remove(str(message.get("id")))
        else:
            result.upsert(message)
    return list(result.items)


def message_text(message: Message) -> str:
    """The plain text of a message (text blocks joined)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content or ():
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)
