"""Interrupt payloads, normalized for the UI, and the answers that resume them.

`classify(interrupt)` turns one pending interrupt (`{"id", "value"}`, plus
`response_schema` when the server sent one, or `{"when": "breakpoint"}`) into a
`PendingInterrupt` (`hitl_models`) of one kind:

- `hitl`: LangChain v1 HumanInTheLoopMiddleware batch (`action_requests` /
  `review_configs`, any spelling) -> answer `{"decisions": [...]}` (`hitl_decisions`);
- `tool_approval`: the middleware's `per_call` mode, one tool call -> one decision;
- `legacy`: agent-inbox HumanInterrupt (dict or one-item list) -> `hitl_legacy`;
- `breakpoint`: a static breakpoint -> continue with input None;
- `value`: anything else (a question text or JSON) -> `value_answer`.

Typed edit forms live in `hitl_forms`, the errors in `hitl_errors`. Bad input raises
`HitlError` with a readable message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from app.stream.hitl_errors import HitlError
from app.stream.hitl_forms import decision_branches, edit_args_schema, form_fields
from app.stream.hitl_legacy import legacy_pending, legacy_request
from app.stream.hitl_models import (
    DECISION_TYPES,
    DEFAULT_DECISIONS,
    Action,
    DecisionType,
    PendingInterrupt,
    first_key,
    text_or_empty,
)
from app.stream.plain import plain


def _ns(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw] if raw else []
    if isinstance(raw, Sequence):
        return [str(part) for part in raw]
    return []


def classify(interrupt: Any) -> PendingInterrupt:
    """Classify one interrupt (`{"id", "value", ...}`, a breakpoint marker, or None)."""
    interrupt = plain(interrupt)
    if interrupt is None:
        return PendingInterrupt(kind="breakpoint")
    if not isinstance(interrupt, Mapping):
        raise HitlError(f"an interrupt must be an object with `id` and `value`, got {interrupt!r}")
    if interrupt.get("when") == "breakpoint" or (
        "value" not in interrupt and not interrupt.get("id")
    ):
        return PendingInterrupt(kind="breakpoint", ns=_ns(interrupt.get("ns")))
    raw_id = interrupt.get("id")
    pending = classify_value(
        interrupt.get("value"),
        interrupt_id=str(raw_id) if raw_id else None,
        response_schema=first_key(interrupt, "response_schema", "responseSchema"),
    )
    pending.ns = _ns(interrupt.get("ns"))
    return pending


def classify_all(interrupts: Sequence[Any]) -> list[PendingInterrupt]:
    """Classify several interrupts, keeping their order."""
    return [classify(item) for item in interrupts]


def classify_value(
    value: Any, *, interrupt_id: str | None = None, response_schema: Any = None
) -> PendingInterrupt:
    """Classify a bare interrupt payload."""
    if is_hitl_request(value):
        return PendingInterrupt(
            kind="hitl", id=interrupt_id, value=value, actions=_hitl_actions(value)
        )
    if is_tool_approval(value):
        action = _tool_approval_action(value, response_schema)
        return PendingInterrupt(
            kind="tool_approval",
            id=interrupt_id,
            value=value,
            actions=[action],
            description=action.description,
        )
    legacy = legacy_request(value)
    if legacy is not None:
        return legacy_pending(legacy, value, interrupt_id)
    return PendingInterrupt(
        kind="value",
        id=interrupt_id,
        value=value,
        is_text=isinstance(value, str),
        description=value if isinstance(value, str) else _questiontext_or_empty(value),
    )


def _questiontext_or_empty(value: Any) -> str:
    """A readable question from a JSON payload (`question`/`message`/... key), if any."""
    if isinstance(value, Mapping):
        for key in ("question", "message", "prompt", "description", "text"):
            if isinstance(value.get(key), str):
                return value[key]
    return ""


def is_hitl_request(value: Any) -> bool:
    """True for a v1 middleware payload (snake_case or camelCase)."""
    return isinstance(value, Mapping) and isinstance(
        first_key(value, "action_requests", "actionRequests"), list
    )


def _allowed(raw: Any, where: str) -> list[DecisionType]:
    if not isinstance(raw, list):
        raise HitlError(f"{where}: allowed decisions must be a list, got {raw!r}")
    allowed: list[DecisionType] = []
    for item in raw:
        if item not in DECISION_TYPES:
            raise HitlError(f"{where}: unknown decision type {item!r}")
        if item not in allowed:
            allowed.append(item)
    return allowed


def _hitl_actions(value: Mapping[str, Any]) -> list[Action]:
    requests = first_key(value, "action_requests", "actionRequests") or []
    configs = first_key(value, "review_configs", "reviewConfigs", default=[]) or []
    if not isinstance(configs, list):
        raise HitlError("review_configs must be a list")
    by_name: dict[str, Mapping[str, Any]] = {}
    for config in configs:
        if isinstance(config, Mapping):
            name = first_key(config, "action_name", "actionName", "name")
            if isinstance(name, str):
                by_name.setdefault(name, config)
    actions = []
    for index, request in enumerate(requests):
        if not isinstance(request, Mapping):
            raise HitlError(f"action request {index + 1} is not an object: {request!r}")
        name = first_key(request, "name", "action")
        if not isinstance(name, str) or not name:
            raise HitlError(f"action request {index + 1} has no tool name")
        args = first_key(request, "args", "arguments", default={}) or {}
        if not isinstance(args, Mapping):
            raise HitlError(f"action request {index + 1} ({name}): args must be an object")
        config = _config_for(configs, by_name, index, name) or {}
        raw_allowed = first_key(config, "allowed_decisions", "allowedDecisions")
        allowed = (
            list(DEFAULT_DECISIONS)
            if raw_allowed is None
            else _allowed(raw_allowed, f"review config of {name}")
        )
        schema = first_key(config, "args_schema", "arguments_schema", "argsSchema",
                           "argumentsSchema")
        schema = schema if isinstance(schema, Mapping) else None
        actions.append(
            Action(
                name=name,
                args=dict(args),
                description=text_or_empty(request.get("description")),
                allowed=allowed,
                args_schema=dict(schema) if schema else None,
                fields=form_fields(schema, args),
            )
        )
    return actions


def _config_for(
    configs: list[Any], by_name: Mapping[str, Mapping[str, Any]], index: int, name: str
) -> Mapping[str, Any] | None:
    """The review config of action `index`: same position when its name matches, else by name."""
    if index < len(configs) and isinstance(configs[index], Mapping):
        positional = first_key(configs[index], "action_name", "actionName", "name")
        if positional == name:
            return configs[index]
    return by_name.get(name)


def is_tool_approval(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and value.get("type") == "tool_approval"
        and isinstance(value.get("name"), str)
    )


def _tool_approval_action(value: Mapping[str, Any], response_schema: Any) -> Action:
    branches = decision_branches(response_schema)
    allowed: list[DecisionType] = [d for d in DECISION_TYPES if d in branches] or list(
        DEFAULT_DECISIONS
    )
    schema = (
        edit_args_schema(branches["edit"], response_schema)
        if "edit" in branches and isinstance(response_schema, Mapping)
        else None
    )
    args = value.get("args") if isinstance(value.get("args"), Mapping) else {}
    return Action(
        name=value["name"],
        args=dict(args),
        description=text_or_empty(value.get("description")),
        allowed=allowed,
        args_schema=schema,
        fields=form_fields(schema, args),
        tool_call_id=value.get("tool_call_id")
        if isinstance(value.get("tool_call_id"), str)
        else None,
    )


def value_answer(pending: PendingInterrupt, text: str, *, as_json: bool | None = None) -> Any:
    """The answer to a generic interrupt, from what the user typed.

    `as_json=True` parses JSON (error if invalid); False sends the text; None (auto)
    parses JSON only when the payload itself was not a plain string and the text parses.
    """
    if pending.kind != "value":
        raise HitlError(f"not a generic interrupt (kind {pending.kind})")
    if as_json is None:
        as_json = not pending.is_text
        if as_json:
            try:
                return json.loads(text)
            except ValueError:
                return text
    if as_json:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise HitlError(f"the answer is not valid JSON: {exc}") from None
    return text


def continue_input() -> None:
    """The run input that continues past a static breakpoint."""
    return None


def answers_by_id(
    answers: Mapping[str, Any] | Sequence[tuple[PendingInterrupt, Any]],
) -> dict[str, Any]:
    """`{interrupt_id: answer}` for answering several interrupts in one resume.

    Takes a mapping or `(pending, answer)` pairs; refuses interrupts without an id
    (breakpoints) and duplicate ids.
    """
    pairs = answers.items() if isinstance(answers, Mapping) else answers
    out: dict[str, Any] = {}
    for key, answer in pairs:
        if isinstance(key, PendingInterrupt):
            if key.kind == "breakpoint" or not key.id:
                raise HitlError("a breakpoint cannot be answered by id; continue the run instead")
            key = key.id
        if not isinstance(key, str) or not key:
            raise HitlError(f"interrupt ids must be non-empty text, got {key!r}")
        if key in out:
            raise HitlError(f"interrupt {key} answered twice")
        out[key] = answer
    if not out:
        raise HitlError("nothing to answer")
    return out
