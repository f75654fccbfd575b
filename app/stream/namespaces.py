"""Event namespaces: which graph inside the run an event comes from.

`()` is the root graph; `("tools:<pregel task id>", ...)` is a subgraph run by a tool
call, which is how a deep agent's subagents (`task` tool) stream. Subagent events are
never part of the main answer (useStream's `filterSubagentMessages`).
"""

from __future__ import annotations

from collections.abc import Sequence

SUBAGENT_TOOL_NAMES = frozenset({"task"})
NAMESPACE_PREFIX = "tools:"


def namespace_parts(namespace: str | Sequence[str] | None) -> tuple[str, ...]:
    """A namespace as a tuple: `("tools:a", "model:b")` from a tuple or a
    `"tools:a|model:b"` string (the `checkpoint_ns` form)."""
    if not namespace:
        return ()
    if isinstance(namespace, str):
        return tuple(part for part in namespace.split("|") if part)
    return tuple(str(part) for part in namespace)


def is_subagent_namespace(namespace: str | Sequence[str] | None) -> bool:
    """True for events from inside a tool call's subgraph (a subagent): never part of the
    main answer."""
    return any(part.startswith(NAMESPACE_PREFIX) for part in namespace_parts(namespace))


def subagent_key(namespace: str | Sequence[str] | None) -> str | None:
    """The first `tools:<task id>` segment: which top-level subagent an event belongs to."""
    for part in namespace_parts(namespace):
        if part.startswith(NAMESPACE_PREFIX):
            return part
    return None
