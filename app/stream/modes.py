"""Which stream modes a run asks for: only what the UI and the given callbacks need, and
only modes the server knows (older servers reject the whole request on an unknown one)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from app.sdk.errors import AgentServerError

if TYPE_CHECKING:
    from app.sdk import AgentClient

BASE_MODES = ("values", "messages-tuple")
# The modes every current Agent Server accepts (langgraph-api 0.16 openapi enum).
KNOWN_MODES = frozenset(
    {"values", "messages", "messages-tuple", "tasks", "checkpoints", "updates", "events",
     "debug", "custom"}
)
CALLBACK_MODES: Mapping[str, str] = {
    "on_update_event": "updates",
    "on_custom_event": "custom",
    "on_langchain_event": "events",
    "on_debug_event": "debug",
    "on_checkpoint_event": "checkpoints",
    "on_task_event": "tasks",
    "on_tool_event": "tools",
}


def modes_from_openapi(spec: Any) -> frozenset[str] | None:
    """The stream modes a server's `/openapi.json` lists (None when it does not say)."""
    try:
        schemas = spec["components"]["schemas"]
        for name in ("RunCreateStateful", "RunCreateStateless"):
            mode = schemas[name]["properties"]["stream_mode"]
            for option in mode.get("anyOf", [mode]):
                enum = option.get("enum") or (option.get("items") or {}).get("enum")
                if enum:
                    return frozenset(str(item) for item in enum)
    except (KeyError, TypeError, AttributeError):
        return None
    return None


def wanted_modes(
    callbacks: Iterable[str], extra: Iterable[str] | str | None = None
) -> list[str]:
    """Base modes, plus one per given callback, plus `extra`, without repeats."""
    modes = list(BASE_MODES)
    for name in callbacks:
        mode = CALLBACK_MODES.get(name)
        if mode and mode not in modes:
            modes.append(mode)
    for mode in [extra] if isinstance(extra, str) else (extra or ()):
        if mode not in modes:
            modes.append(mode)
    return modes


def supported(modes: Iterable[str], known: Iterable[str] | None) -> list[str]:
    """`modes` minus those the server does not know (`KNOWN_MODES` when `known` is None)."""
    allowed = frozenset(known) if known is not None else KNOWN_MODES
    return [mode for mode in modes if mode in allowed]


class RunModes:
    """The stream modes the runs of one `ThreadStream` ask for: the base modes, one per
    given event callback and a submit's extra ones, minus those the server does not know."""

    def __init__(self, callbacks: Iterable[str], allowed: Iterable[str] | None = None) -> None:
        """`allowed`: the only modes the backend takes (None: ask the server's OpenAPI)."""
        self._callbacks = tuple(callbacks)
        self._known: frozenset[str] | None = None if allowed is None else frozenset(allowed)

    def for_run(self, extra: Iterable[str] | str | None = None, *,
                subgraphs: bool = False) -> list[str]:
        """The modes of one run. `subgraphs`: it streams subagents, so `tasks` (which links
        each to its tool call) and `tools` (tool progress) are added when the server is
        known to offer them."""
        modes = wanted_modes(self._callbacks, extra)
        for wanted in ("tasks", "tools") if subgraphs else ():
            if wanted not in modes and self._known and wanted in self._known:
                modes.append(wanted)
        if any(mode not in BASE_MODES for mode in modes):
            return supported(modes, self._known)
        return modes

    async def learn(self, client: AgentClient, *, needed: bool = False) -> None:
        """Ask the server once which stream modes it knows (only when extra ones are
        wanted, or `needed`), so an older server never gets a mode it would reject."""
        if self._known is not None:
            return
        if not needed and not any(name in CALLBACK_MODES for name in self._callbacks):
            return
        try:
            spec = await client.transport.request_json("GET", "/openapi.json")
        except AgentServerError:
            spec = None
        self._known = modes_from_openapi(spec) or frozenset(
            {"values", "messages-tuple", "updates", "custom"}
        )
