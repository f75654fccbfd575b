"""Turn server-shaped messages into the small, flat dicts the chat UI renders.

Pure functions (no Reflex): they are unit tested on their own. A view message is
`{"id", "role", "text", "tool_calls", "status", "plain"}` where role is "user" | "assistant" |
"system" | "tool" and tool_calls is a list of `{"id", "name", "args", "result", "status"}`
with status "pending" | "completed" | "error" | "rejected" (`app.stream.tools`). Tool
messages are folded into the card of the AI message that called them. A message with
attached files also has `"attachments"` (small cards, see `attachment_cards`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.states.attachment_cards import attachment_cards
from app.states.markdown_blocks import js_offsets, plain_prefix
from app.stream.messages import content_text, message_type
from app.stream.plain import as_mapping
from app.stream.tools import call_state

ROLE_BY_TYPE = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def format_args(args: Any) -> str:
    """Tool-call arguments as pretty JSON text (strings that are not JSON stay as they are)."""
    if args is None or args == "":
        return "{}"
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return args
    try:
        return json.dumps(args, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(args)


def _tool_calls_of(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tool calls of an AI message, from parsed `tool_calls` or raw chunks."""
    calls = message.get("tool_calls") or []
    if not calls:
        calls = [
            {"id": c.get("id"), "name": c.get("name"), "args": c.get("args")}
            for c in message.get("tool_call_chunks") or []
            if isinstance(c, Mapping)
        ]
    result = []
    for index, call in enumerate(calls):
        call = as_mapping(call)
        result.append(
            {
                "id": str(call.get("id") or f"call-{index}"),
                "name": str(call.get("name") or "tool"),
                "args": format_args(call.get("args")),
                "result": "",
                "status": "pending",
            }
        )
    return result


def to_view(messages: Iterable[Any]) -> list[dict[str, Any]]:
    """View messages for a list of server messages (tool results folded into calls)."""
    views: list[dict[str, Any]] = []
    call_index: dict[str, dict[str, Any]] = {}
    for position, raw in enumerate(messages):
        message = as_mapping(raw)
        kind = message_type(message)
        if kind == "tool":
            call = call_index.get(str(message.get("tool_call_id")))
            if call is not None:
                call["result"] = content_text(message.get("content"))
                call["status"] = call_state(message)
                continue
        text = content_text(message.get("content"))
        view = {
            "id": str(message.get("id") or f"msg-{position}"),
            "role": ROLE_BY_TYPE.get(kind, "system"),
            "text": text,
            "tool_calls": _tool_calls_of(message) if kind == "ai" else [],
            "status": "",
        }
        files = attachment_cards(message)
        if files is not None:  # only messages with files get the key (`attachment_cards`)
            view["text"], view["attachments"] = files
        view["plain"] = _plain_end(view["text"]) if kind == "ai" else 0
        for call in view["tool_calls"]:
            call_index[call["id"]] = call
        views.append(view)
    return views


def _plain_end(text: str) -> int:
    """Where the plain start of a one-paragraph answer ends (JavaScript offset; 0: none),
    so the browser shows it without parsing (`markdown_blocks.plain_prefix`)."""
    end = plain_prefix(text)
    return js_offsets(text, [end])[0] if end else 0


def fingerprint(view: Mapping[str, Any]) -> str:
    """A cheap identity of what a view message shows (to skip unchanged writes)."""
    return json.dumps(view, sort_keys=True, ensure_ascii=False)
