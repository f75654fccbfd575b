"""What the SDK and LangChain hand over, as plain data for the stream and the UI."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def plain(item: Any) -> Any:
    """A pydantic model as a plain dict in JSON mode (anything else unchanged)."""
    dump = getattr(item, "model_dump", None)
    return dump(mode="json") if callable(dump) else item


def as_mapping(item: Any) -> dict[str, Any]:
    """One object as a dict: a mapping copied, a pydantic model dumped, else its
    attributes (LangChain objects)."""
    if isinstance(item, Mapping):
        return dict(item)
    found = plain(item)
    return dict(found) if isinstance(found, Mapping) else dict(vars(item))


def json_safe(value: Any) -> Any:
    """`value` as JSON data (models dumped, anything JSON cannot hold made a string)."""
    return json.loads(json.dumps(plain(value), default=str))
