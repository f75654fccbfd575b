"""Tool calls paired with their results: each AI tool call, the ToolMessage answering it
(matched by `tool_call_id`) and its state `pending` | `completed` | `error` | `rejected`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.stream.messages import Message, message_text, message_type

# The human-in-the-loop middleware answers a rejected call with an error ToolMessage
# whose text starts like this (langchain.agents.middleware.human_in_the_loop).
REJECTED_PREFIX = "User rejected the tool call"


def call_state(result: Mapping[str, Any] | None) -> str:
    """A call's state from its ToolMessage: pending (none yet), completed, error, or
    rejected (by a reviewer)."""
    if result is None:
        return "pending"
    if result.get("status") != "error":
        return "completed"
    return "rejected" if message_text(result).startswith(REJECTED_PREFIX) else "error"


def results_by_call(messages: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The ToolMessages of `messages` by the id of the call they answer."""
    results: dict[str, Mapping[str, Any]] = {}
    for message in messages:
        if message_type(message) == "tool" and message.get("tool_call_id"):
            results[str(message["tool_call_id"])] = message
    return results


def _pair(call: Mapping[str, Any], result: Message | None) -> dict[str, Any]:
    return {"id": call.get("id"), "call": dict(call), "result": result,
            "state": call_state(result)}


def tool_calls_of(
    messages: Iterable[Message], ai_message: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Every tool call of `messages` (or only those of `ai_message`) with its result."""
    messages = list(messages)
    results = results_by_call(messages)
    sources = [ai_message] if ai_message is not None else [
        m for m in messages if message_type(m) == "ai"
    ]
    paired: list[dict[str, Any]] = []
    for message in sources:
        for call in message.get("tool_calls") or ():
            paired.append(_pair(call, results.get(str(call.get("id")))))
    return paired
