"""Turn server-shaped messages into the small, flat dicts the chat UI renders.

Pure functions (no Reflex): they are unit tested on their own. A view message is
`{"id", "role", "text", "tool_calls", "status"}` where role is "user" | "assistant" |
"system" and tool_calls is a list of `{"id", "name", "args", "result", "status"}` with
status "pending" | "completed" | "error" | "rejected". Tool messages are folded into the
card of the AI message that called them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

ROLE_BY_TYPE = {
    "human": "user",
    "user": "user",
    "ai": "assistant",
    "assistant": "assistant",
    "aimessagechunk": "assistant",
    "system": "system",
    "tool": "tool",
}


def as_dict(message: Any) -> dict[str, Any]:
    """A message as a plain dict, whatever shape it came in (dict, pydantic, LangChain)."""
    if isinstance(message, Mapping):
        return dict(message)
    dump = getattr(message, "model_dump", None)
    if callable(dump):
        return dump()
    return dict(vars(message))


def message_type(message: Mapping[str, Any]) -> str:
    """The server message type, normalised: "human", "ai", "tool", "system"."""
    raw = str(message.get("type") or message.get("role") or "").lower()
    if raw.endswith("chunk"):
        raw = raw[: -len("chunk")]
    if raw.endswith("message"):
        raw = raw[: -len("message")]
    return {"user": "human", "assistant": "ai"}.get(raw, raw)


def content_text(content: Any) -> str:
    """The readable text of a message content: a string or a list of content blocks."""
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
            if kind in (None, "text", "text_delta", "output_text") and isinstance(
                block.get("text"), str
            ):
                parts.append(block["text"])
            elif kind == "image_url" or kind == "image":
                parts.append("[image]")
    return "".join(parts)


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
        call = as_dict(call)
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


# The human-in-the-loop middleware answers a rejected call with an error ToolMessage
# whose text starts like this (langchain.agents.middleware.human_in_the_loop).
REJECTED_PREFIX = "User rejected the tool call"


def tool_status(message: Mapping[str, Any], result: str) -> str:
    """A finished call's status: completed, error, or rejected (by a reviewer)."""
    if message.get("status") != "error":
        return "completed"
    return "rejected" if result.startswith(REJECTED_PREFIX) else "error"


def to_view(messages: Iterable[Any]) -> list[dict[str, Any]]:
    """View messages for a list of server messages (tool results folded into calls)."""
    views: list[dict[str, Any]] = []
    call_index: dict[str, dict[str, Any]] = {}
    for position, raw in enumerate(messages):
        message = as_dict(raw)
        kind = message_type(message)
        if kind == "tool":
            call = call_index.get(str(message.get("tool_call_id")))
            if call is not None:
                call["result"] = content_text(message.get("content"))
                call["status"] = tool_status(message, call["result"])
                continue
            role = "tool"
        else:
            role = ROLE_BY_TYPE.get(kind, "system")
        view = {
            "id": str(message.get("id") or f"msg-{position}"),
            "role": role,
            "text": content_text(message.get("content")),
            "tool_calls": _tool_calls_of(message) if kind == "ai" else [],
            "status": "",
        }
        for call in view["tool_calls"]:
            call_index[call["id"]] = call
        views.append(view)
    return views


def fingerprint(view: Mapping[str, Any]) -> str:
    """A cheap identity of what a view message shows (to skip unchanged writes)."""
    return json.dumps(view, sort_keys=True, ensure_ascii=False)


def thread_title(values: Any, metadata: Mapping[str, Any] | None = None, limit: int = 60) -> str:
    """A thread's title: its `title` metadata, else its first human message, shortened."""
    if metadata and isinstance(metadata.get("title"), str) and metadata["title"].strip():
        return metadata["title"].strip()
    messages = values.get("messages") if isinstance(values, Mapping) else None
    for raw in messages or []:
        message = as_dict(raw)
        if message_type(message) == "human":
            text = " ".join(content_text(message.get("content")).split())
            if text:
                return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return "New chat"
