"""Send each request to the Agent Server with the current identity's `Authorization`.

`AuthorizingTransport` wraps one shared httpx transport (one connection pool for the
whole Reflex backend) and sets the header on every request from a callable, so that an
`AgentClient(api_url, http_transport=AuthorizingTransport(shared, source))` per
identity costs no connections of its own and always sends a fresh token. Closing that
client leaves the shared pool open.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from app.access.identity import Identity
from app.access.tokens import DEFAULT_LIFETIME, TokenSource


class AuthorizingTransport(httpx.AsyncBaseTransport):
    """Delegates to `inner`, setting `Authorization` to `authorization()` per request."""

    def __init__(self, inner: httpx.AsyncBaseTransport,
                 authorization: Callable[[], str | None]) -> None:
        self._inner = inner
        self._authorization = authorization

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        value = self._authorization()
        if value:
            request.headers["Authorization"] = value
        else:
            request.headers.pop("Authorization", None)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """The shared pool outlives each per-identity client: close it where it was made."""


def authorization_source(identity: Identity, secret: str | bytes | None, *,
                         forward_oidc_token: bool = False,
                         lifetime: float = DEFAULT_LIFETIME) -> Callable[[], str]:
    """What to put in `Authorization` for `identity`.

    By default a short-lived token signed with `secret` (see app.access.tokens). With
    `forward_oidc_token`, a signed-in user's own OIDC access token instead, for servers
    that check it themselves; visitors have none and still get a signed token.
    """
    if forward_oidc_token and identity.access_token:
        header = f"Bearer {identity.access_token}"
        return lambda: header
    if secret is None:
        raise ValueError("a signed token needs the shared secret (LANGGRAPH_CHAT_AUTH_SECRET)")
    return TokenSource(identity, secret, lifetime=lifetime).authorization
