"""The token the Reflex backend mints for the Agent Server: claims, expiry, forgery."""

from __future__ import annotations

import time

import jwt
import pytest

from app.access.identity import Identity
from app.access.tokens import (
    AUDIENCE,
    ISSUER,
    LEEWAY,
    InvalidToken,
    TokenSource,
    mint,
    verify,
)

SECRET = "a-shared-secret-of-at-least-32-chars!!"
ALICE = Identity.user("alice", "Alice Liddell")
VISITOR = Identity.visitor("aaaaaaaaaaaaaaaaaaaaaa")


def test_round_trip_for_users_and_visitors():
    claims = verify(mint(ALICE, SECRET), SECRET)
    assert (claims.owner, claims.name, claims.kind) == ("user:alice", "Alice Liddell", "user")
    claims = verify(mint(VISITOR, SECRET), SECRET)
    assert (claims.owner, claims.kind) == ("visitor:aaaaaaaaaaaaaaaaaaaaaa", "visitor")


def test_the_default_lifetime_is_five_minutes():
    now = time.time()
    claims = verify(mint(ALICE, SECRET, now=now), SECRET, now=now)
    assert claims.expires_at == int(now) + 300


def test_expired_tokens_are_refused():
    past = time.time() - 400
    token = mint(ALICE, SECRET, now=past)  # expired 100 s ago
    with pytest.raises(InvalidToken, match="Expired"):
        verify(token, SECRET)
    token = mint(ALICE, SECRET, now=time.time() - 300 + LEEWAY + 2)  # still inside
    assert verify(token, SECRET).owner == "user:alice"


def test_the_wrong_secret_is_refused():
    with pytest.raises(InvalidToken, match="Signature"):
        verify(mint(ALICE, SECRET), SECRET + "x")


def _encode(claims: dict, key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _claims(**overrides):
    now = int(time.time())
    claims = {"sub": "user:alice", "name": "A", "iat": now, "exp": now + 60,
              "iss": ISSUER, "aud": AUDIENCE}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize("overrides, problem", [
    ({"aud": "someone-else"}, "Audience"),
    ({"iss": "someone-else"}, "Issuer"),
    ({"sub": "alice"}, "owner id"),
    ({"sub": "user:"}, "owner id"),
    ({"sub": "visitor:x", "kind": "user"}, "kind"),
    ({"exp": None}, "exp"),
    ({"exp": 7200}, "longer"),  # seconds from now: a lifetime over the hour allowed
])
def test_tokens_this_app_never_mints_are_refused(overrides, problem):
    # The claims are made when the test runs (made at collection, they could expire
    # before a long suite reaches this test).
    if overrides.get("exp") == 7200:
        overrides = {"exp": int(time.time()) + 7200}
    with pytest.raises(InvalidToken, match=problem):
        verify(_encode(_claims(**overrides)), SECRET)


def test_a_tampered_payload_is_refused():
    header, payload, signature = mint(VISITOR, SECRET).split(".")
    other_header, other_payload, _ = mint(ALICE, SECRET).split(".")
    with pytest.raises(InvalidToken, match="Signature"):
        verify(f"{header}.{other_payload}.{signature}", SECRET)


def test_unsigned_and_other_algorithms_are_refused():
    unsigned = jwt.encode(_claims(), None, algorithm="none")
    with pytest.raises(InvalidToken):
        verify(unsigned, SECRET)
    hs512 = _encode(_claims(), key=SECRET * 2, algorithm="HS512")
    with pytest.raises(InvalidToken, match="InvalidAlgorithm"):
        verify(hs512, SECRET * 2)


def test_short_or_missing_secrets_are_refused_with_the_variable_name():
    with pytest.raises(ValueError, match="LANGGRAPH_CHAT_AUTH_SECRET"):
        mint(ALICE, "short")
    with pytest.raises(ValueError, match="LANGGRAPH_CHAT_AUTH_SECRET"):
        verify("x", "")


def test_token_source_reuses_a_token_until_the_refresh_margin():
    clock = [1_000_000.0]
    source = TokenSource(ALICE, SECRET, lifetime=300, refresh_margin=60,
                         clock=lambda: clock[0])
    first = source.token()
    clock[0] += 239  # 61 s left: reused
    assert source.token() == first
    clock[0] += 1  # 60 s left: a new one
    second = source.token()
    assert second != first
    assert verify(second, SECRET, now=clock[0]).expires_at == clock[0] + 300
    assert source.authorization() == f"Bearer {second}"


def test_token_source_rejects_a_margin_longer_than_the_lifetime():
    with pytest.raises(ValueError):
        TokenSource(ALICE, SECRET, lifetime=60, refresh_margin=60)
