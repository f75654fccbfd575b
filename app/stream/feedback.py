"""Thumbs up / down on an answer, with an optional comment: kept in the thread's metadata,
and sent to LangSmith when the server hands out feedback URLs for the run.

Kept in the thread: one metadata key per rated message, `feedback:<message id>` ->
`{"message_id", "rating": "up"|"down", "comment", "by", "at", "run_id", "langsmith"}`.
The server merges metadata key by key (a nested value is replaced whole), so two tabs
rating different answers never overwrite each other, and one request saves one rating.
Taking a rating back writes None (the server keeps the key with a null value).

LangSmith (optional): a run body with `feedback_keys: ["user_score", ...]` makes the
server, after the graph finishes, create one pre-signed URL per key for that run and
send them as the run's last event, `event: feedback`, data `{key: url}` (langgraph-api
0.16.7, `stream.py` `get_feedback_urls`, langsmith `create_presigned_feedback_tokens`;
the URLs expire after 3 hours). A client POSTs `{"score", "comment", ...}` as JSON to a
URL; no API key is needed. The server needs LangSmith credentials for this: without them
the run ends with an `error` event (`LangSmithConnectionError`) and the thread status
`error` although the graph succeeded, so `feedback_keys` is sent only when configured
(`LANGGRAPH_FEEDBACK_KEYS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from app.sdk.threads import ThreadsClient

KEY_PREFIX = "feedback:"
RATINGS = {"up": 1, "down": 0}
"""Rating -> the LangSmith score sent for it."""
MAX_COMMENT = 2000
MAX_BY = 100
MAX_ID_LENGTH = 200
FEEDBACK_EVENT = "feedback"
"""The stream event that carries the signed URLs (`{feedback key: url}`)."""
FEEDBACK_KEYS_ENV = "LANGGRAPH_FEEDBACK_KEYS"
_URL = re.compile(r"^https?://", re.IGNORECASE)
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


class FeedbackError(ValueError):
    """A rating that cannot be kept or sent; the message says why."""


# -- records in the thread -------------------------------------------------------------------


def metadata_key(message_id: str) -> str:
    """The metadata key holding the rating of `message_id`."""
    return f"{KEY_PREFIX}{message_id}"


def feedback_record(
    message_id: str,
    rating: str,
    comment: str = "",
    *,
    by: str = "",
    run_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A rating as kept in the thread (comment trimmed and capped; `at` in UTC ISO)."""
    if not message_id or len(message_id) > MAX_ID_LENGTH:
        raise FeedbackError("a rating needs the id of the answer it is about")
    if rating not in RATINGS:
        raise FeedbackError(f"a rating is 'up' or 'down', not {rating!r}")
    return {
        "message_id": message_id,
        "rating": rating,
        "comment": (comment or "").strip()[:MAX_COMMENT],
        "by": (by or "").strip()[:MAX_BY],
        "at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "run_id": run_id or "",
        "langsmith": False,
    }


def valid_record(value: Any) -> dict[str, Any] | None:
    """A stored record with its fields checked (None when it is not one)."""
    if not isinstance(value, Mapping) or value.get("rating") not in RATINGS:
        return None
    message_id = value.get("message_id")
    if not isinstance(message_id, str) or not message_id:
        return None
    return {
        "message_id": message_id[:MAX_ID_LENGTH],
        "rating": value["rating"],
        "comment": str(value.get("comment") or "")[:MAX_COMMENT],
        "by": str(value.get("by") or "")[:MAX_BY],
        "at": str(value.get("at") or ""),
        "run_id": str(value.get("run_id") or ""),
        "langsmith": value.get("langsmith") is True,
    }


