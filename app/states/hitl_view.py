"""Human-in-the-loop cards for the chat UI, as plain data (no Reflex).

`cards(interrupts)` turns the pending interrupts into view dicts the interrupt panel
renders (`Card`, `CardAction`). The user's choices are *drafts*, kept per action key
(`"<card>:<action>"`) or per card key (free-form answers); `ready(cards, drafts)` says
whether every interrupt has an answer and `build_resume(interrupts, drafts)` turns the
drafts into the value sent with `command.resume` (one interrupt) or a map keyed by
interrupt id (several). `decision_records` describes what was decided, for the thread's
audit trail. Bad input raises `HitlError` with a readable message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from app.stream.hitl import classify, value_answer
from app.stream.hitl_decisions import (
    approve,
    edit,
    hitl_answer,
    reject,
    respond,
    tool_approval_answer,
)
from app.stream.hitl_errors import ArgsError, HitlError
from app.stream.hitl_forms import FormField, coerce_args
from app.stream.hitl_legacy import legacy_answer_from_decision
from app.stream.hitl_models import PendingInterrupt

__all__ = [
    "ArgsError",
    "HitlError",
    "action_key",
    "build_resume",
    "cards",
    "composer_target",
    "decision_from_form",
    "decision_records",
    "draft_summary",
    "pretty",
    "ready",
]

MAX_ARG_TEXT = 4000


def action_key(card: int | str, action: int | str) -> str:
    return f"{card}:{action}"


def pretty(value: Any) -> str:
    """A readable JSON text for any payload."""
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _classify(raw: Any) -> tuple[PendingInterrupt | None, str]:
    """The classified interrupt, or None and why it could not be read."""
    try:
        return classify(raw), ""
    except HitlError as exc:
        return None, str(exc)


def _field_view(field: FormField) -> dict[str, Any]:
    """A form field for the browser: the field itself plus how to draw it."""
    return {
        **field.model_dump(mode="json"),
        "choice_labels": [c if isinstance(c, str) else json.dumps(c) for c in field.choices],
        "input_type": "number" if field.type in ("integer", "number") else "text",
        "step": "1" if field.type == "integer" else "any",
        "hint": _hint(field),
    }


def _hint(field: FormField) -> str:
    parts = [field.description] if field.description else []
    kind = {"integer": "whole number", "number": "number", "boolean": "true or false",
            "json": f"JSON {field.json_type or 'value'}"}.get(field.type)
    if kind:
        parts.append(kind)
    if field.minimum is not None or field.maximum is not None:
        low = "" if field.minimum is None else f"≥ {field.minimum:g}"
        high = "" if field.maximum is None else f"≤ {field.maximum:g}"
        parts.append(" ".join(p for p in (low, high) if p))
    return " · ".join(parts)


def _action_view(card_key: str, index: int, action: Any) -> dict[str, Any]:
    args_text = pretty(action.args)
    if len(args_text) > MAX_ARG_TEXT:
        args_text = args_text[:MAX_ARG_TEXT] + "\n…"
    return {
        "key": action_key(card_key, index),
        "index": index,
        "name": action.name,
        "description": action.description,
        "args_text": args_text,
        "allowed": list(action.allowed),
        "can_approve": "approve" in action.allowed,
        "can_edit": "edit" in action.allowed,
        "can_reject": "reject" in action.allowed,
        "can_respond": "respond" in action.allowed,
        "fields": [_field_view(f) for f in action.fields],
    }


_TITLES = {
    "hitl": "Review before the agent acts",
    "tool_approval": "Approve this tool call?",
    "legacy": "Review this action",
    "breakpoint": "Paused at a breakpoint",
    "value": "The agent asks",
}


def cards(interrupts: Sequence[Any]) -> list[dict[str, Any]]:
    """One view card per pending interrupt, in order. An interrupt that cannot be read
    becomes a `value` card showing its raw payload (it can still be answered as JSON)."""
    result: list[dict[str, Any]] = []
    for position, raw in enumerate(interrupts):
        card_key = str(position)
        pending, problem = _classify(raw)
        if pending is None:
            value = raw.get("value") if isinstance(raw, Mapping) else raw
            pending = PendingInterrupt(
                kind="value",
                id=str(raw.get("id") or "") if isinstance(raw, Mapping) else None,
                value=value,
            )
        legacy = pending.kind == "legacy"
        actions = [_action_view(card_key, i, a) for i, a in enumerate(pending.actions)]
        question = pending.description if pending.kind == "value" else ""
        payload = ""
        if pending.kind == "value" and not pending.is_text:
            payload = pretty(pending.value)
        count = len(actions)
        title = _TITLES[pending.kind]
        if pending.kind == "hitl" and count > 1:
            title = f"Review {count} tool calls before the agent acts"
        result.append(
            {
                "key": card_key,
                "id": pending.id or "",
                "kind": pending.kind,
                "title": title,
                "description": "" if pending.kind == "value" else pending.description,
                "question": question,
                "payload": payload,
                "is_text": pending.is_text,
                "actions": actions,
                "all_approve": bool(actions) and all(a["can_approve"] for a in actions),
                "approve_label": "Accept" if legacy else "Approve",
                "reject_label": "Ignore" if legacy else "Reject",
                "problem": problem,
            }
        )
    return result


# -- drafts ------------------------------------------------------------------------------


def _find_action(cards_: Sequence[Mapping[str, Any]], key: str) -> Mapping[str, Any]:
    for card in cards_:
        for action in card.get("actions") or []:
            if action.get("key") == key:
                return action
    raise HitlError(f"unknown action {key!r} (the request may have been answered already)")


def _fields_of(action: Mapping[str, Any]) -> list[FormField]:
    known = FormField.model_fields
    return [
        FormField.model_validate({k: v for k, v in f.items() if k in known})
        for f in action.get("fields") or []
    ]


def decision_from_form(
    cards_: Sequence[Mapping[str, Any]],
    key: str,
    kind: str,
    form: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The draft decision for action `key` from a button or a form.

    approve: nothing needed; reject: optional `message`; respond: `message` required;
    edit: one form value per field, coerced to the field's type (ArgsError lists bad
    fields).
    """
    action = _find_action(cards_, key)
    form = dict(form or {})
    if kind not in action["allowed"]:
        raise HitlError(f"{action['name']}: {kind} is not allowed here")
    if kind == "approve":
        return approve()
    if kind == "reject":
        return reject(str(form.get("message") or "").strip() or None)
    if kind == "respond":
        message = str(form.get("message") or "").strip()
        if not message:
            raise HitlError("Write the message to send back to the agent")
        return respond(message)
    if kind == "edit":
        values = {name: _form_text(value) for name, value in form.items()}
        return edit(action["name"], coerce_args(_fields_of(action), values))
    raise HitlError(f"unknown decision {kind!r}")


