"""The legacy agent-inbox `HumanInterrupt` format: recognising it and answering it.

Payload: `{"action_request": {"action", "args"}, "config": {"allow_*": bool},
"description"}` (often a one-item list); answer: a one-item list
`[{"type": "accept" | "edit" | "response" | "ignore", "args": ...}]`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.stream.hitl_decisions import check_decision
from app.stream.hitl_errors import HitlError
from app.stream.hitl_forms import form_fields
from app.stream.hitl_models import (
    Action,
    DecisionType,
    LegacyConfig,
    LegacyType,
    PendingInterrupt,
    first_key,
    text_or_empty,
)


def legacy_request(value: Any) -> Mapping[str, Any] | None:
    """The HumanInterrupt inside `value` (a dict, or a one-item list), else None."""
    item = value[0] if isinstance(value, list) and len(value) == 1 else value
    if (
        isinstance(item, Mapping)
        and isinstance(first_key(item, "action_request", "actionRequest"), Mapping)
        and isinstance(item.get("config", {}), Mapping)
    ):
        return item
    return None


def legacy_pending(item: Mapping[str, Any], value: Any,
                   interrupt_id: str | None) -> PendingInterrupt:
    """The PendingInterrupt for a HumanInterrupt `item` found in the payload `value`."""
    request = first_key(item, "action_request", "actionRequest")
    name = first_key(request, "action", "name")
    args = first_key(request, "args", "arguments", default={}) or {}
    if not isinstance(name, str) or not isinstance(args, Mapping):
        raise HitlError("legacy interrupt: action_request needs an action name and args object")
    raw = item.get("config") or {}
    config = LegacyConfig(
        **{
            key: bool(first_key(raw, key, _camel(key), default=True))
            for key in ("allow_accept", "allow_edit", "allow_respond", "allow_ignore")
        }
    )
    legacy_allowed: list[DecisionType] = []
    if config.allow_accept:
        legacy_allowed.append("approve")
    if config.allow_edit:
        legacy_allowed.append("edit")
    if config.allow_ignore:
        legacy_allowed.append("reject")
    if config.allow_respond:
        legacy_allowed.append("respond")
    action = Action(
        name=name,
        args=dict(args),
        description=text_or_empty(item.get("description")),
        allowed=legacy_allowed,
        fields=form_fields(None, args),
    )
    return PendingInterrupt(
        kind="legacy",
        id=interrupt_id,
        value=value,
        actions=[action],
        legacy=config,
        description=action.description,
    )


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


def legacy_answer(pending: PendingInterrupt, kind: str, args: Any = None) -> list[dict[str, Any]]:
    """The one-item list answering a legacy HumanInterrupt.

    accept: the action request echoed; edit: `args` are the edited tool args;
    response: `args` is the reply text; ignore: no args.
    """
    if pending.kind != "legacy" or pending.legacy is None:
        raise HitlError(f"not a legacy HumanInterrupt (kind {pending.kind})")
    if kind not in ("accept", "edit", "response", "ignore"):
        raise HitlError(f"unknown legacy answer type {kind!r}")
    if kind not in pending.legacy.allowed():
        raise HitlError(
            f"{kind} is not allowed here (allowed: {', '.join(pending.legacy.allowed())})"
        )
    action = pending.actions[0]
    if kind == "accept":
        return [{"type": "accept", "args": {"action": action.name, "args": action.args}}]
    if kind == "edit":
        if not isinstance(args, Mapping):
            raise HitlError("an edit needs the edited args as an object")
        return [{"type": "edit", "args": {"action": action.name, "args": dict(args)}}]
    if kind == "response":
        if not isinstance(args, str) or not args.strip():
            raise HitlError("a response needs a message")
        return [{"type": "response", "args": args}]
    return [{"type": "ignore", "args": None}]


_LEGACY_FOR: dict[str, LegacyType] = {
    "approve": "accept",
    "edit": "edit",
    "reject": "ignore",
    "respond": "response",
}


def legacy_answer_from_decision(pending: PendingInterrupt, decision: Any) -> list[dict[str, Any]]:
    """A legacy answer from a v1-style decision (the UI uses one set of widgets):
    approve -> accept, edit -> edit, reject -> ignore, respond -> response."""
    if pending.kind != "legacy" or not pending.actions:
        raise HitlError(f"not a legacy HumanInterrupt (kind {pending.kind})")
    checked = check_decision(pending.actions[0], decision)
    kind = _LEGACY_FOR[checked["type"]]
    if kind == "edit":
        return legacy_answer(pending, kind, checked["edited_action"]["args"])
    if kind == "response":
        return legacy_answer(pending, kind, checked["message"])
    return legacy_answer(pending, kind)
