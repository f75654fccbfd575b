"""What the chat keeps in and asks of the browser: the scripts it runs there (composer
text, address bar) and the run ids kept in its storage. One home for every
`rx.call_script` of the chat."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import reflex as rx

COMPOSER_ID = "composer"


def thread_id_of_path(path: str) -> str:
    """The thread id in a `/threads/<id>` path ("" for any other page)."""
    parts = [part for part in (path or "").split("/") if part]
    if len(parts) == 2 and parts[0] == "threads":
        return unquote(parts[1])
    return ""


def stored_runs(raw: str) -> dict[str, str]:
    """The `{thread_id: run_id}` map kept in browser storage (garbage reads as empty)."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def url_thread_script(load: int) -> str:
    """JS giving `[load, thread id in the browser's address bar or ""]`."""
    found = "(window.location.pathname.match(/\\/threads\\/([^/]+)\\/?$/) || [])[1] || ''"
    return f"[{int(load)}, {found}]"


def replace_url(url: str) -> Any:
    """Show `url` in the address bar without a navigation (no new history entry)."""
    return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")


def restore_draft(text: str) -> Any:
    """Put `text` back into the composer unless the user already typed something new."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el && !el.value.trim()) {{ el.value = {json.dumps(text)}; }} }})()"
    )


def clear_draft_if(text: str) -> Any:
    """Empty the composer if it still holds exactly `text` (it is being resent)."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el && el.value.trim() === {json.dumps(text)}) {{ el.value = ''; }} }})()"
    )


# The browser's IANA time zone, for `ChatView.set_user_timezone`.
TIMEZONE_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


def ask_timezone(callback: Any, text: str | None = None) -> Any:
    """The script that sends the browser's time zone to `callback`; with `text`, as the
    pair `[zone, text]` (a message held until the zone is known)."""
    if text is None:
        return rx.call_script(TIMEZONE_SCRIPT, callback=callback)
    return rx.call_script(f"[{TIMEZONE_SCRIPT}, {json.dumps(text)}]", callback=callback)


def known_zone(zone: object) -> str:
    """`zone` when it is an IANA time zone name this server knows, else ""."""
    if not isinstance(zone, str) or not zone or len(zone) > 64:
        return ""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return zone
