"""The demo server in OIDC mode: a user's own access token from a real provider
(oidc-provider-mock) is accepted, maps to the same owner as the app's signed token for
that user, and isolates users the same way."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from app.access.identity import Identity
from app.access.oidc import OIDCClient
from app.access.tokens import mint
from tests.access_fixtures import AuthServer, start_auth_server

from .browser import click, open_until

CALLBACK = "http://127.0.0.1:9/auth/callback"
CLIENT_ID = "chat-app"


@pytest.fixture(scope="module")
def oidc_server(oidc_issuer: str, auth_secret: str) -> Iterator[AuthServer]:
    server = start_auth_server({"LANGGRAPH_CHAT_AUTH_SECRET": auth_secret,
                                "LANGGRAPH_CHAT_OIDC_ISSUER": oidc_issuer,
                                "LANGGRAPH_CHAT_OIDC_AUDIENCE": CLIENT_ID})
    try:
        yield AuthServer(server.url, auth_secret, server)
    finally:
        server.stop()


async def provider_tokens(issuer: str, user: str, client_id: str = CLIENT_ID) -> dict:
    """The provider's token response for `user` signing in to `client_id`."""
    oidc = OIDCClient(issuer, client_id, "client-secret", CALLBACK)
    pending = await oidc.begin_login()
    async with httpx.AsyncClient(timeout=10) as browser:
        page = await open_until(browser, pending.url, CALLBACK)
        back = await click(browser, page, user, CALLBACK)
        code = dict(parse_qsl(urlsplit(back).query))["code"]
        metadata = await oidc.discover()
        response = await browser.post(metadata["token_endpoint"], auth=(client_id, "x"), data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "code_verifier": pending.code_verifier})
    response.raise_for_status()
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_opaque_access_tokens_are_checked_at_the_provider(oidc_server, oidc_issuer):
    alice = await provider_tokens(oidc_issuer, "alice")
    bob = await provider_tokens(oidc_issuer, "bob")
    assert alice["access_token"].count(".") != 2  # opaque: checked at userinfo
    async with httpx.AsyncClient(base_url=oidc_server.url, timeout=30) as http:
        created = await http.post("/threads", json={}, headers=bearer(alice["access_token"]))
        assert created.status_code == 200, created.text
        thread = created.json()
        assert thread["metadata"]["owner"] == "user:alice"
        tid = thread["thread_id"]
        # The app's own token for the same user is the same owner.
        signed = mint(Identity.user("alice", "Alice"), oidc_server.secret)
        assert (await http.get(f"/threads/{tid}", headers=bearer(signed))).status_code == 200
        # Bob's token: like a missing thread.
        assert (await http.get(f"/threads/{tid}",
                               headers=bearer(bob["access_token"]))).status_code == 404
        found = await http.post("/threads/search", json={}, headers=bearer(bob["access_token"]))
        assert tid not in [t["thread_id"] for t in found.json()]
        # A token the provider never issued.
        refused = await http.get(f"/threads/{tid}", headers=bearer("never-issued-token"))
        assert refused.status_code == 401


async def test_jwts_signed_by_the_provider_are_checked_against_its_keys(oidc_server,
                                                                       oidc_issuer):
    # The provider's ID token is a JWT signed with its JWKS key: it stands in for a JWT
    # access token (the mock issues opaque access tokens).
    alice = await provider_tokens(oidc_issuer, "alice")
    elsewhere = await provider_tokens(oidc_issuer, "alice", client_id="other-app")
    header, payload, signature = alice["id_token"].split(".")
    async with httpx.AsyncClient(base_url=oidc_server.url, timeout=30) as http:
        ok = await http.post("/threads/search", json={}, headers=bearer(alice["id_token"]))
        assert ok.status_code == 200, ok.text
        # Issued for another audience than LANGGRAPH_CHAT_OIDC_AUDIENCE.
        other = await http.post("/threads/search", json={},
                                headers=bearer(elsewhere["id_token"]))
        assert other.status_code == 401 and "Audience" in other.json()["detail"]
        # Any change to the payload breaks the signature.
        forged_payload = elsewhere["id_token"].split(".")[1]
        forged = f"{header}.{forged_payload}.{signature}"
        refused = await http.post("/threads/search", json={}, headers=bearer(forged))
        assert refused.status_code == 401
