"""Interrupt payloads, normalized for the UI, and the answers that resume them.

`classify(interrupt)` turns one pending interrupt (`{"id", "value"}`, plus
`response_schema` when the server sent one, or `{"when": "breakpoint"}`) into a
`PendingInterrupt` of one kind:

- `hitl`: LangChain v1 HumanInTheLoopMiddleware batch (`action_requests` /
  `review_configs`, any spelling) -> answer `{"decisions": [...]}` via `hitl_answer`;
- `tool_approval`: the middleware's `per_call` mode, one tool call -> one decision via
  `tool_approval_answer`;
- `legacy`: agent-inbox HumanInterrupt (dict or one-item list) -> `legacy_answer`;
- `breakpoint`: a static breakpoint -> continue with input None;
- `value`: anything else (a question text or JSON) -> `value_answer`.

Typed edit forms (`form_fields`, `coerce_args`) live in `hitl_forms` and the errors in
`hitl_errors`; both are re-exported here. Everything is pydantic, so `model_dump()` gives
plain JSON for Reflex state. Bad input raises `HitlError` with a readable message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.stream.hitl_errors import ArgsError as ArgsError  # re-exported
from app.stream.hitl_errors import HitlError
from app.stream.hitl_forms import FieldType as FieldType  # re-exported
from app.stream.hitl_forms import FormField, form_fields, resolve_ref
from app.stream.hitl_forms import coerce_args as coerce_args  # re-exported
from app.stream.hitl_forms import coerce_value as coerce_value  # re-exported
from app.stream.hitl_forms import field_text as field_text  # re-exported

Kind = Literal["hitl", "tool_approval", "legacy", "breakpoint", "value"]
DecisionType = Literal["approve", "edit", "reject", "respond"]
LegacyType = Literal["accept", "edit", "response", "ignore"]

DECISION_TYPES: tuple[DecisionType, ...] = ("approve", "edit", "reject", "respond")
DEFAULT_DECISIONS: list[DecisionType] = ["approve", "edit", "reject"]
"""Allowed when a HITL request names no review config for an action."""


# -- models -------------------------------------------------------------------------


class Action(BaseModel):
    """One tool call waiting for review."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    description: str = ""
    allowed: list[DecisionType] = Field(default_factory=list)
    args_schema: dict[str, Any] | None = None
    fields: list[FormField] = Field(default_factory=list)
    tool_call_id: str | None = None


class LegacyConfig(BaseModel):
    """Which answers a legacy HumanInterrupt allows."""

    allow_accept: bool = True
    allow_edit: bool = True
    allow_respond: bool = True
    allow_ignore: bool = True

    def allowed(self) -> list[LegacyType]:
        flags: list[tuple[LegacyType, bool]] = [
            ("accept", self.allow_accept),
            ("edit", self.allow_edit),
            ("response", self.allow_respond),
            ("ignore", self.allow_ignore),
        ]
        return [kind for kind, on in flags if on]


class PendingInterrupt(BaseModel):
    """One interrupt, classified for display and answering."""

    kind: Kind
    id: str | None = None
    value: Any = None
    """The raw payload, as received."""
    actions: list[Action] = Field(default_factory=list)
    """`hitl`: every action of the batch; `tool_approval` and `legacy`: exactly one."""
    legacy: LegacyConfig | None = None
    description: str = ""
    """Markdown shown above the actions (legacy) or the question text (`value`)."""
    is_text: bool = False
    """`value` kind: the payload is a plain string (answer with text)."""
    ns: list[str] = Field(default_factory=list)

    @property
    def needs_resume(self) -> bool:
        """True when answered with a `command.resume`; a breakpoint continues with input None."""
        return self.kind != "breakpoint"


# -- small helpers --------------------------------------------------------------------