def _form_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def draft_summary(decision: Mapping[str, Any], *, legacy: bool = False) -> str:
    """A short line saying what a draft decision does."""
    kind = decision.get("type")
    if kind == "approve":
        return "Accepted" if legacy else "Approved"
    if kind == "reject":
        word = "Ignored" if legacy else "Rejected"
        message = decision.get("message")
        return f"{word}: {message}" if message else word
    if kind == "respond":
        return f"Responded: {decision.get('message', '')}"
    if kind == "edit":
        args = (decision.get("edited_action") or {}).get("args") or {}
        shown = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
        return f"Edited: {shown}" if shown else "Edited"
    if kind == "answer":
        return f"Answer: {decision.get('text', '')}"
    return str(kind or "")


def ready(cards_: Sequence[Mapping[str, Any]], drafts: Mapping[str, Any]) -> bool:
    """True when every pending interrupt has an answer (breakpoints need none)."""
    if not cards_:
        return False
    for card in cards_:
        kind = card.get("kind")
        if kind == "breakpoint":
            continue
        if kind == "value":
            draft = drafts.get(str(card["key"]))
            if not draft or not str(draft.get("text") or "").strip():
                return False
            continue
        for action in card.get("actions") or []:
            if action["key"] not in drafts:
                return False
    return True


