"""Tool calls paired with their results: each AI tool call, the ToolMessage answering it
(matched by `tool_call_id`) and a state `pending` | `completed` | `error`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.stream.messages import Message, normalize_type


def _results_by_call(messages: Iterable[Message]) -> dict[str, Message]:
    results: dict[str, Message] = {}
    for message in messages:
        if normalize_type(message.get("type")) == "tool" and message.get("tool_call_id"):
            results[str(message["tool_call_id"])] = message
    return results


def _pair(call: Mapping[str, Any], result: Message | None) -> dict[str, Any]:
    if result is None:
        state = "pending"
    elif result.get("status") == "error":
        state = "error"
    else:
        state = "completed"
    return {"id": call.get("id"), "call": dict(call), "result": result, "state": state}


def tool_calls_of(
    messages: Iterable[Message], ai_message: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Every tool call of `messages` (or only those of `ai_message`) with its result."""
    messages = list(messages)
    results = _results_by_call(messages)
    sources = [ai_message] if ai_message is not None else [
        m for m in messages if normalize_type(m.get("type")) == "ai"
    ]
    paired: list[dict[str, Any]] = []
    for message in sources:
        for call in message.get("tool_calls") or ():
            paired.append(_pair(call, results.get(str(call.get("id")))))
    return paired
