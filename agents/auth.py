"""Custom auth for the demo Agent Server (`"auth": {"path": "agents/auth.py:auth"}`).

Authentication: every request needs `Authorization: Bearer <token>`, either
- a short-lived HS256 token minted by the Reflex backend (app/access/tokens.py) with the
  secret in `LANGGRAPH_CHAT_AUTH_SECRET`, whose `sub` is the owner id
  (`visitor:<id>` or `user:<sub>`), or
- when `LANGGRAPH_CHAT_OIDC_ISSUER` is set, a user's own access token from that OpenID
  Connect provider (app/access/provider_tokens.py; `LANGGRAPH_CHAT_OIDC_AUDIENCE`
  optionally pins its audience); the owner is then `user:<sub>`.
No token, a malformed, forged, expired or foreign token: 401.

Fail closed: with neither variable set the server refuses every request (401, saying
which variable to set). A server open to everyone is one whose config has no "auth".

Authorization, per resource:
- threads: creating a thread (or a run that creates one) stamps `metadata.owner`;
  every read, search, update, delete, run, stream, join and state call is filtered by
  that owner, so another owner's thread answers exactly like a missing one (404, or an
  empty search). An update cannot hand a thread to someone else.
- assistants: reading and searching are open (the graphs' assistants are shared);
  creating, changing or deleting them is refused (403).
- crons, store and anything else: refused (403).

Studio's `x-auth-scheme: langsmith` shortcut of `langgraph dev` must be off in the
config (`"disable_studio_auth": true`), or it would let anyone in as the Studio user.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

import jwt
from langgraph_sdk import Auth

from app.access.owners import OWNER_KEY
from app.access.provider_tokens import AUDIENCE_ENV, ProviderTokenVerifier
from app.access.tokens import ALGORITHM, SECRET_ENV, InvalidToken, TokenClaims, check_secret
from app.access.tokens import verify as verify_app_token

ISSUER_ENV = "LANGGRAPH_CHAT_OIDC_ISSUER"

logger = logging.getLogger(__name__)
auth = Auth()


class _Config:
    """What the server accepts, read once from the environment."""

    def __init__(self) -> None:
        self.problem = ""
        self.secret: bytes | None = None
        raw = os.environ.get(SECRET_ENV, "")
        if raw:
            try:
                self.secret = check_secret(raw)
            except ValueError as exc:
                self.problem = str(exc)
        issuer = os.environ.get(ISSUER_ENV, "").strip()
        self.provider = ProviderTokenVerifier(
            issuer, audience=os.environ.get(AUDIENCE_ENV) or None) if issuer else None
        if self.secret is None and self.provider is None and not self.problem:
            self.problem = (f"neither {SECRET_ENV} nor {ISSUER_ENV} is set: this server "
                            "refuses every request")
        if self.problem:
            logger.error("agents/auth.py: %s", self.problem)


@cache
def config() -> _Config:
    return _Config()


def _unauthorized(detail: str) -> Auth.exceptions.HTTPException:
    return Auth.exceptions.HTTPException(
        status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


async def _claims(token: str) -> TokenClaims:
    settings = config()
    try:
        header_alg = _unverified_alg(token)
    except InvalidToken:
        header_alg = None
    if header_alg == ALGORITHM:
        if settings.secret is None:
            raise InvalidToken(settings.problem or f"{SECRET_ENV} is not set")
        return verify_app_token(token, settings.secret)
    if settings.provider is not None:
        return await settings.provider.verify(token)
    raise InvalidToken(settings.problem or "not a token of this app")


def _unverified_alg(token: str) -> str | None:
    try:
        return jwt.get_unverified_header(token).get("alg")
    except jwt.PyJWTError:
        raise InvalidToken("not a JWT") from None


@auth.authenticate
async def authenticate(authorization: str | None) -> Auth.types.MinimalUserDict:
    settings = config()
    if settings.problem and settings.secret is None and settings.provider is None:
        raise _unauthorized(settings.problem)
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("missing bearer token")
    try:
        claims = await _claims(token.strip())
    except InvalidToken as exc:
        raise _unauthorized(f"invalid token: {exc}") from None
    return {"identity": claims.owner, "display_name": claims.name or claims.owner,
            "permissions": [claims.kind], "is_authenticated": True}


def _owner(ctx: Auth.types.AuthContext) -> dict[str, str]:
    return {OWNER_KEY: ctx.user.identity}


def _stamp(ctx: Auth.types.AuthContext, value: dict[str, Any]) -> None:
    metadata = value.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
        value["metadata"] = metadata
    metadata[OWNER_KEY] = ctx.user.identity


@auth.on
async def refuse_everything_else(ctx: Auth.types.AuthContext, value: Any) -> bool:
    """Crons, the store, and any resource or action not allowed below."""
    return False


@auth.on.threads.create
async def create_thread(ctx: Auth.types.AuthContext, value: dict[str, Any]) -> dict[str, str]:
    # The filter also applies when the id is taken (`if_exists: "do_nothing"`): another
    # owner's thread is then refused instead of returned.
    _stamp(ctx, value)
    return _owner(ctx)


@auth.on.threads.create_run
async def create_run(ctx: Auth.types.AuthContext, value: dict[str, Any]) -> dict[str, str]:
    # A run may create its thread (`if_not_exists: "create"`, stateless runs): the run's
    # metadata becomes the new thread's metadata, so stamp it there too.
    _stamp(ctx, value)
    return _owner(ctx)


@auth.on.threads.update
async def update_thread(ctx: Auth.types.AuthContext, value: dict[str, Any]) -> dict[str, str]:
    if isinstance(value.get("metadata"), dict):
        value["metadata"][OWNER_KEY] = ctx.user.identity  # never hand a thread over
    return _owner(ctx)


@auth.on.threads.read
@auth.on.threads.search
@auth.on.threads.delete
async def own_threads_only(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    return _owner(ctx)


@auth.on.assistants.read
@auth.on.assistants.search
async def read_assistants(ctx: Auth.types.AuthContext, value: Any) -> bool:
    return True


@auth.on.assistants
async def refuse_assistant_changes(ctx: Auth.types.AuthContext, value: Any) -> bool:
    return False
