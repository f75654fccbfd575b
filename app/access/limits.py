"""Limits for public demos, per identity (owner id), on the `limits` package.

Three limits: runs started per minute (a moving window), runs in flight at once, and
the length of a message. Counters live in `memory://` (one process) or `redis://...`
(shared by every worker of the Reflex backend). Over a limit, the `Decision` carries a
message for the user that says when to try again.

Use:
    decision = await limiter.start_run(identity.owner, text)
    if not decision.allowed: show decision.message
    else: try: ... stream the run ... finally: await limiter.finish_run(identity.owner)
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal

from limits import RateLimitItemPerMinute
from limits.aio.storage import MovingWindowSupport, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

Reason = Literal["ok", "message_length", "concurrent_runs", "runs_per_minute"]
KEY_PREFIX = "langgraph-chat"
# A run that is never finished (a crashed worker) stops counting after this long.
RUN_LEASE_SECONDS = 3600


@dataclass(frozen=True)
class LimitPolicy:
    """How much one visitor or user may do. 0 turns a limit off."""

    runs_per_minute: int = 10
    concurrent_runs: int = 2
    max_message_chars: int = 4000


@dataclass(frozen=True)
class Decision:
    """Whether an action may go ahead; `message` and `retry_after` (seconds) say why not."""

    allowed: bool
    reason: Reason = "ok"
    message: str = ""
    retry_after: int | None = None


ALLOWED = Decision(True)


def storage_for(uri: str) -> Storage:
    """The async `limits` storage for `memory://` or `redis://host:port[/db]`."""
    uri = uri.strip()
    if uri.startswith(("redis://", "rediss://")):
        # redis-py (already a dependency) instead of limits' default coredis.
        storage = storage_from_string(f"async+{uri}", implementation="redispy",
                                      key_prefix=KEY_PREFIX)
    elif uri.startswith("memory://"):
        storage = storage_from_string(f"async+{uri}")
    else:
        raise ValueError(f"limits storage must be memory:// or redis://... (got {uri!r})")
    if not isinstance(storage, MovingWindowSupport):
        raise ValueError(f"{uri!r}: this storage has no moving windows")
    return storage


def _seconds(value: float) -> str:
    seconds = max(1, math.ceil(value))
    return f"{seconds} s"


class Limiter:
    """Checks and counts the limits of a `LimitPolicy` in one storage."""

    def __init__(self, policy: LimitPolicy, storage_uri: str = "memory://") -> None:
        self.policy = policy
        self._storage = storage_for(storage_uri)
        self._rate = MovingWindowRateLimiter(self._storage)
        self._per_minute = RateLimitItemPerMinute(max(policy.runs_per_minute, 1),
                                                  namespace=f"{KEY_PREFIX}/runs")

    def _running_key(self, owner: str) -> str:
        return f"{KEY_PREFIX}/running/{owner}"

    def check_message(self, text: str | None) -> Decision:
        """Whether a message is short enough."""
        limit = self.policy.max_message_chars
        length = len(text or "")
        if limit and length > limit:
            return Decision(False, "message_length",
                            f"Your message is {length:,} characters long; the limit is "
                            f"{limit:,}. Please shorten it and send it again.")
        return ALLOWED

    async def start_run(self, owner: str, text: str | None = None) -> Decision:
        """Count a run `owner` is about to start, or refuse it. An allowed run holds a
        slot until `finish_run(owner)`."""
        decision = self.check_message(text)
        if not decision.allowed:
            return decision
        if not await self._take_slot(owner):
            limit = self.policy.concurrent_runs
            answers = "answer" if limit == 1 else "answers"
            return Decision(False, "concurrent_runs",
                            f"You already have {limit} {answers} running. Wait for one to "
                            "finish (or stop it), then try again.")
        if self.policy.runs_per_minute and not await self._rate.hit(self._per_minute, owner):
            await self.finish_run(owner)
            wait = await self.retry_after(owner)
            limit = self.policy.runs_per_minute
            return Decision(False, "runs_per_minute",
                            f"You can start {limit} answers per minute. Please try again "
                            f"in {_seconds(wait)}.", retry_after=max(1, math.ceil(wait)))
        return ALLOWED

    async def finish_run(self, owner: str) -> None:
        """Give back the slot of a run that ended (however it ended)."""
        if not self.policy.concurrent_runs:
            return
        key = self._running_key(owner)
        left = await self._storage.incr(key, RUN_LEASE_SECONDS, amount=-1)
        if left <= 0:
            await self._storage.clear(key)

    @asynccontextmanager
    async def run(self, owner: str, text: str | None = None) -> AsyncIterator[Decision]:
        """`start_run` ... `finish_run` around a block; the block sees the decision."""
        decision = await self.start_run(owner, text)
        try:
            yield decision
        finally:
            if decision.allowed:
                await self.finish_run(owner)

    async def running(self, owner: str) -> int:
        """How many runs `owner` has in flight."""
        return max(0, await self._storage.get(self._running_key(owner)))

    async def retry_after(self, owner: str) -> float:
        """Seconds until `owner` may start another run under the per-minute limit."""
        stats = await self._rate.get_window_stats(self._per_minute, owner)
        if stats.remaining > 0:
            return 0.0
        return max(0.0, stats.reset_time - time.time())

    async def reset(self) -> None:
        """Forget every counter (tests, admin)."""
        await self._storage.reset()

    async def _take_slot(self, owner: str) -> bool:
        limit = self.policy.concurrent_runs
        if not limit:
            return True
        key = self._running_key(owner)
        count = await self._storage.incr(key, RUN_LEASE_SECONDS)
        if count > limit:
            await self.finish_run(owner)
            return False
        return True
