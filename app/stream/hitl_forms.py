"""Typed edit forms for tool-call arguments: `form_fields` describes the inputs from a
JSON schema (or from the current args), `coerce_args` turns the form's strings back into
typed args (raising `ArgsError` listing every bad field)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.stream.hitl_errors import ArgsError, HitlError

FieldType = Literal["string", "integer", "number", "boolean", "enum", "json"]



class FormField(BaseModel):
    """One input of a typed edit form."""

    name: str
    label: str
    type: FieldType = "string"
    required: bool = False
    default: Any = None
    """The schema's default, if any."""
    value: str = ""
    """The initial text of the input (the current argument, else the default)."""
    choices: list[Any] = Field(default_factory=list)
    """Allowed values of an `enum` field."""
    description: str = ""
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    json_type: str | None = None
    """For `json` fields: the JSON type the value must have (`object`, `array`, ...)."""


def resolve_ref(schema: Any, root: Mapping[str, Any]) -> Any:
    """Follow a local `$ref` ("#/$defs/X") inside `root`."""
    seen = 0
    while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str) and seen < 20:
        ref: str = schema["$ref"]
        if not ref.startswith("#/"):
            return schema
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, Mapping) else None
        if target is None:
            return schema
        schema, seen = target, seen + 1
    return schema


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


_SIMPLE: dict[str, FieldType] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


def _label(name: str, schema: Mapping[str, Any]) -> str:
    title = schema.get("title")
    return title if isinstance(title, str) and title else name.replace("_", " ").capitalize()


def _field_type(schema: Mapping[str, Any]) -> tuple[FieldType, bool, str | None, list[Any]]:
    """(field type, nullable, json type, enum choices) for a property schema."""
    nullable = False
    options = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(options, list):
        non_null = [o for o in options if not (isinstance(o, Mapping) and o.get("type") == "null")]
        nullable = len(non_null) < len(options)
        if len(non_null) == 1 and isinstance(non_null[0], Mapping):
            kind, _, json_type, choices = _field_type(non_null[0])
            return kind, nullable, json_type, choices
        return "json", nullable, None, []
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        choices = [c for c in schema["enum"] if c is not None]
        return "enum", len(choices) < len(schema["enum"]), None, choices
    if "const" in schema:
        return "enum", False, None, [schema["const"]]
    raw = schema.get("type")
    if isinstance(raw, list):
        nullable = "null" in raw
        types = [t for t in raw if t != "null"]
        raw = types[0] if len(types) == 1 else None
    if raw in _SIMPLE:
        return _SIMPLE[raw], nullable, None, []
    return "json", nullable, raw if isinstance(raw, str) else None, []


def _infer(value: Any) -> FieldType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "json"


def field_text(kind: FieldType, value: Any) -> str:
    """How a typed value shows in a form input."""
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "json" or not isinstance(value, str | int | float):
        return json.dumps(value)
    return str(value)


