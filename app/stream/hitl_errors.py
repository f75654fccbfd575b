"""Errors of interrupt answers: what cannot be sent, and why."""

from __future__ import annotations

from collections.abc import Mapping


class HitlError(ValueError):
    """An interrupt answer that cannot be sent as it is; the message says why."""


class ArgsError(HitlError):
    """Form values that do not fit the argument schema; `errors` maps field -> message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.errors.items()))
