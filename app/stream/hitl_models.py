"""The interrupt model the UI shows and answers: `PendingInterrupt` with its actions.

Everything is pydantic, so `model_dump()` gives plain JSON for Reflex state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.stream.hitl_forms import FormField

Kind = Literal["hitl", "tool_approval", "legacy", "breakpoint", "value"]
DecisionType = Literal["approve", "edit", "reject", "respond"]
LegacyType = Literal["accept", "edit", "response", "ignore"]

DECISION_TYPES: tuple[DecisionType, ...] = ("approve", "edit", "reject", "respond")
DEFAULT_DECISIONS: list[DecisionType] = ["approve", "edit", "reject"]
"""Allowed when a HITL request names no review config for an action."""


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


def first_key(data: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    """The value of the first key present in `data` (spelling variants)."""
    for key in keys:
        if key in data:
            return data[key]
    return default


def text_or_empty(value: Any) -> str:
    return value if isinstance(value, str) else ""
