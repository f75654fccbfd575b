"""Branch switchers and fork points for the chat UI, as plain data (no Reflex).

`switchers(stream, message_ids)` gives, for each shown message that has alternatives,
`{"index", "total", "prev", "next"}` ("n / m" and the branch strings the Previous /
Next buttons switch to). It only reads what the stream already holds (built once per
history read), never the network. The branch lives in the page URL (`?branch=`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, urlsplit

BRANCH_PARAM = "branch"


class MetadataSource(Protocol):
    def get_messages_metadata(self, message: Mapping[str, Any]) -> dict[str, Any] | None: ...


def switcher(meta: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The "n / m" switcher for one message's metadata (None without alternatives)."""
    if not meta:
        return None
    options = list(meta.get("branch_options") or [])
    branch = meta.get("branch")
    if len(options) < 2 or branch not in options:
        return None
    index = options.index(branch)
    return {
        "index": index + 1,
        "total": len(options),
        "prev": options[index - 1] if index > 0 else "",
        "next": options[index + 1] if index + 1 < len(options) else "",
    }


def switchers(stream: MetadataSource, message_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Switchers keyed by message id, for the messages that have alternatives."""
    found: dict[str, dict[str, Any]] = {}
    for message_id in message_ids:
        if not message_id:
            continue
        place = switcher(stream.get_messages_metadata({"id": message_id}))
        if place is not None:
            found[message_id] = place
    return found


def branch_from_url(url: str | None) -> str:
    """The `branch` query parameter of a page URL ("" when absent)."""
    if not url:
        return ""
    values = parse_qs(urlsplit(url).query).get(BRANCH_PARAM) or [""]
    return values[0]


def thread_url(thread_id: str, branch: str = "") -> str:
    """The page path of a thread, with its branch in the query when one is chosen."""
    path = f"/threads/{quote(thread_id, safe='')}"
    return f"{path}?{BRANCH_PARAM}={quote(branch, safe='')}" if branch else path
