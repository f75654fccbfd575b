"""A thread as a file to download: Markdown for people, JSON for programs.

Both hold the title, the messages in order (text, attachments, tool calls and their
results) and the feedback given on answers (see `app.stream.feedback`). The JSON keeps
each message as the server stores it, attachments' base64 included unless
`include_files=False` (then each payload is replaced by its size); Markdown lists
attachments by name, type and size. Nothing here talks to the server: the caller passes
the thread's values and metadata (`ThreadStream.values`, `threads.get`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from app.stream.attachments import attachment_view, attachment_views, decoded_size
from app.stream.feedback import feedback_from_metadata
from app.stream.messages import message_text, normalize_type

FORMAT = "langgraph-reflex-chat/thread"
VERSION = 1
ROLES = {"human": "User", "ai": "Assistant", "tool": "Tool result", "system": "System"}
_PAYLOAD_KEYS = ("base64", "data", "file_data")


def _stamp(moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def _fence(text: str, lang: str = "") -> str:
    """`text` in a code fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _tool_calls(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    calls = message.get("tool_calls")
    return [c for c in calls if isinstance(c, Mapping)] if isinstance(calls, list) else []


def _args_text(args: Any) -> str:
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return args
    return json.dumps(args, indent=2, ensure_ascii=False)


def _rating_line(record: Mapping[str, Any]) -> str:
    mark = "👍 helpful" if record.get("rating") == "up" else "👎 not helpful"
    comment = f' "{record["comment"]}"' if record.get("comment") else ""
    who = ", ".join(str(part) for part in (record.get("by"), record.get("at")) if part)
    return f"> Feedback: {mark}{comment}" + (f" ({who})" if who else "")


def _message_markdown(message: Mapping[str, Any], feedback: Mapping[str, Any]) -> str:
    kind = normalize_type(message.get("type"))
    heading = ROLES.get(kind, kind.capitalize() or "Message")
    if kind == "tool" and message.get("name"):
        heading = f"{heading}: `{message['name']}`"
        if message.get("status") == "error":
            heading += " (error)"
    parts = [f"## {heading}"]
    text = message_text(message).strip()
    if kind == "tool":
        if text:
            parts.append(_fence(text))
    elif text:
        parts.append(text)
    files = attachment_views(message)
    if files:
        lines = []
        for view in files:
            about = ", ".join(p for p in (view["mime_type"], view["size_text"]) if p)
            lines.append(f"- {view['name']}" + (f" ({about})" if about else ""))
        parts.append("Attachments:\n" + "\n".join(lines))
    for call in _tool_calls(message):
        parts.append(f"Tool call `{call.get('name') or '?'}`:\n\n"
                     + _fence(_args_text(call.get("args", {})), "json"))
    record = feedback.get(str(message.get("id") or ""))
    if record:
        parts.append(_rating_line(record))
    return "\n\n".join(parts)


def thread_markdown(
    title: str,
    messages: Iterable[Mapping[str, Any]],
    *,
    thread_id: str = "",
    metadata: Mapping[str, Any] | None = None,
    exported_at: datetime | None = None,
) -> str:
    """The thread as Markdown: a title, one section per message, feedback under the
    answers it rates."""
    feedback = feedback_from_metadata(metadata)
    about = [f"Exported {_stamp(exported_at)}"]
    if thread_id:
        about.insert(0, f"Thread `{thread_id}`")
    sections = [f"# {title.strip() or 'Chat'}", " · ".join(about)]
    sections.extend(
        _message_markdown(message, feedback)
        for message in messages
        if isinstance(message, Mapping) and normalize_type(message.get("type")) != "remove"
    )
    return "\n\n".join(sections) + "\n"


def _omitted(payload: str) -> dict[str, int]:
    """What replaces a base64 payload (or a data URL) when files are left out."""
    return {"omitted_bytes": decoded_size(payload.partition(",")[2] if payload.startswith(
        "data:") else payload)}


def _without_payloads(message: Mapping[str, Any]) -> dict[str, Any]:
    """The message with each attachment's base64 replaced by `{"omitted_bytes": n}`."""
    content = message.get("content")
    if not isinstance(content, list):
        return dict(message)
    blocks: list[Any] = []
    for block in content:
        if not isinstance(block, Mapping) or attachment_view(block) is None:
            blocks.append(block)
            continue
        slim = dict(block)
        for key in ("base64", "data"):
            if isinstance(slim.get(key), str):
                slim[key] = _omitted(slim[key])
        for nested_key, inner_key in (("image_url", "url"), ("file", "file_data"),
                                      ("source", "data")):
            nested = slim.get(nested_key)
            if isinstance(nested, str) and nested.startswith("data:"):
                slim[nested_key] = _omitted(nested)
            elif isinstance(nested, Mapping) and isinstance(nested.get(inner_key), str):
                value = nested[inner_key]
                if nested_key == "source" or value.startswith("data:"):
                    slim[nested_key] = {**nested, inner_key: _omitted(value)}
        blocks.append(slim)
    return {**message, "content": blocks}


def thread_json(
    title: str,
    messages: Sequence[Mapping[str, Any]],
    *,
    thread_id: str = "",
    metadata: Mapping[str, Any] | None = None,
    ui: Sequence[Mapping[str, Any]] | None = None,
    include_files: bool = True,
    exported_at: datetime | None = None,
) -> str:
    """The thread as pretty JSON: `{"format", "version", "thread_id", "title",
    "exported_at", "messages", "feedback", "ui"}` (`feedback` keyed by message id)."""
    kept = [m for m in messages if isinstance(m, Mapping)]
    document = {
        "format": FORMAT,
        "version": VERSION,
        "thread_id": thread_id,
        "title": title,
        "exported_at": _stamp(exported_at),
        "messages": [dict(m) if include_files else _without_payloads(m) for m in kept],
        "feedback": feedback_from_metadata(metadata),
        "ui": [dict(u) for u in ui or () if isinstance(u, Mapping)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def export_filename(title: str, extension: str) -> str:
    """A safe download name from the title: `weather-in-porto.md` (`chat.json` if empty)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60].strip("-")
    return f"{slug or 'chat'}.{extension.lstrip('.')}"
