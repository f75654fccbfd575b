"""Parse the JSON prefix a model has streamed so far (tool-call arguments).

`parse_partial_json('{"city": "Par')` -> `{"city": "Par"}`. Called lazily, when a message
is read, never once per chunk.
"""

from __future__ import annotations

import json
from typing import Any

_MISSING = object()


def _close(text: str) -> str | None:
    """`text` with open strings, arrays and objects closed; None if it cannot be closed."""
    stack: list[str] = []
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            stack.append("}")
        elif char == "[":
            stack.append("]")
        elif char in "}]":
            if not stack or stack.pop() != char:
                return None
    if in_string:
        if escaped:
            text = text[:-1]
        text += '"'
    return text + "".join(reversed(stack))


def parse_partial_json(text: str, default: Any = None) -> Any:
    """The value of a (possibly truncated) JSON text; `default` when nothing parses.

    Trailing fragments that cannot be completed (a dangling key, `tru`, a comma) are
    dropped one character at a time until the closed text parses.
    """
    if not text or not text.strip():
        return default
    try:
        return json.loads(text)
    except ValueError:
        pass
    candidate = text
    while candidate:
        closed = _close(candidate)
        if closed is not None:
            try:
                return json.loads(closed)
            except ValueError:
                pass
        candidate = candidate[:-1]
    return default
