"""OpenID Connect sign-in against a real provider (oidc-provider-mock), driven the way a
browser would: the app's authorization URL, the provider's login page, the redirect
back with a code, then the app's code exchange and ID token checks."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest

from agents.server import free_port
from app.access.oidc import LoginError, OIDCClient, PendingLogin

from .browser import click, open_until

CALLBACK = "http://127.0.0.1:9/auth/callback"  # the app's callback: never served here


def client(issuer: str, client_id: str = "chat-app") -> OIDCClient:
    return OIDCClient(issuer, client_id, "client-secret", CALLBACK)


async def sign_in(issuer: str, oidc: OIDCClient, button: str,
                  typed: dict[str, str] | None = None) -> tuple[PendingLogin, dict[str, str]]:
    """Begin a login, then act as the user's browser; returns the callback's params."""
    pending = await oidc.begin_login()
    async with httpx.AsyncClient(timeout=10) as browser:
        page = await open_until(browser, pending.url, CALLBACK)
        assert isinstance(page, httpx.Response) and page.status_code == 200, page
        back = await click(browser, page, button, CALLBACK, typed)
    assert isinstance(back, str), f"the provider did not redirect back: {back}"
    return pending, dict(parse_qsl(urlsplit(back).query))


async def test_the_authorization_request_carries_state_nonce_and_pkce(oidc_issuer):
    pending = await client(oidc_issuer).begin_login()
    query = parse_qs(urlsplit(pending.url).query)
    assert pending.url.startswith(oidc_issuer + "/")
    assert query["response_type"] == ["code"] and query["client_id"] == ["chat-app"]
    assert query["redirect_uri"] == [CALLBACK]
    assert set(query["scope"][0].split()) >= {"openid", "profile"}
    assert query["state"] == [pending.state] and query["nonce"] == [pending.nonce]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0] != pending.code_verifier
    assert len(pending.code_verifier) >= 43
    other = await client(oidc_issuer).begin_login()
    assert (other.state, other.nonce) != (pending.state, pending.nonce)


async def test_full_flow_ends_with_the_users_identity(oidc_issuer):
    oidc = client(oidc_issuer)
    pending, params = await sign_in(oidc_issuer, oidc, "alice")
    assert params["state"] == pending.state and params["code"]
    identity = await oidc.finish_login(pending, params)
    assert (identity.owner, identity.name, identity.kind) == (
        "user:alice", "Alice Liddell", "user")
    assert identity.access_token
    # The access token is live at the provider.
    async with httpx.AsyncClient() as http:
        info = await http.get(f"{oidc_issuer}/userinfo",
                              headers={"Authorization": f"Bearer {identity.access_token}"})
    assert info.json()["sub"] == "alice"


async def test_a_typed_in_user_without_a_name_is_shown_by_email(oidc_issuer):
    oidc = client(oidc_issuer)
    pending, params = await sign_in(oidc_issuer, oidc, "Authorize",
                                    typed={"sub": "carol@example.org"})
    identity = await oidc.finish_login(pending, params)
    assert (identity.owner, identity.name) == ("user:carol@example.org", "carol@example.org")


async def test_a_denied_login_is_a_login_error(oidc_issuer):
    oidc = client(oidc_issuer)
    pending, params = await sign_in(oidc_issuer, oidc, "Deny")
    assert params["error"] == "access_denied"
    with pytest.raises(LoginError, match="refused"):
        await oidc.finish_login(pending, params)


async def test_a_callback_for_another_login_is_refused(oidc_issuer):
    oidc = client(oidc_issuer)
    mine = await oidc.begin_login()
    theirs, params = await sign_in(oidc_issuer, oidc, "bob")
    with pytest.raises(LoginError, match="state mismatch"):
        await oidc.finish_login(mine, params)
    # The right login still works with the same code.
    assert (await oidc.finish_login(theirs, params)).name == "Bob Builder"


async def test_a_code_is_good_once(oidc_issuer):
    oidc = client(oidc_issuer)
    pending, params = await sign_in(oidc_issuer, oidc, "bob")
    await oidc.finish_login(pending, params)
    with pytest.raises(LoginError, match="invalid_grant"):
        await oidc.finish_login(pending, params)


async def test_a_wrong_nonce_fails_the_id_token_check(oidc_issuer):
    oidc = client(oidc_issuer)
    pending, params = await sign_in(oidc_issuer, oidc, "alice")
    tampered = PendingLogin(pending.url, pending.state, "another-nonce",
                            pending.code_verifier, pending.redirect_uri)
    with pytest.raises(LoginError, match="nonce"):
        await oidc.finish_login(tampered, params)


async def test_an_id_token_for_another_client_is_refused(oidc_issuer):
    # The provider issues the token to "chat-app"; an app configured as another client
    # that somehow receives the code must not accept the ID token.
    app_a = client(oidc_issuer, "chat-app")
    pending, params = await sign_in(oidc_issuer, app_a, "alice")
    app_b = client(oidc_issuer, "other-app")
    with pytest.raises(LoginError):
        await app_b.finish_login(pending, params)


async def test_an_unreachable_issuer_is_a_login_error(oidc_issuer):
    with pytest.raises(LoginError, match="cannot be reached"):
        await client(f"http://127.0.0.1:{free_port()}").begin_login()
    localhost = oidc_issuer.replace("127.0.0.1", "localhost")
    # Same server, other name: its metadata names the issuer by the host asked for, so
    # this one is consistent; a trailing slash is not a different issuer either.
    assert (await client(localhost + "/").discover())["issuer"] == localhost
