"""LangChain v1 human-in-the-loop decisions: building them, checking them against what an
action allows, and the answers for a batch (`{"decisions": [...]}`) and for one
`per_call` tool approval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.stream.hitl_errors import HitlError
from app.stream.hitl_models import DECISION_TYPES, Action, PendingInterrupt


def approve() -> dict[str, Any]:
    return {"type": "approve"}


def edit(name: str, args: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "edit", "edited_action": {"name": name, "args": dict(args)}}


def reject(message: str | None = None) -> dict[str, Any]:
    return {"type": "reject", "message": message} if message else {"type": "reject"}


def respond(message: str) -> dict[str, Any]:
    return {"type": "respond", "message": message}


def check_decision(action: Action, decision: Any, where: str = "") -> dict[str, Any]:
    """A decision for `action`, checked against its allowed types; returned cleaned."""
    label = where or action.name
    if not isinstance(decision, Mapping):
        raise HitlError(f"{label}: no decision yet")
    kind = decision.get("type")
    if kind not in DECISION_TYPES:
        raise HitlError(f"{label}: unknown decision type {kind!r}")
    if kind not in action.allowed:
        allowed = ", ".join(action.allowed) or "nothing"
        raise HitlError(f"{label}: {kind} is not allowed (allowed: {allowed})")
    if kind == "approve":
        return approve()
    if kind == "reject":
        message = decision.get("message")
        if message is not None and not isinstance(message, str):
            raise HitlError(f"{label}: the reject reason must be text")
        return reject(message.strip() if message else None)
    if kind == "respond":
        message = decision.get("message")
        if not isinstance(message, str) or not message.strip():
            raise HitlError(f"{label}: a response needs a message")
        return respond(message)
    edited = decision.get("edited_action")
    if not isinstance(edited, Mapping):
        raise HitlError(f"{label}: an edit needs edited_action {{name, args}}")
    name = edited.get("name") or action.name
    args = edited.get("args")
    if not isinstance(name, str) or not isinstance(args, Mapping):
        raise HitlError(f"{label}: an edit needs a tool name and an args object")
    return edit(name, args)


def hitl_answer(pending: PendingInterrupt, decisions: Sequence[Any]) -> dict[str, Any]:
    """`{"decisions": [...]}` in request order; refuses undecided or disallowed actions."""
    if pending.kind != "hitl":
        raise HitlError(f"not a human-in-the-loop request (kind {pending.kind})")
    if len(decisions) != len(pending.actions):
        raise HitlError(f"{len(pending.actions)} action(s) need a decision, got {len(decisions)}")
    missing = [a.name for a, d in zip(pending.actions, decisions, strict=True) if d is None]
    if missing:
        raise HitlError(f"still undecided: {', '.join(missing)}")
    checked = [
        check_decision(action, decision, f"{action.name} (action {index + 1})")
        for index, (action, decision) in enumerate(zip(pending.actions, decisions, strict=True))
    ]
    return {"decisions": checked}


def approve_all(pending: PendingInterrupt) -> dict[str, Any]:
    """Approve every action of a batch (refused unless every action allows approve)."""
    return hitl_answer(pending, [approve() for _ in pending.actions])


def tool_approval_answer(pending: PendingInterrupt, decision: Any) -> dict[str, Any]:
    """The single decision that answers one `per_call` tool approval."""
    if pending.kind != "tool_approval":
        raise HitlError(f"not a tool approval (kind {pending.kind})")
    return check_decision(pending.actions[0], decision)
