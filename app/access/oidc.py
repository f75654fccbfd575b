"""Sign-in with any OpenID Connect provider (authlib), configured by issuer URL, client id
and client secret.

The authorization-code flow with state, nonce and PKCE (S256):
1. `begin_login()` -> a `PendingLogin`: send the browser to `.url`, keep the rest on the
   server (it must not reach the browser) under `.state`.
2. The provider redirects back to `redirect_uri?code=...&state=...`.
3. `finish_login(pending, query_params)` checks the state, exchanges the code, validates
   the ID token (signature against the issuer's JWKS, issuer, audience, expiry, nonce),
   reads userinfo, and returns the user's `Identity` (with their access token).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError

from app.access.identity import Identity

try:  # authlib's httpx integration runs on httpx2 when it is installed, else on httpx
    import httpx2

    HTTP_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError)
except ImportError:  # pragma: no cover - depends on the environment
    HTTP_ERRORS = (httpx.HTTPError,)

DEFAULT_SCOPE = "openid profile email"
DISCOVERY_PATH = "/.well-known/openid-configuration"
ISSUER_ENV = "LANGGRAPH_CHAT_OIDC_ISSUER"
CLIENT_ID_ENV = "LANGGRAPH_CHAT_OIDC_CLIENT_ID"
CLIENT_SECRET_ENV = "LANGGRAPH_CHAT_OIDC_CLIENT_SECRET"


class LoginError(Exception):
    """Sign-in failed; the message can be shown to the user."""


@dataclass(frozen=True)
class PendingLogin:
    """A sign-in in progress: `url` goes to the browser, the rest stays on the server."""

    url: str
    state: str
    nonce: str
    code_verifier: str = field(repr=False)
    redirect_uri: str


def normalize_issuer(issuer: str) -> str:
    issuer = issuer.strip()
    if not issuer.startswith(("https://", "http://")):
        raise ValueError(f"{ISSUER_ENV} must be an http(s) URL (got {issuer!r})")
    return issuer.rstrip("/")


def display_name(claims: Mapping[str, Any]) -> str:
    """The best name to show for a user's claims."""
    for key in ("name", "preferred_username", "nickname", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "User"


class OIDCClient:
    """An OpenID Connect relying party for one provider."""

    def __init__(self, issuer: str, client_id: str, client_secret: str | None,
                 redirect_uri: str, *, scope: str = DEFAULT_SCOPE,
                 timeout: float = 10.0) -> None:
        if not client_id:
            raise ValueError(f"{CLIENT_ID_ENV} must be set")
        self.issuer = normalize_issuer(issuer)
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        registry = OAuth()
        registry.register(
            "provider",
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=self.issuer + DISCOVERY_PATH,
            client_kwargs={"scope": scope, "code_challenge_method": "S256",
                           "timeout": timeout},
        )
        self._app = registry.create_client("provider")

    async def discover(self) -> dict[str, Any]:
        """The provider's metadata; LoginError when unreachable or for another issuer."""
        try:
            metadata = await self._app.load_server_metadata()
        except (*HTTP_ERRORS, ValueError) as exc:
            raise LoginError(f"The sign-in provider at {self.issuer} cannot be reached "
                             f"({type(exc).__name__}).") from None
        found = str(metadata.get("issuer", "")).rstrip("/")
        if found != self.issuer:
            raise LoginError(f"The sign-in provider says its issuer is {found!r}, "
                             f"not {self.issuer!r}.")
        return metadata

    async def begin_login(self) -> PendingLogin:
        """Start a sign-in: fresh state, nonce and PKCE verifier."""
        await self.discover()
        data = await self._app.create_authorization_url(self.redirect_uri)
        return PendingLogin(url=data["url"], state=data["state"], nonce=data["nonce"],
                            code_verifier=data["code_verifier"], redirect_uri=self.redirect_uri)

    async def finish_login(self, pending: PendingLogin,
                           params: Mapping[str, str]) -> Identity:
        """The signed-in user, from the query parameters of the redirect back."""
        if params.get("error"):
            detail = params.get("error_description") or params["error"]
            raise LoginError(f"Sign-in was refused: {detail}")
        state, code = params.get("state") or "", params.get("code") or ""
        if not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise LoginError("Sign-in failed: the answer does not belong to this sign-in "
                             "(state mismatch). Please start again.")
        if not code:
            raise LoginError("Sign-in failed: the provider sent no authorization code.")
        await self.discover()
        try:
            token = await self._app.fetch_access_token(
                redirect_uri=pending.redirect_uri, code=code,
                code_verifier=pending.code_verifier)
            if "id_token" not in token:
                raise LoginError("Sign-in failed: the provider sent no ID token.")
            claims = await self._app.parse_id_token(
                token, nonce=pending.nonce,
                claims_options={"iss": {"essential": True, "values": [self.issuer]},
                                "aud": {"essential": True, "values": [self.client_id]}})
            profile = dict(claims)
            if "userinfo_endpoint" in self._app.server_metadata:
                info = await self._app.userinfo(token=token)
                if info.get("sub") != claims["sub"]:
                    raise LoginError("Sign-in failed: userinfo is about another user.")
                profile.update(info)
        except (OAuthError, JoseError) as exc:
            raise LoginError(f"Sign-in failed: {exc}") from None
        except HTTP_ERRORS as exc:
            raise LoginError(f"Sign-in failed: the provider did not answer "
                             f"({type(exc).__name__}).") from None
        return Identity.user(str(claims["sub"]), display_name(profile),
                             access_token=token.get("access_token"))
