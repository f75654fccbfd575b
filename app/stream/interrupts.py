"""Which interrupts are pending: from streamed `__interrupt__`, else from thread state.

An interrupt is a dict `{"id", "value"}` (plus `ns`/`when` when known). A static
breakpoint (`interrupt_before/after`) has no payload: it shows as `{"when": "breakpoint"}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.stream.plain import json_safe, plain
from app.stream.values import INTERRUPT_KEY, merge_interrupts

BREAKPOINT: dict[str, Any] = {"when": "breakpoint"}


def interrupts_from_values(values: Mapping[str, Any] | None) -> list[Any] | None:
    """The streamed interrupts (None when the values carry no `__interrupt__` key)."""
    if not values or INTERRUPT_KEY not in values:
        return None
    return [plain(item) for item in values.get(INTERRUPT_KEY) or ()]


def interrupts_from_state(state: Mapping[str, Any] | Any | None) -> list[Any]:
    """All interrupts pending at a thread state: top-level `interrupts`, then those of
    every task (subgraph tasks included), deduplicated by id; a breakpoint when the state
    has pending `next` steps, no interrupt and no task error."""
    state = plain(state)
    if not state:
        return []
    found = merge_interrupts((), [plain(i) for i in state.get("interrupts") or ()])
    tasks = state.get("tasks") or ()
    for task in tasks:
        task = plain(task)
        found = merge_interrupts(found, [plain(i) for i in task.get("interrupts") or ()])
    if found:
        return found
    has_error = any((plain(task) or {}).get("error") for task in tasks)
    if state.get("next") and not has_error:
        return [dict(BREAKPOINT)]
    return []


def pending_interrupts(
    values: Mapping[str, Any] | None, head: Mapping[str, Any] | None, *, loading: bool
) -> list[Any]:
    """Streamed interrupts when present (`[]` streamed = breakpoint); else, when not
    loading, those of the head state."""
    streamed = interrupts_from_values(values)
    if streamed is not None:
        if streamed:
            return streamed
        if loading or not head:
            return [dict(BREAKPOINT)]
    if loading:
        return []
    return interrupts_from_state(head)


def single_interrupt(interrupts: Sequence[Any]) -> Any:
    """None, the only interrupt, or (useStream's quirk) the list when there are several."""
    if not interrupts:
        return None
    if len(interrupts) == 1:
        return interrupts[0]
    return list(interrupts)


def resume_command(value: Any, interrupt_id: str | None = None,
                   interrupts: Sequence[Any] = ()) -> dict[str, Any]:
    """The `command` that answers interrupts.

    - `interrupt_id` given: `{"resume": {interrupt_id: value}}`;
    - `value` a dict keyed by pending interrupt ids: `{"resume": value}` (answers several);
    - else `{"resume": value}` (the server answers the only pending interrupt with it).
    """
    ids = [i.get("id") for i in interrupts if isinstance(i, Mapping) and i.get("id")]
    if interrupt_id is not None:
        return {"resume": {interrupt_id: value}}
    if isinstance(value, Mapping) and value and ids and set(value).issubset(ids):
        return {"resume": dict(value)}
    return {"resume": value}


def interrupt_dicts(items: Any) -> list[dict[str, Any]]:
    """Pending interrupts as JSON-able dicts `{"id", "value", ...}` for a UI (a bare value
    becomes `{"id": "", "value": value}`)."""
    items = items if isinstance(items, list | tuple) else ([items] if items else [])
    result = []
    for item in items:
        item = json_safe(item)
        result.append(item if isinstance(item, dict) else {"id": "", "value": item})
    return result
