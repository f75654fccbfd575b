"""Per-identity limits on the `limits` package, in memory and in a real redis-server."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from app.access.limits import Limiter, LimitPolicy, storage_for


@pytest.fixture(params=["memory", "redis"])
def storage_uri(request) -> str:
    if request.param == "memory":
        return "memory://"
    return request.getfixturevalue("redis_url")


def owner() -> str:
    return f"visitor:{secrets.token_urlsafe(16)}"


async def test_runs_per_minute_then_a_message_with_the_wait(storage_uri):
    limiter = Limiter(LimitPolicy(runs_per_minute=3, concurrent_runs=0), storage_uri)
    me, other = owner(), owner()
    for _ in range(3):
        assert (await limiter.start_run(me, "hi")).allowed
    refused = await limiter.start_run(me, "hi")
    assert not refused.allowed and refused.reason == "runs_per_minute"
    assert refused.retry_after is not None and 55 <= refused.retry_after <= 60
    assert refused.message == (
        f"You can start 3 answers per minute. Please try again in {refused.retry_after} s.")
    assert (await limiter.start_run(other, "hi")).allowed  # per identity
    # Counted in the storage, not in the Limiter: a second Limiter (another worker) agrees.
    if storage_uri != "memory://":
        assert not (await Limiter(limiter.policy, storage_uri).start_run(me)).allowed


async def test_concurrent_runs_are_held_until_finished(storage_uri):
    limiter = Limiter(LimitPolicy(runs_per_minute=0, concurrent_runs=2), storage_uri)
    me = owner()
    assert (await limiter.start_run(me)).allowed
    assert (await limiter.start_run(me)).allowed
    assert await limiter.running(me) == 2
    refused = await limiter.start_run(me)
    assert (refused.allowed, refused.reason, refused.retry_after) == (
        False, "concurrent_runs", None)
    assert "You already have 2 answers running" in refused.message
    assert await limiter.running(me) == 2  # a refused start holds nothing
    await limiter.finish_run(me)
    assert (await limiter.start_run(me)).allowed
    await limiter.finish_run(me)
    await limiter.finish_run(me)
    assert await limiter.running(me) == 0
    await limiter.finish_run(me)  # an extra finish never goes below zero
    assert await limiter.running(me) == 0


async def test_concurrent_starts_never_overshoot(storage_uri):
    limiter = Limiter(LimitPolicy(runs_per_minute=0, concurrent_runs=3), storage_uri)
    me = owner()
    decisions = await asyncio.gather(*(limiter.start_run(me) for _ in range(20)))
    assert sum(d.allowed for d in decisions) == 3
    assert await limiter.running(me) == 3


async def test_a_run_refused_per_minute_gives_its_slot_back(storage_uri):
    limiter = Limiter(LimitPolicy(runs_per_minute=1, concurrent_runs=5), storage_uri)
    me = owner()
    async with limiter.run(me, "one") as first:
        assert first.allowed
        async with limiter.run(me, "two") as second:
            assert second.reason == "runs_per_minute"
        assert await limiter.running(me) == 1
    assert await limiter.running(me) == 0


async def test_message_length(storage_uri):
    limiter = Limiter(LimitPolicy(max_message_chars=10), storage_uri)
    me = owner()
    assert limiter.check_message("x" * 10).allowed
    refused = await limiter.start_run(me, "x" * 1234)
    assert (refused.allowed, refused.reason) == (False, "message_length")
    assert refused.message == ("Your message is 1,234 characters long; the limit is 10. "
                               "Please shorten it and send it again.")
    assert await limiter.running(me) == 0


def test_unknown_storages_are_refused():
    with pytest.raises(ValueError, match="memory:// or redis://"):
        storage_for("memcached://localhost:1")
