"""The callbacks a `ThreadStream` was given (`on_finish`, `on_update_event`, ...): calling
them safely, and routing a stream event to the callback of its mode."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

log = logging.getLogger(__name__)

Callback = Callable[..., Any]

# stream mode -> (callback, passes the namespace, passes `mutate`)
EVENT_CALLBACKS: Mapping[str, tuple[str, bool, bool]] = {
    "metadata": ("on_metadata_event", False, False),
    "updates": ("on_update_event", True, True),
    "custom": ("on_custom_event", True, True),
    "events": ("on_langchain_event", False, False),
    "debug": ("on_debug_event", True, False),
    "checkpoints": ("on_checkpoint_event", True, False),
    "tasks": ("on_task_event", True, False),
    "tools": ("on_tool_event", True, True),
}


class Callbacks:
    """The given callbacks by name (None ones left out); a failing one is logged."""

    def __init__(self, given: Mapping[str, Callback | None]) -> None:
        self._given = {name: cb for name, cb in given.items() if cb is not None}

    def __iter__(self) -> Iterator[str]:
        return iter(self._given)

    async def call(self, name: str, *args: Any) -> None:
        callback = self._given.get(name)
        if callback is None:
            return
        try:
            result = callback(*args)
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception("ThreadStream callback %s failed", name)

    async def on_event(self, mode: str, data: Any, namespace: list[str],
                       mutate: Callback) -> bool:
        """Pass an event to its mode's callback; False when none was given for the mode."""
        route = EVENT_CALLBACKS.get(mode)
        if route is None or route[0] not in self._given:
            return False
        name, with_namespace, with_mutate = route
        args: list[Any] = [data]
        if with_namespace:
            args.append(namespace)
        if with_mutate:
            args.append(mutate)
        await self.call(name, *args)
        return True