def _answer(pending: PendingInterrupt, card_key: str, drafts: Mapping[str, Any]) -> Any:
    if pending.kind == "value":
        draft = drafts.get(card_key) or {}
        text = str(draft.get("text") or "")
        if not text.strip():
            raise HitlError("Type an answer first")
        return value_answer(pending, text)
    decisions = [drafts.get(action_key(card_key, i)) for i in range(len(pending.actions))]
    if pending.kind == "hitl":
        return hitl_answer(pending, decisions)
    if decisions[0] is None:
        raise HitlError(f"{pending.actions[0].name}: still undecided")
    if pending.kind == "tool_approval":
        return tool_approval_answer(pending, decisions[0])
    return legacy_answer_from_decision(pending, decisions[0])


def build_resume(
    interrupts: Sequence[Any], drafts: Mapping[str, Any]
) -> tuple[Any, str | None, bool]:
    """`(value, interrupt_id, is_continue)` to resume with.

    One interrupt: its answer and its id. Several: `{interrupt_id: answer}` and None.
    Only breakpoints: `(None, None, True)` (continue the run with no input).
    """
    classified = [classify(raw) for raw in interrupts]
    if not classified:
        raise HitlError("Nothing is waiting for an answer")
    answerable = [(str(i), p) for i, p in enumerate(classified) if p.kind != "breakpoint"]
    if not answerable:
        return None, None, True
    answers = [(p, _answer(p, key, drafts)) for key, p in answerable]
    if len(answers) == 1:
        pending, value = answers[0]
        return value, pending.id, False
    missing = [p for p, _ in answers if not p.id]
    if missing:
        raise HitlError("Several interrupts are pending but one has no id; cannot answer")
    by_id: dict[str, Any] = {}
    for pending, value in answers:
        by_id[str(pending.id)] = value
    return by_id, None, False


def composer_target(cards_: Sequence[Mapping[str, Any]], drafts: Mapping[str, Any]) -> str | None:
    """The card a composer message answers: the only free-form question still without an
    answer when every other interrupt is answered (None: the composer cannot answer)."""
    open_values = [
        c for c in cards_
        if c.get("kind") == "value" and not str((drafts.get(c["key"]) or {}).get("text") or "")
    ]
    if len(open_values) != 1:
        return None
    target = str(open_values[0]["key"])
    others = [c for c in cards_ if str(c["key"]) != target and c.get("kind") != "breakpoint"]
    if others and not ready(others, drafts):
        return None
    return target


# -- audit trail -------------------------------------------------------------------------


def decision_records(
    cards_: Sequence[Mapping[str, Any]],
    drafts: Mapping[str, Any],
    *,
    by: str,
    anchor: str,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """One record per answered interrupt: who, when, what (one line per action), and
    the message it belongs under (`anchor`)."""
    when = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    records = []
    for card in cards_:
        kind = card.get("kind")
        if kind == "breakpoint":
            lines = ["Continued past a breakpoint"]
        elif kind == "value":
            lines = [draft_summary(drafts.get(card["key"]) or {"type": "answer"})]
        else:
            lines = []
            for action in card.get("actions") or []:
                decision = drafts.get(action["key"]) or {}
                summary = draft_summary(decision, legacy=kind == "legacy")
                lines.append(f"{action['name']}: {summary}")
        records.append(
            {
                "at": when,
                "by": by,
                "message_id": anchor,
                "interrupt_id": card.get("id") or "",
                "kind": kind,
                "lines": lines,
            }
        )
    return records


def notes_by_message(records: Sequence[Any]) -> dict[str, list[str]]:
    """Display lines per message id, from the records kept in thread metadata."""
    notes: dict[str, list[str]] = {}
    for record in records:
        if not isinstance(record, Mapping):
            continue
        anchor = str(record.get("message_id") or "")
        lines = [str(line) for line in record.get("lines") or [] if line]
        if not anchor or not lines:
            continue
        stamp = _stamp(str(record.get("at") or ""))
        who = str(record.get("by") or "someone")
        notes.setdefault(anchor, []).extend(f"{line} — {who}, {stamp}" for line in lines)
    return notes


def _stamp(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso or "unknown time"
    return moment.strftime("%Y-%m-%d %H:%M UTC")
