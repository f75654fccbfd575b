"""Send a value that grows at its end (the message list, the streamed text) as patches.

Reflex sends the whole value of a changed var in every delta: a finished answer would
resend every message of the thread, a streamed text everything streamed so far. A state
that mixes in `AppendLogged` writes such a var with `_write_logged(name, value)`: the var
keeps the whole value (the backend reads it as usual, and a hydrate after a reload or a
reconnect sends it whole), while each ordinary delta carries only `<name>_log`:

    {"v": version, "at": where the browser's copy is cut, "add": what follows}

(`at` counts list items, or UTF-16 code units for a text, as JavaScript does).
`AppendLogSync` (app/components/append_log.py) merges each patch into the browser's copy
of `<name>`, so components read `<name>` as they always did. A browser that misses a
patch (it mounted late) asks for the whole value with `resync_log`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import reflex as rx
from reflex_base.constants.state import FIELD_MARKER


def common_prefix(old: Sequence[Any], new: Sequence[Any]) -> int:
    """How many leading items (or characters) `old` and `new` share."""
    if isinstance(old, str) and isinstance(new, str) and new.startswith(old):
        return len(old)  # the usual case: the text only grew
    limit = min(len(old), len(new))
    index = 0
    while index < limit and old[index] == new[index]:
        index += 1
    return index


def js_length(text: str) -> int:
    """The length of `text` in JavaScript (UTF-16 code units)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def empty_log(value: Sequence[Any]) -> dict[str, Any]:
    """The log a var starts with (version 0, nothing to add)."""
    return {"v": 0, "at": 0, "add": value[:0]}


class AppendLogged(rx.State, mixin=True):
    """Vars written with `write_logged` reach the browser as patches (module docstring).
    A state declares `<name>_log: dict[str, Any] = empty_log(<default>)` next to each
    such var and lists the names in `logged_vars`."""

    logged_vars: ClassVar[tuple[str, ...]] = ()
    # Where the pending (not yet delivered) patch of each var is cut, in Python units.
    _log_cut: dict[str, int] = {}

    def _write_logged(self, name: str, value: Any) -> None:
        """Set var `name` to `value` and log what the browser needs to catch up."""
        old = self.get_value(name)
        if old == value:
            return
        log_name = f"{name}_log"
        if name in self.dirty_vars and log_name not in self.dirty_vars:
            setattr(self, name, value)  # an unlogged write is pending: it goes whole
            return
        cut = common_prefix(old, value)
        log = self.get_value(log_name) or {}
        if log_name in self.dirty_vars:  # fold into the patch not yet delivered
            cut = min(cut, self._log_cut.get(name, 0))
            version = int(log.get("v") or 0)
        else:
            version = int(log.get("v") or 0) + 1
        self._log_cut = {**self._log_cut, name: cut}
        at = js_length(value[:cut]) if isinstance(value, str) else cut
        setattr(self, name, value)
        setattr(self, log_name, {"v": version, "at": at, "add": value[cut:]})

    def get_delta(self) -> dict[str, dict[str, Any]]:
        """Leave out the whole value of a logged var when its patch carries it (Reflex
        builds every delta through this method; the marker below tells it that this is
        an override, not an event handler)."""
        delta = super().get_delta()
        mine = delta.get(self.get_full_name())
        if mine:
            for name in self.logged_vars:
                key, log_key = name + FIELD_MARKER, f"{name}_log{FIELD_MARKER}"
                if key in mine and log_key in mine and self._carried(name, mine[log_key]):
                    del mine[key]
        return delta

    get_delta.__override_base_method__ = True  # type: ignore[attr-defined]

    def _carried(self, name: str, log: Any) -> bool:
        """Whether the patch `log` brings the browser's copy to the current value (not
        so when the var was also set directly after a logged write)."""
        value = self.get_value(name)
        cut = self._log_cut.get(name)
        return (isinstance(log, dict) and cut is not None
                and value[cut:] == log.get("add"))

    @rx.event
    def resync_log(self, name: str) -> None:
        """The browser lost track of var `name`: send it whole (as a patch from 0)."""
        if name not in self.logged_vars:
            return
        value = self.get_value(name)
        log = self.get_value(f"{name}_log") or {}
        self._log_cut = {**self._log_cut, name: 0}
        setattr(self, f"{name}_log", {"v": int(log.get("v") or 0) + 1, "at": 0, "add": value})