def feedback_from_metadata(metadata: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """message id -> its rating, from a thread's metadata (taken-back and malformed
    entries left out)."""
    found: dict[str, dict[str, Any]] = {}
    for key, value in (metadata or {}).items():
        if not isinstance(key, str) or not key.startswith(KEY_PREFIX):
            continue
        record = valid_record(value)
        if record is not None and record["message_id"] == key[len(KEY_PREFIX):]:
            found[record["message_id"]] = record
    return found


def save_update(record: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata patch that keeps `record` (`threads.update(id, metadata=...)`)."""
    return {metadata_key(str(record["message_id"])): dict(record)}


def clear_update(message_id: str) -> dict[str, None]:
    """The metadata patch that takes a rating back."""
    return {metadata_key(message_id): None}


async def save_feedback(threads: ThreadsClient, thread_id: str,
                        record: Mapping[str, Any]) -> None:
    """Keep `record` in the thread's metadata (one PATCH, other keys untouched)."""
    await threads.update(thread_id, metadata=save_update(record))


async def clear_feedback(threads: ThreadsClient, thread_id: str, message_id: str) -> None:
    await threads.update(thread_id, metadata=clear_update(message_id))


async def read_feedback(threads: ThreadsClient, thread_id: str) -> dict[str, dict[str, Any]]:
    """The thread's ratings, read without its values (one small request)."""
    page = await threads.search(ids=[thread_id], limit=1, select=["thread_id", "metadata"])
    return feedback_from_metadata(page.items[0].metadata) if page.items else {}


# -- LangSmith ---------------------------------------------------------------------------------


def feedback_keys_from_env(environ: Mapping[str, str]) -> list[str]:
    """The keys in `LANGGRAPH_FEEDBACK_KEYS` (comma-separated, e.g. "user_score"); none
    by default. A malformed key raises ValueError naming the variable."""
    raw = environ.get(FEEDBACK_KEYS_ENV) or ""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    for key in keys:
        if not _KEY.match(key):
            raise ValueError(
                f"{FEEDBACK_KEYS_ENV} must be comma-separated keys of letters, digits, "
                f"'_', '-', '.', ':' (got {key!r})"
            )
    return list(dict.fromkeys(keys))


def run_body(keys: Iterable[str]) -> dict[str, Any]:
    """What a run body adds to get feedback URLs: `{"feedback_keys": [...]}`, or nothing
    when no key is configured."""
    wanted = list(dict.fromkeys(keys))
    return {"feedback_keys": wanted} if wanted else {}


def feedback_urls(data: Any) -> dict[str, str]:
    """The `{key: url}` of a `feedback` event (only http(s) URLs kept)."""
    if not isinstance(data, Mapping):
        return {}
    return {
        str(key): value
        for key, value in data.items()
        if isinstance(value, str) and _URL.match(value)
    }


def langsmith_payload(record: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body POSTed to a signed URL: the score (up 1, down 0), the comment, and
    who / which message in `metadata`."""
    payload: dict[str, Any] = {"score": RATINGS[str(record["rating"])]}
    if record.get("comment"):
        payload["comment"] = record["comment"]
    payload["metadata"] = {
        key: record[key] for key in ("message_id", "by") if record.get(key)
    }
    return payload


SEND_TIMEOUT = 10.0


async def send_to_langsmith(
    url: str, record: Mapping[str, Any], *, client: httpx.AsyncClient | None = None
) -> None:
    """POST the rating to a signed feedback URL; FeedbackError says what went wrong."""
    if not _URL.match(url or ""):
        raise FeedbackError("the feedback URL is not an http(s) address")
    owned = client is None
    http = client or httpx.AsyncClient(timeout=SEND_TIMEOUT)
    try:
        response = await http.post(url, json=langsmith_payload(record), timeout=SEND_TIMEOUT)
    except httpx.HTTPError as exc:
        raise FeedbackError(f"LangSmith could not be reached ({type(exc).__name__})") from exc
    finally:
        if owned:
            await http.aclose()
    if response.status_code >= 400:
        raise FeedbackError(
            f"LangSmith refused the feedback (HTTP {response.status_code}"
            f"{': link expired' if response.status_code in (401, 403, 404) else ''})"
        )