def form_fields(
    schema: Mapping[str, Any] | None, args: Mapping[str, Any] | None = None
) -> list[FormField]:
    """The inputs of an edit form: one per schema property (then any extra arg).

    Without a schema, types are inferred from the current args.
    """
    args = args or {}
    fields: list[FormField] = []
    properties = (schema or {}).get("properties")
    required = set((schema or {}).get("required") or [])
    if isinstance(properties, Mapping):
        for name, raw in properties.items():
            prop = resolve_ref(raw, schema or {})
            prop = prop if isinstance(prop, Mapping) else {}
            kind, nullable, json_type, choices = _field_type(prop)
            default = prop.get("default")
            current = args.get(name, default)
            fields.append(
                FormField(
                    name=name,
                    label=_label(name, prop),
                    type=kind,
                    required=name in required,
                    default=default,
                    value=field_text(kind, current),
                    choices=choices,
                    description=_text(prop.get("description")),
                    nullable=nullable,
                    minimum=_number(prop.get("minimum")),
                    maximum=_number(prop.get("maximum")),
                    json_type=json_type,
                )
            )
    known = {f.name for f in fields}
    for name, value in args.items():
        if name not in known:
            kind = _infer(value)
            fields.append(
                FormField(
                    name=name,
                    label=name.replace("_", " ").capitalize(),
                    type=kind,
                    required=not isinstance(properties, Mapping),
                    value=field_text(kind, value),
                    json_type=None,
                )
            )
    return fields


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def coerce_value(spec: FormField, text: str) -> Any:
    """One form string as a typed value; raises HitlError with a short reason."""
    stripped = text.strip()
    if spec.type == "string":
        return text
    if spec.type == "integer":
        try:
            number = json.loads(stripped)
        except ValueError:
            raise HitlError("must be a whole number") from None
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise HitlError("must be a whole number")
        if isinstance(number, float) and not number.is_integer():
            raise HitlError("must be a whole number")
        return _bounded(spec, int(number))
    if spec.type == "number":
        try:
            number = json.loads(stripped)
        except ValueError:
            raise HitlError("must be a number") from None
        if (
            isinstance(number, bool)
            or not isinstance(number, int | float)
            or not math.isfinite(number)
        ):
            raise HitlError("must be a number")
        return _bounded(spec, number)
    if spec.type == "boolean":
        lowered = stripped.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise HitlError("must be true or false")
    if spec.type == "enum":
        for choice in spec.choices:
            if stripped == field_text("string", choice) or stripped == json.dumps(choice):
                return choice
        raise HitlError(
            "must be one of " + ", ".join(field_text("string", c) for c in spec.choices)
        )
    try:
        parsed = json.loads(stripped)
    except ValueError as exc:
        raise HitlError(f"is not valid JSON ({exc.msg} at column {exc.colno})") from None
    expected = _JSON_TYPES.get(spec.json_type or "")
    if expected is not None and not isinstance(parsed, expected):
        raise HitlError(f"must be a JSON {spec.json_type}")
    return parsed


def _bounded(spec: FormField, number: int | float) -> int | float:
    if spec.minimum is not None and number < spec.minimum:
        raise HitlError(f"must be at least {_plain(spec.minimum)}")
    if spec.maximum is not None and number > spec.maximum:
        raise HitlError(f"must be at most {_plain(spec.maximum)}")
    return number


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def coerce_args(
    fields: Sequence[FormField],
    values: Mapping[str, str],
    *,
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Typed args from form strings. Empty optional fields are left out (or None when
    nullable); args in `base` that have no field are kept. Raises ArgsError listing
    every bad field."""
    args: dict[str, Any] = dict(base or {})
    errors: dict[str, str] = {}
    for spec in fields:
        text = values.get(spec.name)
        if text is None:
            text = spec.value
        if not isinstance(text, str):
            text = field_text(spec.type, text)
        empty = text == "" if spec.type == "string" else not text.strip()
        if empty:
            if spec.required and not spec.nullable:
                errors[spec.name] = f"{spec.label} is required"
            elif spec.nullable and spec.required:
                args[spec.name] = None
            else:
                args.pop(spec.name, None)
            continue
        try:
            args[spec.name] = coerce_value(spec, text)
        except HitlError as exc:
            errors[spec.name] = f"{spec.label} {exc}"
    if errors:
        raise ArgsError(errors)
    return args


# -- response schemas (per_call tool approvals) ---------------------------------------


def decision_branches(schema: Any) -> dict[str, Mapping[str, Any]]:
    """Decision type (the `type` const of each member) -> its branch schema, from a
    `response_schema` (oneOf/anyOf/single)."""
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
        if isinstance(const, str):
            branches[const] = branch
    return branches


def edit_args_schema(branch: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any] | None:
    edited = resolve_ref((branch.get("properties") or {}).get("edited_action"), root)
    if not isinstance(edited, Mapping):
        return None
    args = resolve_ref((edited.get("properties") or {}).get("args"), root)
    if not isinstance(args, Mapping):
        return None
    return inline_refs(args, root)


def inline_refs(schema: Any, root: Mapping[str, Any], depth: int = 0) -> Any:
    """`schema` with local refs replaced by their targets (so it stands on its own)."""
    if depth > 20:
        return schema
    schema = resolve_ref(schema, root)
    if isinstance(schema, Mapping):
        return {k: inline_refs(v, root, depth + 1) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [inline_refs(v, root, depth + 1) for v in schema]
    return schema
