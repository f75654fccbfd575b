"""Generative UI messages (`langgraph.graph.ui`): the reducer, the link to chat messages,
and the browser-safe form the UI renders.

A graph calls `push_ui_message(name, props, id=..., message=..., merge=...)`: the server
streams the UI message as a `custom` event AND appends it to the state key `ui` (reducer
`ui_message_reducer`), so it arrives two ways:
- live, as `custom` events `{"type": "ui", "id", "name", "props", "metadata": {"merge",
  "run_id", "tags", "name", "message_id"?}}` and `{"type": "remove-ui", "id"}`;
- whole, in `values["ui"]` (each `values` event and after a load) with merges applied.

`apply_ui_event` is the reducer for the first (the same rules as the server's, so a live
thread and a reloaded one look alike, except that removing an unknown id is ignored here
instead of raising); `ui_from_values` reads the second. Like useStream, a `values` event
replaces what custom events built (it holds everything streamed so far); a UI message
pushed with `state_key=None` lives only until then.

A UI message shows after the chat message it is linked to: `metadata.message_id`
(Python servers) or `metadata.id` (JS servers); `group_by_message` places them, unlinked
ones (or ones whose message is not shown) last. Props are untrusted model output:
`display_ui` keeps JSON data only, drops event-handler keys, caps sizes, and `safe_url`
is the only way a prop may become a link or an image source.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

UIMessage = dict[str, Any]

UI_KEY = "ui"
"""The state key `push_ui_message` writes by default."""
MAX_UI_MESSAGES = 200
"""Kept per thread (the newest ones); a graph that pushes more loses the oldest."""
MAX_NAME = 100
MAX_DEPTH = 10
MAX_ITEMS = 200
"""Entries kept per list or dict in props."""
MAX_STRING = 20_000
MAX_PROPS_CHARS = 100_000
"""Budget of characters (strings and keys) for one UI message's props."""
MAX_JSON_CHARS = 20_000
"""Length of the pretty JSON shown by the fallback card."""

_HANDLER_KEY = re.compile(r"^on[A-Z_]")
_BLOCKED_KEYS = frozenset({"dangerouslySetInnerHTML", "__proto__", "constructor", "prototype"})
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_SAFE_DATA_URL = re.compile(
    r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE
)


# -- the reducer ---------------------------------------------------------------------------


def is_ui_event(data: Any) -> bool:
    """True for a `custom` payload that is a UI message or a removal of one."""
    return (
        isinstance(data, Mapping)
        and data.get("type") in ("ui", "remove-ui")
        and isinstance(data.get("id"), str)
        and bool(data.get("id"))
    )


def apply_ui_event(current: Sequence[UIMessage], event: Any) -> list[UIMessage]:
    """The UI messages after one `custom` event (a new list; `current` is not changed).

    - `{"type": "ui"}` with a new id is appended; with a known id it replaces that
      message in place, and when `metadata.merge` is true its props are shallow-merged
      into the old ones (new keys win).
    - `{"type": "remove-ui", "id"}` drops that id (an unknown id is ignored).
    - Anything else (other custom events) leaves the list as it is.
    """
    messages = list(current)
    if not is_ui_event(event):
        return messages
    ui_id = event["id"]
    at = next((i for i, m in enumerate(messages) if m.get("id") == ui_id), None)
    if event["type"] == "remove-ui":
        return messages if at is None else messages[:at] + messages[at + 1 :]
    new = dict(event)
    props = new.get("props") if isinstance(new.get("props"), Mapping) else {}
    metadata = new.get("metadata") if isinstance(new.get("metadata"), Mapping) else {}
    if at is not None and metadata.get("merge"):
        old_props = messages[at].get("props")
        props = {**(old_props if isinstance(old_props, Mapping) else {}), **props}
    new["props"] = dict(props)
    if at is None:
        messages.append(new)
        return messages[-MAX_UI_MESSAGES:]
    messages[at] = new
    return messages


def apply_ui_events(current: Sequence[UIMessage], events: Iterable[Any]) -> list[UIMessage]:
    """`apply_ui_event` for each event in order."""
    messages = list(current)
    for event in events:
        messages = apply_ui_event(messages, event)
    return messages


def ui_from_values(values: Any, key: str = UI_KEY) -> list[UIMessage] | None:
    """The UI messages held in a `values` event or a loaded state (None when the values
    have no such key: keep what is shown). Removals and repeats left in the list are
    resolved with the same rules as live events."""
    if not isinstance(values, Mapping) or key not in values:
        return None
    raw = values.get(key)
    if isinstance(raw, Mapping):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return apply_ui_events([], raw)


def custom_event_handler(key: str = UI_KEY) -> Callable[[Any, Any, Callable[..., Any]], None]:
    """An `on_custom_event(data, namespace, mutate)` callback for `ThreadStream` that folds
    UI events into the shown `values[key]`, as useStream's `onCustomEvent` does."""

    def on_custom_event(data: Any, namespace: Any, mutate: Callable[..., Any]) -> None:
        if not is_ui_event(data):
            return

        def update(values: Mapping[str, Any]) -> dict[str, Any]:
            current = values.get(key) if isinstance(values, Mapping) else None
            return {key: apply_ui_event(current if isinstance(current, list) else [], data)}

        mutate(update)

    return on_custom_event


