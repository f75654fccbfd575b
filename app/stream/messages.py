"""Messages as the UI shows them: their type and text, and the displayed list.

Messages are plain dicts in the server's wire shape (`type` human/ai/tool/system/remove,
`id`, `content`, ...). `MessageList` keeps the displayed list with an id -> index map, so
placing a message by id costs O(1) whatever the conversation length. Streamed chunks are
merged in `chunks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from app.stream.attachments import attachment_views

Message = dict[str, Any]
REMOVE_ALL = "__remove_all__"
_TYPE_ALIASES = {"user": "human", "assistant": "ai"}


def normalize_type(kind: Any) -> str:
    """A message type or role as the server spells types: `AIMessageChunk` -> `ai`,
    `HumanMessage` -> `human`, `assistant` -> `ai`, `tool` -> `tool`."""
    known = _NORMAL_TYPES.get(kind) if isinstance(kind, str) else None
    if known is None:
        known = _normalized(kind)
        if isinstance(kind, str) and len(_NORMAL_TYPES) < _MAX_SPELLINGS:
            _NORMAL_TYPES[kind] = known
    return known


# The few spellings a server uses, normalised once (bounded: types are untrusted input).
_NORMAL_TYPES: dict[str, str] = {}
_MAX_SPELLINGS = 256


def _normalized(kind: Any) -> str:
    text = str(kind or "").lower()
    if text.endswith("chunk"):
        text = text[: -len("chunk")]
    if text.endswith("message") and text != "message":
        text = text[: -len("message")]
    return _TYPE_ALIASES.get(text, text)


def messages_in(update: Any) -> list[Message]:
    """Messages carried by a values / updates / tasks payload (or a list of them)."""
    if isinstance(update, Mapping):
        found = update.get("messages")
        if isinstance(found, list):
            return [m for m in found if isinstance(m, dict | Mapping)]
        if isinstance(found, Mapping):
            return [found]
    return []


def message_type(message: Mapping[str, Any]) -> str:
    """A message's normalised type (its `type`, else its `role`)."""
    return normalize_type(message.get("type") or message.get("role"))


def is_chunk(message: Message) -> bool:
    """True for a streamed piece (`AIMessageChunk`) rather than a whole message."""
    return str(message.get("type", "")).endswith("Chunk")


def is_remove(message: Message) -> bool:
    return normalize_type(message.get("type")) == "remove"


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


_TEXT_BLOCKS = (None, "text", "text_delta", "output_text")


def content_text(content: Any) -> str:
    """The readable text of a message content: a string, one content block or a list of
    them (text blocks joined; attachments are not text: see `app.stream.attachments`)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        content = [content]
    parts: list[str] = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, Mapping):
            kind = block.get("type")
            if kind in _TEXT_BLOCKS and isinstance(block.get("text"), str):
                parts.append(block["text"])
    return "".join(parts)


def message_text(message: Mapping[str, Any]) -> str:
    """The readable text of a message."""
    return content_text(message.get("content"))


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def thread_title(messages: Iterable[Any], metadata: Mapping[str, Any] | None = None, *,
                 limit: int = 60, default: str = "New chat") -> str:
    """A thread's title: its `title` metadata, else its first human message (or the
    names of the files it carries), shortened."""
    title = metadata.get("title") if isinstance(metadata, Mapping) else None
    if isinstance(title, str) and title.strip():
        return title.strip()
    for message in messages or ():
        if isinstance(message, Mapping) and message_type(message) == "human":
            text = shorten(message_text(message) or ", ".join(
                view["name"] for view in attachment_views(message)), limit)
            if text:
                return text
    return default
