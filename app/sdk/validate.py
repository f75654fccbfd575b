"""Turning response JSON into models, with MalformedResponseError on surprises."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.sdk.errors import MalformedResponseError

M = TypeVar("M", bound=BaseModel)


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return f"{where}: {first['msg']} ({exc.error_count()} problem(s))"


def model(cls: type[M], data: Any, what: str) -> M:
    """`data` validated as `cls`."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise MalformedResponseError(
            f"the server sent an unexpected {what}: {_describe(exc)}"
        ) from None


def model_list(cls: type[M], data: Any, what: str) -> list[M]:
    """`data` validated as a list of `cls`."""
    if not isinstance(data, list):
        raise MalformedResponseError(
            f"the server sent {type(data).__name__} where a list of {what} was expected"
        )
    return [model(cls, item, what) for item in data]
