"""Decide what of a deep agent's panels to send to the browser after the stream changed
(pure: no Reflex; `deep_panels.apply_panels` writes the patches into the states).

`PanelPublisher.frame(stream, full=...)` returns `{panel: {var: value}}` with only the
vars whose value changed since the last frame:
- on a full frame (values arrived, a run started or ended): the plan, the file list (no
  content: the open file's view only), the thread's usage totals;
- on every frame: the live message's reasoning (head/tail patches, like the answer's
  `LiveText`) and, when the subagents changed or one runs, the subagents and the running
  tools' progress.
Running subagents each hold one of `SLOTS` slot substates, so a subagent's token sends
only that slot's changed tail, whatever the number of subagents or files; finished
subagents are cards written once (they change only when their call ends).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.states.live_text import LiveText
from app.states.message_view import to_view
from app.states.panel_views import (
    cut,
    files_view,
    live_text,
    open_file_view,
    plan_view,
    subagent_header,
    subagent_views,
    thought_label,
    totals_view,
)

SLOTS = 6  # subagents streaming live at once; more still show, updated per step
EMPTY_CARD = {"id": "", "type": "", "description": "", "status": "", "elapsed": "",
              "ai_message_id": "", "result": ""}
LIVE_KEYS = {"live_id": "live_id", "live_head": "live_head", "live_tail": "live_tail",
             "live_tool_calls": "live_tool_calls"}
REASONING_KEYS = {"live_id": "id", "live_head": "head", "live_tail": "tail"}


def slot_name(index: int) -> str:
    return f"slot{index}"


def _renamed(patch: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {names[key]: value for key, value in patch.items() if key in names}


@dataclass
class PanelPublisher:
    """Remembers what the browser shows of the panels (see the module docstring)."""

    clock: Callable[[], float] = time.monotonic
    published: dict[str, dict[str, Any]] = field(default_factory=dict)
    slots: list[str] = field(default_factory=lambda: [""] * SLOTS)
    slot_live: list[LiveText] = field(default_factory=lambda: [LiveText() for _ in range(SLOTS)])
    reasoning_live: LiveText = field(default_factory=LiveText)
    open_path: str = ""  # the file whose dialog is open (its view is kept up to date)
    _version: int = -1
    _cards: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget what was published (a new stream for the tab)."""
        fresh = PanelPublisher(clock=self.clock)
        self.__dict__.update(fresh.__dict__)

    def _put(self, patches: dict[str, dict[str, Any]], panel: str,
             values: dict[str, Any]) -> None:
        """Add to `patches[panel]` the values that differ from the published ones."""
        shown = self.published.setdefault(panel, {})
        changed = {k: v for k, v in values.items() if k not in shown or shown[k] != v}
        if changed:
            shown.update(changed)
            patches.setdefault(panel, {}).update(changed)

    def frame(self, stream: Any, *, full: bool) -> dict[str, dict[str, Any]]:
        """The panels' patches after a change of `stream` (a `ThreadStream`). The first
        frame also empties whatever an earlier stream left in the panels."""
        patches: dict[str, dict[str, Any]] = {}
        if not self.published:
            patches.update(self._emptied())
            full = True
        if full:
            self._put(patches, "plan", plan_view(stream.todos, stream.todo_progress))
            files = stream.files
            found = {"files": files_view(files), "edit_blocked": stream.file_edit_blocked(),
                     "open_path": self.open_path}
            if self.open_path:
                found.update(open_file_view(self.open_path, files.get(self.open_path)))
            self._put(patches, "files", found)
            self._put(patches, "totals", totals_view(stream.thread_usage))
        self._reasoning(patches, stream)
        if full or stream.activity_version != self._version or any(self.slots):
            self._version = stream.activity_version
            self._subagents(patches, stream)
            self._put(patches, "progress", {"items": stream.tool_progress})
        return patches

    def _emptied(self) -> dict[str, dict[str, Any]]:
        """Patches emptying the streamed texts (the rest is compared as usual)."""
        empty_live = {"live_id": "", "live_head": "", "live_tail": "", "live_tool_calls": []}
        patches = {slot_name(index): dict(empty_live) for index in range(SLOTS)}
        patches["reasoning"] = {"id": "", "head": "", "tail": ""}
        patches["files"] = {"editing": False, "draft": "", "save_error": "", "notice": ""}
        return patches

    # -- the live message's reasoning -----------------------------------------------------

    def _reasoning(self, patches: dict[str, dict[str, Any]], stream: Any) -> None:
        message = stream.live_message() if stream.is_loading else None
        details = stream.answer_details(message) if message else None
        if not details or not details["reasoning"]:
            patch = _renamed(self.reasoning_live.clear(), REASONING_KEYS)
            self._put(patches, "reasoning", {"thinking": False, "label": ""})
        else:
            patch = _renamed(self.reasoning_live.update(str(message["id"]),
                                                        details["reasoning"], []),
                             REASONING_KEYS)
            self._put(patches, "reasoning", {
                "thinking": bool(details["thinking"]),
                "label": "Thinking" if details["thinking"]
                else thought_label(details["thought_seconds"])})
        if patch:
            self.published.setdefault("reasoning", {}).update(patch)
            patches.setdefault("reasoning", {}).update(patch)

    # -- subagents ------------------------------------------------------------------------

    def _subagents(self, patches: dict[str, dict[str, Any]], stream: Any) -> None:
        now = self.clock()
        subagents = stream.subagents
        running = {s["id"]: s for s in subagents if s["status"] in ("pending", "running")}
        for index, call_id in enumerate(self.slots):
            if call_id and call_id not in running:
                self.slots[index] = ""
        for call_id in running:
            if call_id not in self.slots and "" in self.slots:
                self.slots[self.slots.index("")] = call_id
        cards = [self._card(s, now) for s in subagents if s["id"] not in self.slots]
        self._put(patches, "cards", {"cards": cards})
        for index, call_id in enumerate(self.slots):
            self._slot(patches, index, running.get(call_id), now)

    def _card(self, subagent: dict[str, Any], now: float) -> dict[str, Any]:
        """A subagent shown as a card in its message (a finished one is built once)."""
        key = (subagent["status"], len(subagent["messages"]), subagent["ended_at"],
               subagent["result"], subagent["ai_message_id"])
        cached = self._cards.get(subagent["id"])
        if cached is not None and cached[0] == key and subagent["status"] in ("done", "error"):
            return cached[1]
        card = {**subagent_header(subagent, now),
                "messages": subagent_views(subagent["messages"], live=False)[0]}
        self._cards[subagent["id"]] = (key, card)
        return card

    def _slot(self, patches: dict[str, dict[str, Any]], index: int,
              subagent: dict[str, Any] | None, now: float) -> None:
        name, live = slot_name(index), self.slot_live[index]
        if subagent is None:
            values: dict[str, Any] = {"card": EMPTY_CARD, "messages": [], "thinking": False}
            patch = live.clear()
        else:
            finished, streaming = subagent_views(subagent["messages"], live=True)
            text, thinking = live_text(streaming) if streaming else ("", False)
            calls = to_view([streaming])[0]["tool_calls"] if streaming else []
            for call in calls:
                call["args"] = cut(call["args"])
            values = {"card": subagent_header(subagent, now), "messages": finished,
                      "thinking": thinking}
            patch = live.update(str(streaming["id"]) if streaming else "", text, calls)
        self._put(patches, name, values)
        patch = _renamed(patch, LIVE_KEYS)
        if patch:
            self.published.setdefault(name, {}).update(patch)
            patches.setdefault(name, {}).update(patch)