# -- linking to chat messages --------------------------------------------------------------


def linked_message_id(ui: Mapping[str, Any]) -> str | None:
    """The chat message a UI message belongs to: `metadata.message_id`, or `metadata.id`
    as JS servers write it."""
    metadata = ui.get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    for key in ("message_id", "id"):
        value = metadata.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def group_by_message(
    message_ids: Iterable[str | None], ui_messages: Iterable[Mapping[str, Any]]
) -> tuple[dict[str, list[Any]], list[Any]]:
    """(UI messages per shown chat message id, the rest): each keeps its own order; a UI
    message whose linked message is not among `message_ids` (unlinked, on another branch,
    or not streamed yet) goes to the rest, shown after the last message."""
    shown = {message_id for message_id in message_ids if message_id}
    by_message: dict[str, list[Any]] = {}
    rest: list[Any] = []
    for ui in ui_messages:
        link = ui.get("message_id") if "message_id" in ui else linked_message_id(ui)
        if link and link in shown:
            by_message.setdefault(link, []).append(ui)
        else:
            rest.append(ui)
    return by_message, rest


# -- what the browser gets -----------------------------------------------------------------


class _Budget:
    """Characters left for one message's props; `cut` records that something was lost."""

    def __init__(self, chars: int) -> None:
        self.left = chars
        self.cut = False

    def take(self, text: str, limit: int = MAX_STRING) -> str | None:
        if self.left <= 0:
            self.cut = True
            return None
        kept = text[: min(limit, self.left)]
        if len(kept) < len(text):
            self.cut = True
        self.left -= max(len(kept), 1)
        return kept


def json_safe(value: Any, budget: _Budget | None = None, depth: int = 0) -> Any:
    """`value` as plain JSON data: dicts with string keys, lists, strings, finite numbers,
    booleans, None. Anything else becomes None; event-handler keys (`onClick`, ...) and
    `dangerouslySetInnerHTML` are dropped; depth, entries and characters are capped."""
    budget = budget or _Budget(MAX_PROPS_CHARS)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return budget.take(value)
    if depth >= MAX_DEPTH:
        budget.cut = True
        return None
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for count, (raw_key, item) in enumerate(value.items()):
            if count >= MAX_ITEMS:
                budget.cut = True
                break
            key = str(raw_key)
            if key in _BLOCKED_KEYS or _HANDLER_KEY.match(key):
                budget.cut = True
                continue
            kept_key = budget.take(key, MAX_NAME)
            if kept_key is None:
                break
            out[kept_key] = json_safe(item, budget, depth + 1)
        return out
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            budget.cut = True
        return [json_safe(item, budget, depth + 1) for item in value[:MAX_ITEMS]]
    budget.cut = True
    return None


def display_ui(ui: Mapping[str, Any]) -> dict[str, Any] | None:
    """A UI message as the browser may get it (None when it is not one):
    `{"id", "name", "props", "message_id", "json", "truncated"}`. `props` is JSON data
    only (see `json_safe`), `json` the pretty props for the fallback card, `truncated`
    whether anything was cut or dropped."""
    if not isinstance(ui, Mapping) or ui.get("type", "ui") != "ui":
        return None
    ui_id, name = ui.get("id"), ui.get("name")
    if not isinstance(ui_id, str) or not ui_id or not isinstance(name, str):
        return None
    budget = _Budget(MAX_PROPS_CHARS)
    raw_props = ui.get("props")
    props = json_safe(raw_props, budget) if isinstance(raw_props, Mapping) else {}
    pretty = json.dumps(props, indent=2, ensure_ascii=False)
    if len(pretty) > MAX_JSON_CHARS:
        pretty = pretty[:MAX_JSON_CHARS] + "\n…"
    return {
        "id": ui_id[:MAX_NAME],
        "name": name[:MAX_NAME],
        "props": props,
        "message_id": linked_message_id(ui) or "",
        "json": pretty,
        "truncated": budget.cut,
    }


def display_ui_list(ui_messages: Iterable[Any]) -> list[dict[str, Any]]:
    """`display_ui` for each valid UI message, the newest `MAX_UI_MESSAGES` kept."""
    shown = [d for d in (display_ui(ui) for ui in ui_messages) if d is not None]
    return shown[-MAX_UI_MESSAGES:]


def safe_url(value: Any) -> str:
    """`value` when it may be used as a link or image source (http(s), mailto, or a
    base64 data URL of a png/jpeg/gif/webp image), else "" (javascript:, other data:
    URLs, relative paths, non-strings)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if _SAFE_URL.match(url) or _SAFE_DATA_URL.match(url):
        return url
    return ""
