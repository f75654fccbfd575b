"""Server-side records of sign-ins: logins in progress (keyed by their OAuth `state`) and
signed-in sessions (keyed by a random session id, the only thing the browser holds, in
a signed HttpOnly cookie). The user's tokens never leave the server.

`memory://` keeps them in this process (one worker); a `redis://` URL shares them
between the workers of `make serve`. Entries expire on their own.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict
from typing import Any

import redis.asyncio as redis

from app.access.identity import Identity
from app.access.oidc import PendingLogin

LOGIN_SECONDS = 600  # a sign-in must come back within ten minutes
SESSION_SECONDS = 12 * 3600
_PREFIX = "langgraph-chat:sign-in:"


class SignInStore:
    """Pending logins and signed-in sessions (see the module docstring)."""

    def __init__(self, uri: str = "memory://") -> None:
        self._redis = redis.from_url(uri) if uri.startswith(("redis://", "rediss://")) else None
        self._memory: dict[str, tuple[float, str]] = {}

    async def _put(self, key: str, value: dict[str, Any], seconds: int) -> None:
        data = json.dumps(value)
        if self._redis is not None:
            await self._redis.set(_PREFIX + key, data, ex=seconds)
            return
        now = time.monotonic()
        self._memory = {k: v for k, v in self._memory.items() if v[0] > now}
        self._memory[key] = (now + seconds, data)

    async def _take(self, key: str, *, keep: bool) -> dict[str, Any] | None:
        if self._redis is not None:
            data = await (self._redis.get(_PREFIX + key) if keep
                          else self._redis.getdel(_PREFIX + key))
        else:
            found = self._memory.get(key) if keep else self._memory.pop(key, None)
            data = found[1] if found and found[0] > time.monotonic() else None
        return json.loads(data) if data else None

    async def begin(self, pending: PendingLogin, next_path: str = "/") -> None:
        """Remember a login until the provider sends the browser back (`next_path`: the
        page to return to)."""
        await self._put("login:" + pending.state,
                        {"pending": asdict(pending), "next": next_path}, LOGIN_SECONDS)

    async def pending(self, state: str) -> tuple[PendingLogin, str] | None:
        """The login started with `state` and its page to return to (each can be
        finished once)."""
        found = await self._take("login:" + state, keep=False) if state else None
        return (PendingLogin(**found["pending"]), str(found["next"])) if found else None

    async def open_session(self, identity: Identity) -> str:
        """A new session for a signed-in user; returns its id (for the cookie)."""
        session_id = secrets.token_urlsafe(24)
        await self._put("session:" + session_id, {
            "owner": identity.owner, "name": identity.name, "kind": identity.kind,
            "access_token": identity.access_token}, SESSION_SECONDS)
        return session_id

    async def identity(self, session_id: str) -> Identity | None:
        """Who the session belongs to (None: unknown, expired or signed out)."""
        found = await self._take("session:" + session_id, keep=True) if session_id else None
        return Identity(**found) if found else None

    async def close_session(self, session_id: str) -> None:
        if session_id:
            await self._take("session:" + session_id, keep=False)
