"""The interrupt panel's state: pending interrupts as cards, the user's draft answers,
and the audit trail of decisions kept in the thread's metadata.

The chat state (`ThreadState` or a developer's subclass) calls `sync(interrupts, chat=...)`
whenever it publishes the stream's view; the cards are rebuilt (and drafts dropped) only
when the pending interrupts change. The answer goes back through that chat state's
`respond`, so it resumes the interrupted run and never starts a fresh one.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import reflex as rx

from app.states import backend
from app.states.browser import restore_draft
from app.states.chat_registry import chat_state_named
from app.states.errors import describe
from app.states.hitl_view import (
    ArgsError,
    HitlError,
    build_resume,
    cards,
    composer_target,
    decision_from_form,
    decision_records,
    draft_summary,
    notes_by_message,
    ready,
)
from app.states.identity import IdentityState, acting_client
from app.stream.decision_log import RECORDS_KEY, read_decisions, record_decisions
from app.stream.hitl_decisions import approve


def _new_reviewer() -> str:
    return f"reviewer-{secrets.token_hex(2)}"


class InterruptState(rx.State):
    """Pending interrupts of the shown thread and what the user chose so far."""

    cards: list[dict[str, Any]] = []
    drafts: dict[str, dict[str, Any]] = {}
    summaries: dict[str, str] = {}
    open_key: str = ""
    open_kind: str = ""
    form_errors: dict[str, str] = {}
    form_error: str = ""
    panel_error: str = ""
    notes: dict[str, list[str]] = {}
    notes_thread: str = ""
    reviewer: str = rx.LocalStorage("", name="lg:reviewer")
    _raw: list[dict[str, Any]] = []
    _signature: str = ""
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    # ----- derived ----------------------------------------------------------------------
    @rx.var
    def has_cards(self) -> bool:
        return bool(self.cards)

    @rx.var
    def is_ready(self) -> bool:
        return ready(self.cards, self.drafts)

    @rx.var
    def only_breakpoints(self) -> bool:
        return bool(self.cards) and all(c["kind"] == "breakpoint" for c in self.cards)

    @rx.var
    def can_approve_all(self) -> bool:
        actions = [a for c in self.cards for a in c["actions"]]
        return bool(actions) and all(a["can_approve"] for a in actions) and all(
            c["kind"] in ("hitl", "tool_approval", "legacy", "breakpoint") for c in self.cards
        )

    @rx.var
    def decided_count(self) -> int:
        return sum(1 for c in self.cards for a in c["actions"] if a["key"] in self.drafts)

    @rx.var
    def action_count(self) -> int:
        return sum(len(c["actions"]) for c in self.cards)

    # ----- called by ThreadState (inside its `async with`) ----------------------------------
    def sync(self, interrupts: list[dict[str, Any]], chat: str = "") -> None:
        """Show `interrupts` of the chat state named `chat` (its full name); keep drafts
        while they stay the same."""
        if chat and self._chat != chat:
            self._chat = chat
        signature = json.dumps(interrupts, sort_keys=True, default=str)
        if signature == self._signature:
            return
        self._signature = signature
        self._raw = list(interrupts)
        self.cards = cards(interrupts)
        self.drafts = {}
        self.summaries = {}
        self.open_key = self.open_kind = ""
        self.form_errors = {}
        self.form_error = self.panel_error = ""

    # ----- drafting ------------------------------------------------------------------------
    def _legacy(self, key: str) -> bool:
        card = key.split(":", 1)[0]
        return any(c["key"] == card and c["kind"] == "legacy" for c in self.cards)

    def _set_draft(self, key: str, decision: dict[str, Any]) -> None:
        self.drafts = {**self.drafts, key: decision}
        self.summaries = {**self.summaries, key: draft_summary(decision,
                                                               legacy=self._legacy(key))}

    def _decide_at_once(self, key: str, kind: str) -> None:
        try:
            self._set_draft(key, decision_from_form(self.cards, key, kind))
        except HitlError as exc:
            self.panel_error = str(exc)
            return
        if self.open_key == key:
            self._close()

    @rx.event
    def approve(self, key: str) -> None:
        self._decide_at_once(key, "approve")

    @rx.event
    def ignore(self, key: str) -> None:
        """A legacy HumanInterrupt's Ignore: its answer carries no reason, so one click."""
        self._decide_at_once(key, "reject")

    @rx.event
    def open_form(self, key: str, kind: str) -> None:
        """Open the inline form of one action (edit, reject or respond)."""
        self.open_key, self.open_kind = key, kind
        self.form_errors, self.form_error = {}, ""

    def _close(self) -> None:
        self.open_key = self.open_kind = ""
        self.form_errors, self.form_error = {}, ""

    @rx.event
    def close_form(self) -> None:
        self._close()

    @rx.event
    def save_form(self, form: dict[str, Any]) -> None:
        """Submit of an action's inline form: becomes that action's draft decision."""
        key, kind = self.open_key, self.open_kind
        if not key:
            return
        try:
            decision = decision_from_form(self.cards, key, kind, form or {})
        except ArgsError as exc:
            self.form_errors = dict(exc.errors)
            self.form_error = "Fix the highlighted fields."
            return
        except HitlError as exc:
            self.form_errors, self.form_error = {}, str(exc)
            return
        self._set_draft(key, decision)
        self._close()

    @rx.event
    def undo(self, key: str) -> None:
        self.drafts = {k: v for k, v in self.drafts.items() if k != key}
        self.summaries = {k: v for k, v in self.summaries.items() if k != key}

    def _store_answer(self, card_key: str, text: str) -> None:
        text = str(text or "")
        if text.strip():
            self.drafts = {**self.drafts, card_key: {"type": "answer", "text": text}}
        else:
            self.drafts = {k: v for k, v in self.drafts.items() if k != card_key}
        self.panel_error = ""

    @rx.event
    def set_answer(self, card_key: str, text: str) -> None:
        """Free-form answer typed into a card (kept as a draft until Submit)."""
        self._store_answer(card_key, text)

    @rx.event
    def answer_card(self, card_key: str, form: dict[str, Any]):
        """A question card's own form: keep the answer; submit when nothing else waits."""
        self._store_answer(card_key, str((form or {}).get("answer") or ""))
        if ready(self.cards, self.drafts):
            return InterruptState.submit
        return None

    @rx.event
    def approve_all(self):
        """Approve every action of every card and submit."""
        for card in self.cards:
            for action in card["actions"]:
                if not action["can_approve"]:
                    self.panel_error = f"{action['name']} cannot be approved here."
                    return None
        for card in self.cards:
            for action in card["actions"]:
                self._set_draft(action["key"], approve())
        return InterruptState.submit

    # ----- answering ----------------------------------------------------------------------
    def _reviewer(self) -> str:
        if not self.reviewer:
            self.reviewer = _new_reviewer()
        return self.reviewer

    @rx.event
    async def submit(self):
        """Send every answer in one resume (keyed by interrupt id when several)."""
        chat = chat_state_named(self._chat)
        thread = await self.get_state(chat)
        if thread.is_loading:
            self.panel_error = "A run is still going; wait for it to finish."
            return None
        try:
            value, interrupt_id, is_continue = build_resume(self._raw, self.drafts)
        except HitlError as exc:
            self.panel_error = str(exc)
            return None
        self.panel_error = ""
        anchor = thread.messages[-1]["id"] if thread.messages else ""
        identity = await (await self.get_state(IdentityState)).current()
        by = identity.name if identity.is_user else self._reviewer()
        records = decision_records(self.cards, self.drafts, by=by, anchor=anchor)
        metadata = {RECORDS_KEY: records}  # on the run too, for whoever reads runs
        if is_continue:
            return [chat.continue_run(metadata),
                    InterruptState.save_records(thread.active_thread_id, records)]
        return [chat.respond(value, interrupt_id, metadata),
                InterruptState.save_records(thread.active_thread_id, records)]

    @rx.event
    def explain(self, message: str) -> None:
        """Say in the panel why the composer cannot answer (e.g. only Dismiss can)."""
        self.panel_error = message

    @rx.event
    async def answer_from_composer(self, text: str):
        """The composer was used while an interrupt is pending: answer the open
        question with it, or explain what is needed (the text is put back)."""
        target = composer_target(self.cards, self.drafts)
        if target is None:
            if self.cards and all(c["kind"] == "breakpoint" for c in self.cards):
                self.panel_error = "The run is paused: press Continue before sending a message."
            else:
                self.panel_error = (
                    "The agent is waiting for your decision: answer the request above first."
                )
            return restore_draft(text)
        self._store_answer(target, text)
        if ready(self.cards, self.drafts):
            return InterruptState.submit
        return None

    # ----- audit trail ---------------------------------------------------------------------
    @rx.event(background=True)
    async def save_records(self, thread_id: str, records: list[dict[str, Any]]):
        """Append decisions to the thread's metadata (who, when, what, under which message)."""
        if not thread_id or not records:
            return
        try:
            async with self:
                client = await acting_client(self)
            merged = await record_decisions(client.threads, thread_id, records)
        except Exception as exc:  # noqa: BLE001 - the answer itself went through
            problem = describe(exc, api_url=backend.api_url())
            async with self:
                self.panel_error = f"Your decision was sent but not recorded: {problem.title}."
            return
        async with self:
            if self.notes_thread == thread_id:
                self.notes = notes_by_message(merged)

    @rx.event(background=True)
    async def load_notes(self, thread_id: str):
        """Read the decisions recorded on `thread_id` (shown under their messages)."""
        async with self:
            if self.notes_thread != thread_id:
                self.notes_thread = thread_id
                self.notes = {}
        if not thread_id:
            return
        try:
            async with self:
                client = await acting_client(self)
            records = await read_decisions(client.threads, thread_id)
        except Exception:  # noqa: BLE001 - notes are optional; the thread view reports errors
            return
        async with self:
            if self.notes_thread == thread_id:
                self.notes = notes_by_message(records)
