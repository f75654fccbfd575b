"""Thread ownership: the metadata key, owner ids, and the checks built on them.

A thread's owner is stored in its metadata under `OWNER_KEY`. The demo Agent Server's
auth handler (agents/auth.py) stamps and filters it itself; against a server without
auth, the Reflex backend stamps it when it creates a thread, adds `owner_filter` to
every search and checks `owned_by` before showing a thread, so that a thread that is
not yours looks exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OWNER_KEY = "owner"
VISITOR_PREFIX = "visitor:"
USER_PREFIX = "user:"


def visitor_owner(visitor_id: str) -> str:
    """The owner id of an anonymous visitor."""
    return f"{VISITOR_PREFIX}{visitor_id}"


def user_owner(subject: str) -> str:
    """The owner id of a signed-in user (the OIDC `sub`)."""
    return f"{USER_PREFIX}{subject}"


def is_owner_id(value: object) -> bool:
    """True for a well-formed owner id (`visitor:<id>` or `user:<sub>`)."""
    if not isinstance(value, str):
        return False
    for prefix in (VISITOR_PREFIX, USER_PREFIX):
        if value.startswith(prefix) and len(value) > len(prefix):
            return True
    return False


def owner_metadata(owner: str, metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`metadata` with the owner stamped (a caller's own `owner` key never wins)."""
    return {**dict(metadata or {}), OWNER_KEY: owner}


def owner_filter(owner: str, metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The metadata filter of a thread search limited to `owner`'s threads."""
    return owner_metadata(owner, metadata)


def thread_owner(thread: Any) -> str | None:
    """The owner stamped on a thread (a dict or an object with `.metadata`), if any."""
    metadata = thread.get("metadata") if isinstance(thread, Mapping) else getattr(
        thread, "metadata", None)
    if not isinstance(metadata, Mapping):
        return None
    owner = metadata.get(OWNER_KEY)
    return owner if isinstance(owner, str) else None


def owned_by(thread: Any, owner: str) -> bool:
    """True when `thread` belongs to `owner`. A thread without an owner belongs to no one."""
    return bool(owner) and thread_owner(thread) == owner
