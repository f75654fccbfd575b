"""The short-lived token the Reflex backend sends to the Agent Server for an identity.

An HS256 JWT (PyJWT) signed with a secret shared by both processes
(`LANGGRAPH_CHAT_AUTH_SECRET`). Claims: `sub` (the owner id, `visitor:<id>` or
`user:<sub>`), `name`, `kind`, `iat`, `exp`, `iss` and `aud` (fixed: a token made for
this server cannot be mistaken for any other JWT signed with the same secret).

The server checks a token when a request starts, so a stream may outlive its token.
`TokenSource` re-mints a token once less than `REFRESH_MARGIN` seconds of it are left,
so every request starts with a token that is valid for at least that long.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from app.access.identity import Identity, IdentityKind
from app.access.owners import VISITOR_PREFIX, is_owner_id

SECRET_ENV = "LANGGRAPH_CHAT_AUTH_SECRET"
ALGORITHM = "HS256"
ISSUER = "langgraph-reflex-chat"
AUDIENCE = "langgraph-agent-server"
DEFAULT_LIFETIME = 300.0  # seconds
MAX_LIFETIME = 3600.0  # the server refuses tokens made to live longer
REFRESH_MARGIN = 60.0  # re-mint when less than this is left
LEEWAY = 5.0  # clock skew tolerated between the two processes
MIN_SECRET_LENGTH = 32  # HS256 wants a key of at least 256 bits


class InvalidToken(Exception):
    """The token is missing, malformed, forged, expired or not meant for this server."""


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says."""

    owner: str
    name: str
    kind: IdentityKind
    expires_at: float


def check_secret(secret: str | bytes | None) -> bytes:
    """The secret as bytes; ValueError (naming the variable) when missing or too short."""
    if not secret:
        raise ValueError(f"{SECRET_ENV} is not set: the token secret shared with the server")
    raw = secret.encode() if isinstance(secret, str) else secret
    if len(raw) < MIN_SECRET_LENGTH:
        raise ValueError(f"{SECRET_ENV} must be at least {MIN_SECRET_LENGTH} characters long")
    return raw


def mint(identity: Identity, secret: str | bytes, *, lifetime: float = DEFAULT_LIFETIME,
         now: float | None = None) -> str:
    """A signed token for `identity`, valid for `lifetime` seconds from `now`."""
    if not 0 < lifetime <= MAX_LIFETIME:
        raise ValueError(f"token lifetime must be in (0, {MAX_LIFETIME:.0f}] seconds")
    issued = int(time.time() if now is None else now)
    claims = {
        "sub": identity.owner,
        "name": identity.name,
        "kind": identity.kind,
        "iat": issued,
        "exp": issued + int(lifetime),
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    return jwt.encode(claims, check_secret(secret), algorithm=ALGORITHM)


def verify(token: str, secret: str | bytes, *, now: float | None = None) -> TokenClaims:
    """The claims of a token this app minted; InvalidToken for anything else."""
    key = check_secret(secret)
    options: dict[str, Any] = {"require": ["sub", "exp", "iat", "iss", "aud"]}
    if now is not None:  # PyJWT reads the clock itself: compare by hand for a given `now`
        options["verify_exp"] = False
        options["verify_iat"] = False
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE,
                            issuer=ISSUER, leeway=LEEWAY, options=options)
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"{type(exc).__name__}: {exc}") from None
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise InvalidToken("exp and iat must be numbers")
    if now is not None and exp + LEEWAY <= now:
        raise InvalidToken("ExpiredSignatureError: Signature has expired")
    if exp - iat > MAX_LIFETIME:
        raise InvalidToken("token lifetime is longer than the server accepts")
    owner = claims.get("sub")
    if not is_owner_id(owner):
        raise InvalidToken("sub is not an owner id (visitor:<id> or user:<sub>)")
    kind: IdentityKind = "visitor" if owner.startswith(VISITOR_PREFIX) else "user"
    if claims.get("kind", kind) != kind:
        raise InvalidToken("kind does not match sub")
    name = claims.get("name")
    return TokenClaims(owner=owner, name=name if isinstance(name, str) else "",
                       kind=kind, expires_at=float(exp))


class TokenSource:
    """Hands out a valid token for one identity, minting a new one when needed.

    The refresh rule: a cached token is reused while more than `refresh_margin` seconds
    of it are left; then a new one is minted. `clock` is injectable for tests.
    """

    def __init__(self, identity: Identity, secret: str | bytes, *,
                 lifetime: float = DEFAULT_LIFETIME, refresh_margin: float = REFRESH_MARGIN,
                 clock: Callable[[], float] = time.time) -> None:
        if refresh_margin >= lifetime:
            raise ValueError("refresh_margin must be shorter than the lifetime")
        check_secret(secret)
        self.identity = identity
        self._secret = secret
        self._lifetime = lifetime
        self._margin = refresh_margin
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0

    def token(self) -> str:
        now = self._clock()
        if self._token is None or self._expires_at - now <= self._margin:
            self._token = mint(self.identity, self._secret, lifetime=self._lifetime, now=now)
            self._expires_at = int(now) + int(self._lifetime)
        return self._token

    def authorization(self) -> str:
        """The `Authorization` header value."""
        return f"Bearer {self.token()}"
