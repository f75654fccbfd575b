"""Per-identity AgentClients over one shared pool, each request carrying its identity's
fresh token (app.access.transport), against the demo server with auth."""

from __future__ import annotations

import secrets
import time

import httpx
import pytest

from app.access.identity import Identity
from app.access.tokens import TokenSource, verify
from app.access.transport import AuthorizingTransport, authorization_source
from app.sdk import AgentClient
from app.sdk.errors import NotFoundError
from app.stream import ThreadStream
from tests.access_fixtures import AuthServer


def visitor() -> Identity:
    return Identity.visitor(secrets.token_urlsafe(16))


async def test_clients_per_identity_share_one_pool_and_stay_apart(auth_server: AuthServer):
    shared = httpx.AsyncHTTPTransport()
    alice, bob = Identity.user(f"alice-{secrets.token_hex(3)}", "Alice"), visitor()

    def client_for(identity: Identity) -> AgentClient:
        source = authorization_source(identity, auth_server.secret)
        return AgentClient(auth_server.url, http_transport=AuthorizingTransport(shared, source))

    try:
        as_alice, as_bob = client_for(alice), client_for(bob)
        thread = await as_alice.threads.create(metadata={"topic": "tea"})
        assert thread.metadata["owner"] == alice.owner
        with pytest.raises(NotFoundError):
            await as_bob.threads.get(thread.thread_id)
        page = await as_bob.threads.search(metadata={"topic": "tea"})
        assert thread.thread_id not in [t.thread_id for t in page.items]
        await as_alice.aclose()  # closing one identity's client leaves the pool open
        assert (await as_bob.threads.create()).metadata["owner"] == bob.owner
        await as_bob.aclose()
    finally:
        await shared.aclose()


async def test_every_request_gets_the_current_token(auth_server: AuthServer):
    now = time.time()
    clock = [now - 245]  # the first token is valid until now + 55
    identity = visitor()
    source = TokenSource(identity, auth_server.secret, lifetime=300, refresh_margin=60,
                         clock=lambda: clock[0])
    sent: list[str] = []

    def authorization() -> str:
        value = source.authorization()
        sent.append(value)
        return value

    async with AgentClient(auth_server.url, http_transport=AuthorizingTransport(
            httpx.AsyncHTTPTransport(), authorization)) as client:
        thread = await client.threads.create()
        clock[0] += 1  # plenty left: reused
        await client.threads.get(thread.thread_id)
        clock[0] = now  # 55 s left, under the 60 s margin: a new one
        assert (await client.threads.get(thread.thread_id)).thread_id == thread.thread_id
    assert len(sent) == 3 and sent[0] == sent[1] != sent[2]
    claims = verify(sent[-1].removeprefix("Bearer "), auth_server.secret)
    assert claims.owner == identity.owner


async def test_thread_stream_through_an_identity_client(auth_server: AuthServer):
    identity = visitor()
    transport = AuthorizingTransport(httpx.AsyncHTTPTransport(),
                                     authorization_source(identity, auth_server.secret))
    async with AgentClient(auth_server.url, http_transport=transport) as client:
        stream = ThreadStream("chat", client=client)
        await stream.submit("hello", config={"configurable": {
            "reply": "one two three", "token_delay": 0.005}})
        assert stream.error is None
        assert [m["content"] for m in stream.messages] == ["hello", "one two three"]
        thread = await client.threads.get(stream.thread_id)
        assert thread.metadata["owner"] == identity.owner
        await stream.aclose()


def test_forwarding_the_users_own_token():
    user = Identity.user("alice", "Alice", access_token="provider-token")
    assert authorization_source(user, None, forward_oidc_token=True)() == (
        "Bearer provider-token")
    # Visitors have no provider token: they still get a signed one.
    secret = secrets.token_urlsafe(32)
    header = authorization_source(visitor(), secret, forward_oidc_token=True)()
    assert verify(header.removeprefix("Bearer "), secret).kind == "visitor"
    with pytest.raises(ValueError, match="LANGGRAPH_CHAT_AUTH_SECRET"):
        authorization_source(visitor(), None)
