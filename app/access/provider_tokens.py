"""Checks a user's own OIDC access token, for an Agent Server that accepts them.

Providers issue two kinds of access tokens:
- a JWT signed with one of the issuer's keys: verified against the issuer's JWKS
  (PyJWT's `PyJWKClient`), with the issuer, the expiry and, when configured, the
  audience checked;
- an opaque string: sent to the issuer's userinfo endpoint, which answers only for a
  live token. Answers are cached for `cache_seconds` so a chat's many requests cost one
  call.
Either way the owner is `user:<sub>`, the same id the Reflex backend's signed tokens
carry for that user.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

import httpx
import jwt

from app.access.oidc import DISCOVERY_PATH, display_name, normalize_issuer
from app.access.owners import user_owner
from app.access.tokens import InvalidToken, TokenClaims

AUDIENCE_ENV = "LANGGRAPH_CHAT_OIDC_AUDIENCE"
# Only asymmetric algorithms: an HS* token can never pass for a provider's token.
ASYMMETRIC_ALGORITHMS = frozenset({
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
})
_MAX_CACHED = 10_000


class ProviderTokenVerifier:
    """Verifies access tokens issued by one OpenID Connect provider."""

    def __init__(self, issuer: str, *, audience: str | None = None,
                 cache_seconds: float = 60.0, timeout: float = 5.0) -> None:
        self.issuer = normalize_issuer(issuer)
        self.audience = audience or None
        self._cache_seconds = cache_seconds
        self._timeout = timeout
        self._metadata: dict[str, Any] | None = None
        self._jwks: jwt.PyJWKClient | None = None
        self._lock = asyncio.Lock()
        self._cache: dict[str, TokenClaims] = {}

    async def verify(self, token: str) -> TokenClaims:
        """The claims of a valid provider token; InvalidToken otherwise."""
        key = hashlib.sha256(token.encode()).hexdigest()
        cached = self._cache.get(key)
        now = time.time()
        if cached is not None and cached.expires_at > now:
            return cached
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            header = None
        if header is not None:
            if header.get("alg") not in ASYMMETRIC_ALGORITHMS:
                raise InvalidToken("a provider token must be signed with the issuer's key")
            claims = await self._verify_jwt(token, header["alg"], header.get("kid"))
        else:
            claims = await self._verify_at_userinfo(token)
        if len(self._cache) >= _MAX_CACHED:
            self._cache.clear()
        self._cache[key] = TokenClaims(claims.owner, claims.name, claims.kind,
                                       min(claims.expires_at, now + self._cache_seconds))
        return claims

    async def _metadata_doc(self) -> dict[str, Any]:
        async with self._lock:
            if self._metadata is None:
                try:
                    async with httpx.AsyncClient(timeout=self._timeout) as client:
                        response = await client.get(self.issuer + DISCOVERY_PATH)
                        response.raise_for_status()
                        metadata = response.json()
                except (httpx.HTTPError, ValueError) as exc:
                    raise InvalidToken(f"cannot read the issuer's metadata: {exc}") from None
                if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
                    raise InvalidToken("the issuer's metadata names another issuer")
                self._metadata = metadata
            return self._metadata

    async def _verify_jwt(self, token: str, algorithm: str, kid: str | None) -> TokenClaims:
        metadata = await self._metadata_doc()
        if self._jwks is None:
            self._jwks = jwt.PyJWKClient(metadata["jwks_uri"], cache_keys=True,
                                         timeout=int(self._timeout))
        try:
            signing_key = await asyncio.to_thread(self._signing_key, kid)
            claims = jwt.decode(
                token, signing_key.key, algorithms=[algorithm], issuer=metadata["issuer"],
                audience=self.audience,
                options={"require": ["exp", "sub", "iss"],
                         "verify_aud": self.audience is not None})
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"{type(exc).__name__}: {exc}") from None
        return _claims(claims, float(claims["exp"]))

    def _signing_key(self, kid: str | None) -> jwt.PyJWK:
        """The issuer's key named `kid` (refetching the JWKS once for an unknown one).
        A token without `kid` is accepted only from an issuer with a single key."""
        assert self._jwks is not None
        if kid:
            return self._jwks.get_signing_key(kid)
        keys = self._jwks.get_signing_keys()
        if len(keys) != 1:
            raise jwt.PyJWKClientError("the token names no key (kid) and the issuer has "
                                       f"{len(keys)} signing keys")
        return keys[0]

    async def _verify_at_userinfo(self, token: str) -> TokenClaims:
        metadata = await self._metadata_doc()
        endpoint = metadata.get("userinfo_endpoint")
        if not endpoint:
            raise InvalidToken("opaque token and the issuer has no userinfo endpoint")
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(endpoint,
                                            headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise InvalidToken(f"userinfo did not answer: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise InvalidToken(f"userinfo refused the token (HTTP {response.status_code})")
        try:
            info = response.json()
        except ValueError:
            raise InvalidToken("userinfo did not answer JSON") from None
        if not isinstance(info, dict):
            raise InvalidToken("userinfo did not answer an object")
        return _claims(info, time.time() + self._cache_seconds)


def _claims(claims: dict[str, Any], expires_at: float) -> TokenClaims:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("the token names no subject")
    return TokenClaims(owner=user_owner(subject), name=display_name(claims), kind="user",
                       expires_at=expires_at)
