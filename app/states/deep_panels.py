"""The deep-agent panels' substates: small, so each flush sends only what changed.

`PanelPublisher` (pure) decides the patches; `apply_panels` writes them here. The plan,
the usage totals, the finished subagent cards and the live message's reasoning each have
a substate; every running subagent has a slot substate of its own (`SubagentSlot0` ...),
so a token of one subagent resends only that slot's tail. The file list and the open
file are `files_panel.FilesState`'s.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.states.files_panel import FilesState
from app.states.panel_publisher import EMPTY_CARD, SLOTS, slot_name


class PlanState(rx.State):
    """`values.todos` as shown: `[{"content", "status", "label"}]`, done / total."""

    todos: list[dict[str, str]] = []
    done: int = 0
    total: int = 0
    panel_open: bool = False  # the side panel on narrow screens

    @rx.event
    def toggle_panel(self) -> None:
        self.panel_open = not self.panel_open


class TotalsState(rx.State):
    """The thread's usage, for its details ("" when no answer reported usage)."""

    tokens: str = ""
    answers: str = ""


class SubagentCardsState(rx.State):
    """Subagents not streaming live: header fields plus their finished message views."""

    cards: list[dict[str, Any]] = []


class LiveReasoningState(rx.State):
    """The reasoning of the message being streamed (`id` = `LiveMessageState.live_id`)."""

    id: str = ""
    head: str = ""
    tail: str = ""
    thinking: bool = False
    label: str = ""


class ToolProgressState(rx.State):
    """Running tools' latest progress `[{"id", "name", "text"}]` (`tools` stream mode)."""

    items: list[dict[str, str]] = []


class SubagentSlot(rx.State, mixin=True):
    """One running subagent: its card header, finished messages and streaming message."""

    card: dict[str, str] = EMPTY_CARD
    messages: list[dict[str, Any]] = []
    live_id: str = ""
    live_head: str = ""
    live_tail: str = ""
    live_tool_calls: list[dict[str, Any]] = []
    thinking: bool = False


class SubagentSlot0(SubagentSlot, rx.State):
    pass


class SubagentSlot1(SubagentSlot, rx.State):
    pass


class SubagentSlot2(SubagentSlot, rx.State):
    pass


class SubagentSlot3(SubagentSlot, rx.State):
    pass


class SubagentSlot4(SubagentSlot, rx.State):
    pass


class SubagentSlot5(SubagentSlot, rx.State):
    pass


SLOT_STATES: tuple[type[rx.State], ...] = (
    SubagentSlot0, SubagentSlot1, SubagentSlot2, SubagentSlot3, SubagentSlot4, SubagentSlot5)
assert len(SLOT_STATES) == SLOTS
PANEL_STATES: dict[str, type[rx.State]] = {
    "plan": PlanState,
    "totals": TotalsState,
    "cards": SubagentCardsState,
    "reasoning": LiveReasoningState,
    "progress": ToolProgressState,
    "files": FilesState,
    **{slot_name(index): state for index, state in enumerate(SLOT_STATES)},
}


async def apply_panels(chat: rx.State, panels: dict[str, dict[str, Any]]) -> None:
    """Write the panels' patches (inside the chat state's `async with self`)."""
    for panel, patch in panels.items():
        state = await chat.get_state(PANEL_STATES[panel])
        for name, value in patch.items():
            setattr(state, name, value)
    files = await chat.get_state(FilesState) if "files" in panels else None
    if files is not None and files._chat != chat.get_full_name():
        files._chat = chat.get_full_name()

