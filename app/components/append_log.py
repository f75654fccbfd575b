"""`append_log_sync(state, names)`: the browser half of `AppendLogged`
(app/states/append_log.py). It renders nothing; it merges the patches of the logged vars
`names` of `state` into the browser's copy of each, so components read those vars as
usual (app/components/append_log.js)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.vars.base import Var

_LIBRARY = rx.asset("append_log.js", shared=True).importable_path


class AppendLogSync(rx.Component):
    """Merges logged vars' patches in the browser (renders nothing)."""

    library = _LIBRARY
    tag = "AppendLogSync"

    state_name: Var[str]
    names: Var[list[str]]


def append_log_sync(state: type[rx.State], names: list[str] | None = None) -> rx.Component:
    """Keep the browser's copies of `state`'s logged vars (all of them by default) whole."""
    logged: Any = names if names is not None else list(getattr(state, "logged_vars", ()))
    return AppendLogSync.create(state_name=state.get_full_name(), names=logged)
