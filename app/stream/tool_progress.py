"""Progress of running tools, from the `tools` stream mode when a server offers it.

Servers that offer the mode (it is not in langgraph-api 0.16's list, so the stream asks
for it only when the server's OpenAPI names it) send one event per tool step. Their
shape is read loosely: the call from `tool_call_id` (or `id`, or `tool_call.id`), its
name from `name`, the progress from `data` / `progress` / `message` / `chunk` (text, or
anything else shown as JSON), and an event or type ending in `end` / `error` closes it.
A server without the mode sends nothing and nothing here changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MAX_PROGRESS = 300  # characters of one progress text


def _call_id(data: Mapping[str, Any]) -> str:
    call = data.get("tool_call")
    found = data.get("tool_call_id") or data.get("id") or (
        call.get("id") if isinstance(call, Mapping) else None)
    return str(found or "")


def _text(data: Mapping[str, Any]) -> str:
    for key in ("data", "progress", "message", "chunk"):
        value = data.get(key)
        if value is None or value == "":
            continue
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        return text if len(text) <= MAX_PROGRESS else text[: MAX_PROGRESS - 1] + "…"
    return ""


class ToolProgress:
    """The latest progress of each running tool call."""

    def __init__(self) -> None:
        self._running: dict[str, dict[str, str]] = {}

    def add(self, data: Any) -> bool:
        """One `tools` event; True when what is shown changed."""
        if not isinstance(data, Mapping):
            return False
        call_id = _call_id(data)
        if not call_id:
            return False
        phase = str(data.get("event") or data.get("type") or "").lower()
        if phase.endswith(("end", "error")):
            return self._running.pop(call_id, None) is not None
        known = self._running.get(call_id, {})
        shown = {"id": call_id, "name": str(data.get("name") or known.get("name") or "tool"),
                 "text": _text(data) or known.get("text", "")}
        if shown == known:
            return False
        self._running[call_id] = shown
        return True

    def running(self) -> list[dict[str, str]]:
        """`[{"id", "name", "text"}]` of the tools still running, oldest first."""
        return [dict(item) for item in self._running.values()]

    def reset(self) -> None:
        self._running.clear()