def _first(data: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    """The value of the first key present in `data` (spelling variants)."""
    for key in keys:
        if key in data:
            return data[key]
    return default


def _as_mapping(item: Any) -> Any:
    dump = getattr(item, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return item


def _ns(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw] if raw else []
    if isinstance(raw, Sequence):
        return [str(part) for part in raw]
    return []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


# -- classify -------------------------------------------------------------------------


def classify(interrupt: Any) -> PendingInterrupt:
    """Classify one interrupt (`{"id", "value", ...}`, a breakpoint marker, or None)."""
    interrupt = _as_mapping(interrupt)
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
        response_schema=_first(interrupt, "response_schema", "responseSchema"),
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
        return _legacy(legacy, value, interrupt_id)
    return PendingInterrupt(
        kind="value",
        id=interrupt_id,
        value=value,
        is_text=isinstance(value, str),
        description=value if isinstance(value, str) else _question_text(value),
    )


def _question_text(value: Any) -> str:
    """A readable question from a JSON payload (`question`/`message`/... key), if any."""
    if isinstance(value, Mapping):
        for key in ("question", "message", "prompt", "description", "text"):
            if isinstance(value.get(key), str):
                return value[key]
    return ""


# -- HITL v1 (batched) ----------------------------------------------------------------


def is_hitl_request(value: Any) -> bool:
    """True for a v1 middleware payload (snake_case or camelCase)."""
    return isinstance(value, Mapping) and isinstance(
        _first(value, "action_requests", "actionRequests"), list
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
    requests = _first(value, "action_requests", "actionRequests") or []
    configs = _first(value, "review_configs", "reviewConfigs", default=[]) or []
    if not isinstance(configs, list):
        raise HitlError("review_configs must be a list")
    by_name: dict[str, Mapping[str, Any]] = {}
    for config in configs:
        if isinstance(config, Mapping):
            name = _first(config, "action_name", "actionName", "name")
            if isinstance(name, str):
                by_name.setdefault(name, config)
    actions = []
    for index, request in enumerate(requests):
        if not isinstance(request, Mapping):
            raise HitlError(f"action request {index + 1} is not an object: {request!r}")
        name = _first(request, "name", "action")
        if not isinstance(name, str) or not name:
            raise HitlError(f"action request {index + 1} has no tool name")
        args = _first(request, "args", "arguments", default={}) or {}
        if not isinstance(args, Mapping):
            raise HitlError(f"action request {index + 1} ({name}): args must be an object")
        config = _config_for(configs, by_name, index, name) or {}
        raw_allowed = _first(config, "allowed_decisions", "allowedDecisions")
        allowed = (
            list(DEFAULT_DECISIONS)
            if raw_allowed is None
            else _allowed(raw_allowed, f"review config of {name}")
        )
        schema = _first(config, "args_schema", "arguments_schema", "argsSchema", "argumentsSchema")
        schema = schema if isinstance(schema, Mapping) else None
        actions.append(
            Action(
                name=name,
                args=dict(args),
                description=_text(request.get("description")),
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
        positional = _first(configs[index], "action_name", "actionName", "name")
        if positional == name:
            return configs[index]
    return by_name.get(name)


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


# -- HITL per_call (tool_approval) ----------------------------------------------------


def is_tool_approval(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and value.get("type") == "tool_approval"
        and isinstance(value.get("name"), str)
    )


def _decision_branches(schema: Any) -> dict[str, Mapping[str, Any]]:
    """Decision type -> its branch schema, from a `response_schema` (oneOf/anyOf/single)."""
    if not isinstance(schema, Mapping):
        return {}
    members = schema.get("oneOf") or schema.get("anyOf") or [schema]
    branches: dict[str, Mapping[str, Any]] = {}
    for member in members:
        branch = resolve_ref(member, schema)
        if not isinstance(branch, Mapping):
            continue
        kind = (branch.get("properties") or {}).get("type") or {}
        kind = resolve_ref(kind, schema)
        const = kind.get("const") if isinstance(kind, Mapping) else None
        if const is None and isinstance(kind, Mapping) and len(kind.get("enum") or []) == 1:
            const = kind["enum"][0]
        if const in DECISION_TYPES:
            branches[const] = branch
    return branches


def _edit_args_schema(branch: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any] | None:
    edited = resolve_ref((branch.get("properties") or {}).get("edited_action"), root)
    if not isinstance(edited, Mapping):
        return None
    args = resolve_ref((edited.get("properties") or {}).get("args"), root)
    if not isinstance(args, Mapping):
        return None
    return _inline_refs(args, root)


def _inline_refs(schema: Any, root: Mapping[str, Any], depth: int = 0) -> Any:
    """`schema` with local refs replaced by their targets (so it stands on its own)."""
    if depth > 20:
        return schema
    schema = resolve_ref(schema, root)
    if isinstance(schema, Mapping):
        return {k: _inline_refs(v, root, depth + 1) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline_refs(v, root, depth + 1) for v in schema]
    return schema


def _tool_approval_action(value: Mapping[str, Any], response_schema: Any) -> Action:
    branches = _decision_branches(response_schema)
    allowed: list[DecisionType] = [d for d in DECISION_TYPES if d in branches] or list(
        DEFAULT_DECISIONS
    )
    schema = (
        _edit_args_schema(branches["edit"], response_schema)
        if "edit" in branches and isinstance(response_schema, Mapping)
        else None
    )
    args = value.get("args") if isinstance(value.get("args"), Mapping) else {}
    return Action(
        name=value["name"],
        args=dict(args),
        description=_text(value.get("description")),
        allowed=allowed,
        args_schema=schema,
        fields=form_fields(schema, args),
        tool_call_id=value.get("tool_call_id")
        if isinstance(value.get("tool_call_id"), str)
        else None,
    )


def tool_approval_answer(pending: PendingInterrupt, decision: Any) -> dict[str, Any]:
    """The single decision that answers one `per_call` tool approval."""
    if pending.kind != "tool_approval":
        raise HitlError(f"not a tool approval (kind {pending.kind})")
    return check_decision(pending.actions[0], decision)


# -- legacy HumanInterrupt -------------------------------------------------------------


def legacy_request(value: Any) -> Mapping[str, Any] | None:
    """The HumanInterrupt inside `value` (a dict, or a one-item list), else None."""
    item = value[0] if isinstance(value, list) and len(value) == 1 else value
    if (
        isinstance(item, Mapping)
        and isinstance(_first(item, "action_request", "actionRequest"), Mapping)
        and isinstance(item.get("config", {}), Mapping)
    ):
        return item
    return None


def _legacy(item: Mapping[str, Any], value: Any, interrupt_id: str | None) -> PendingInterrupt:
    request = _first(item, "action_request", "actionRequest")
    name = _first(request, "action", "name")
    args = _first(request, "args", "arguments", default={}) or {}
    if not isinstance(name, str) or not isinstance(args, Mapping):
        raise HitlError("legacy interrupt: action_request needs an action name and args object")
    raw = item.get("config") or {}
    config = LegacyConfig(
        **{
            key: bool(_first(raw, key, _camel(key), default=True))
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
        description=_text(item.get("description")),
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


# -- generic values and breakpoints ---------------------------------------------------


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
