"""Counts how often the same human message was answered, so a regenerate differs.

A regenerate re-runs the model from the same checkpoint with the same messages; a pure
function of the conversation would repeat itself. The server process keeps this counter
per (thread, human message id), so the first answer is attempt 1, the next one 2, ...
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

MAX_REMEMBERED = 10_000
"""Oldest counters are forgotten beyond this many (a long-running demo server)."""

_lock = threading.Lock()
_counts: OrderedDict[tuple[str, str], int] = OrderedDict()


def next_attempt(config: Mapping[str, Any] | None, message_key: str) -> int:
    """Record one more answer to `message_key` in the config's thread; return its number."""
    configurable = (config or {}).get("configurable") or {}
    thread = str(configurable.get("thread_id") or "")
    key = (thread, message_key)
    with _lock:
        _counts[key] = _counts.pop(key, 0) + 1
        while len(_counts) > MAX_REMEMBERED:
            _counts.popitem(last=False)
        return _counts[key]
