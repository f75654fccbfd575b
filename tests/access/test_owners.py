"""Owner ids and the backend-side ownership checks."""

from __future__ import annotations

from app.access.identity import Identity
from app.access.owners import (
    OWNER_KEY,
    is_owner_id,
    owned_by,
    owner_filter,
    owner_metadata,
    thread_owner,
)
from app.sdk.models import Thread


def test_identities_carry_owner_ids():
    assert Identity.visitor("v" * 22).owner == "visitor:" + "v" * 22
    user = Identity.user("alice", "", access_token="secret-token")
    assert (user.owner, user.name, user.is_user) == ("user:alice", "alice", True)
    assert "secret-token" not in repr(user)


def test_owner_ids():
    assert is_owner_id("visitor:abc") and is_owner_id("user:x")
    assert not any(is_owner_id(v) for v in ("visitor:", "user:", "alice", None, 3, "admin:x"))


def test_stamping_never_lets_the_caller_pick_the_owner():
    assert owner_metadata("user:a", {"owner": "user:b", "x": 1}) == {OWNER_KEY: "user:a", "x": 1}
    assert owner_filter("user:a") == {"owner": "user:a"}


def test_owned_by_reads_dicts_and_sdk_threads():
    mine = {"thread_id": "t", "metadata": {"owner": "user:a"}}
    assert owned_by(mine, "user:a") and not owned_by(mine, "user:b")
    assert owned_by(Thread(thread_id="t", metadata={"owner": "user:a"}), "user:a")
    assert not owned_by({"thread_id": "t", "metadata": {}}, "user:a")
    assert not owned_by({"thread_id": "t"}, "")
    assert thread_owner({"metadata": None}) is None
