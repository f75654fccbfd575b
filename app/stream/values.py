"""Merging streamed `values` events into the displayed state.

Rules (useStream, plus the fixes for its known bugs):
- only root-graph values count; subgraph values never overwrite them;
- an event carrying `__interrupt__` merges ONLY its interrupts (deduplicated by id) and
  never drops the messages already shown;
- any other event replaces the values, carrying over the interrupts already seen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

INTERRUPT_KEY = "__interrupt__"


def interrupt_key(item: Any) -> Any:
    """What identifies an interrupt: its id, else its whole value."""
    if isinstance(item, Mapping) and item.get("id"):
        return ("id", item["id"])
    try:
        return ("value", json.dumps(item, sort_keys=True, default=str))
    except (TypeError, ValueError):
        return ("repr", repr(item))


def merge_interrupts(existing: Iterable[Any] | None, new: Iterable[Any] | None) -> list[Any]:
    """`existing` then the items of `new` not already present (same id or same value)."""
    merged = list(existing or ())
    seen = {interrupt_key(item) for item in merged}
    for item in new or ():
        key = interrupt_key(item)
        if key not in seen:
            seen.add(key)
            merged.append(item)
    return merged


def merge_values_event(current: Mapping[str, Any] | None, data: Any) -> dict[str, Any]:
    """The values to show after a root `values` event `data` arrived on top of `current`
    (`ShownThread.on_values` applies it). Does not touch `current`.

    An event carrying `__interrupt__` only merges its interrupts into `current` (an empty
    list is a static breakpoint); any other mapping replaces the values, carrying the
    interrupts already seen. Non-dict data (a graph whose state is not a dict) changes
    nothing.
    """
    base = dict(current or {})
    if not isinstance(data, Mapping):
        return base
    if INTERRUPT_KEY in data:
        base[INTERRUPT_KEY] = merge_interrupts(base.get(INTERRUPT_KEY), data[INTERRUPT_KEY] or ())
        return base
    merged = dict(data)
    if INTERRUPT_KEY in base:
        merged[INTERRUPT_KEY] = base[INTERRUPT_KEY]
    return merged


def without_interrupts(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """`values` minus `__interrupt__` (dropped before a new stream's first values)."""
    result = dict(values or {})
    result.pop(INTERRUPT_KEY, None)
    return result
