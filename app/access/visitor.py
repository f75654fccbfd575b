"""Anonymous visitor ids, kept in a signed cookie (itsdangerous).

Each browser gets a random id the first time it comes. The cookie holds the id signed
with a server secret, so it survives reloads and restarts of the app (as long as the
secret stays the same), and a forged, tampered or foreign-signed value verifies to
None: the caller then issues a new id, never trusts the value.

The cookie should be HttpOnly (page scripts cannot read it) where the framework lets the
server set it; `COOKIE_OPTIONS` holds the attributes.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE_NAME = "lgchat_visitor"
COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days
COOKIE_OPTIONS = {"max_age": COOKIE_MAX_AGE, "httponly": True, "samesite": "lax", "path": "/"}
# Different salts keep a value signed for one purpose from verifying for another, even
# under the same secret (e.g. a visitor cookie is never accepted as anything else).
SALT = "langgraph-chat.visitor"
_ID_BYTES = 16
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")  # token_urlsafe(16)


def new_visitor_id() -> str:
    """A fresh random visitor id (128 bits, URL-safe)."""
    return secrets.token_urlsafe(_ID_BYTES)


@dataclass(frozen=True)
class Visitor:
    """A visitor id and the signed cookie value carrying it. `is_new` is True when the id
    was just issued (the caller should set the cookie)."""

    visitor_id: str
    cookie: str
    is_new: bool


class VisitorSigner:
    """Signs visitor ids into cookie values and verifies them back."""

    def __init__(self, secret: str | bytes, *, max_age: int = COOKIE_MAX_AGE) -> None:
        if not secret:
            raise ValueError("the visitor cookie needs a secret")
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self._max_age = max_age

    def sign(self, visitor_id: str) -> str:
        """The cookie value for `visitor_id`."""
        if not _ID_PATTERN.fullmatch(visitor_id):
            raise ValueError(f"not a visitor id: {visitor_id!r}")
        return self._serializer.dumps(visitor_id)

    def verify(self, cookie: str | None) -> str | None:
        """The visitor id in a cookie value, or None when it is missing, tampered with,
        signed with another secret, too old or not a visitor id."""
        if not cookie or not isinstance(cookie, str):
            return None
        try:
            value = self._serializer.loads(cookie, max_age=self._max_age)
        except BadData:  # bad or foreign signature, expired, unreadable payload
            return None
        if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value):
            return None
        return value

    def issue(self) -> Visitor:
        """A new visitor and its cookie value."""
        visitor_id = new_visitor_id()
        return Visitor(visitor_id, self.sign(visitor_id), is_new=True)

    def resolve(self, cookie: str | None) -> Visitor:
        """The visitor a cookie names, or a new one when the cookie is not valid."""
        visitor_id = self.verify(cookie)
        if visitor_id is None:
            return self.issue()
        return Visitor(visitor_id, cookie or "", is_new=False)
