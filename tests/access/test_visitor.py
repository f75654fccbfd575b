"""Visitor cookies: a signed random id that verifies back, and nothing else does."""

from __future__ import annotations

import base64
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.access.visitor import SALT, VisitorSigner, new_visitor_id

SECRET = "visitor-cookie-secret-for-the-tests-0123456789"


def test_new_ids_are_random_and_url_safe():
    ids = {new_visitor_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 22 and i.replace("-", "").replace("_", "").isalnum() for i in ids)


def test_a_signed_id_verifies_back_across_signers_with_the_same_secret():
    visitor = VisitorSigner(SECRET).issue()
    assert visitor.is_new
    # A new signer with the same secret stands for a restarted app.
    assert VisitorSigner(SECRET).verify(visitor.cookie) == visitor.visitor_id
    again = VisitorSigner(SECRET).resolve(visitor.cookie)
    assert (again.visitor_id, again.cookie, again.is_new) == (visitor.visitor_id,
                                                                visitor.cookie, False)


def test_another_secret_is_refused():
    cookie = VisitorSigner(SECRET).issue().cookie
    assert VisitorSigner(SECRET + "-other").verify(cookie) is None


def _flip(text: str, index: int) -> str:
    char = text[index]
    return text[:index] + ("A" if char != "A" else "B") + text[index + 1:]


def test_any_tampered_character_is_refused():
    signer = VisitorSigner(SECRET)
    cookie = signer.issue().cookie
    for index in range(len(cookie)):
        if cookie[index] == ".":
            continue
        assert signer.verify(_flip(cookie, index)) is None, index


def test_a_payload_swapped_under_the_old_signature_is_refused():
    signer = VisitorSigner(SECRET)
    victim = signer.issue()
    mine = signer.issue()
    payload, rest = mine.cookie.split(".", 1)
    victim_payload = victim.cookie.split(".", 1)[0]
    assert signer.verify(f"{victim_payload}.{rest}") is None
    assert signer.verify(f"{payload}.{victim.cookie.split('.', 1)[1]}") is None


@pytest.mark.parametrize("forged", [
    "", "abc", "visitor:aaaaaaaaaaaaaaaaaaaaaa", "a.b.c", "..",
    base64.urlsafe_b64encode(b'"aaaaaaaaaaaaaaaaaaaaaa"').decode() + ".x.y",
])
def test_forged_values_are_refused_and_replaced(forged):
    signer = VisitorSigner(SECRET)
    assert signer.verify(forged) is None
    replaced = signer.resolve(forged)
    assert replaced.is_new and replaced.cookie != forged
    assert signer.verify(replaced.cookie) == replaced.visitor_id


def test_a_value_signed_for_another_purpose_is_refused():
    # Same secret, another salt (e.g. some other signed value of the app).
    other = URLSafeTimedSerializer(SECRET, salt="something-else").dumps(new_visitor_id())
    assert VisitorSigner(SECRET).verify(other) is None
    # Same salt and secret but not a visitor id: refused too.
    odd = URLSafeTimedSerializer(SECRET, salt=SALT).dumps({"id": "x"})
    assert VisitorSigner(SECRET).verify(odd) is None


def test_an_old_cookie_expires():
    signer = VisitorSigner(SECRET, max_age=1)
    cookie = signer.issue().cookie
    assert signer.verify(cookie) is not None
    time.sleep(2.1)  # itsdangerous timestamps have a one-second resolution
    assert signer.verify(cookie) is None


def test_only_visitor_ids_are_signed():
    with pytest.raises(ValueError):
        VisitorSigner(SECRET).sign("user:alice")
    with pytest.raises(ValueError):
        VisitorSigner("")
