"""The limits a visitor or user runs under (runs per minute, concurrent runs, message
length), from the settings; counters in Redis when the app's state is, so every worker
counts the same."""

from __future__ import annotations

import reflex as rx

from app.access.limits import Limiter, LimitPolicy
from app.settings import get_settings

_limiters: list[Limiter] = []


def limiter() -> Limiter:
    if not _limiters:
        settings = get_settings()
        storage = (settings.langgraph_chat_limits_storage or rx.config.get_config().redis_url
                   or "memory://")
        _limiters.append(Limiter(LimitPolicy(
            runs_per_minute=settings.langgraph_chat_runs_per_minute,
            concurrent_runs=settings.langgraph_chat_concurrent_runs,
            max_message_chars=settings.langgraph_chat_max_message_chars), storage))
    return _limiters[0]
