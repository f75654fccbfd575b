"""Pydantic models of the Managed Deep Agents API's resources (extra keys allowed)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.sdk.models import ThreadStatus

# Where this client keeps a thread's pin: the PATCH schema names no pin field, the list
# filters on `is_pinned`, and Fleet's thread schema keeps it in metadata.
PINNED_KEY = "is_pinned"


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class ManagedThread(_Model):
    """A thread (`Thread`, or `ThreadSummary` from the list). The id key is `id`, not
    `thread_id`; `title`, `has_interrupts` and `state_updated_at` come with the list."""

    id: str
    agent_id: str | None = None
    status: ThreadStatus | str = "idle"
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    title: str | None = None
    has_interrupts: bool | None = None
    state_updated_at: str | None = None

    @property
    def pinned(self) -> bool:
        return bool(self.metadata.get(PINNED_KEY))

    @property
    def needs_input(self) -> bool:
        """What the list's `requires_attention` filter selects (interrupted or errored)."""
        return bool(self.has_interrupts) or self.status in ("interrupted", "error")


class ManagedThreadPage(_Model):
    """One page of `GET /threads`; pass `next_cursor` back for the next (None: last)."""

    threads: list[ManagedThread]
    next_cursor: str | None = None


class ManagedAgent(_Model):
    """An agent (`AgentSummary`, or the fuller `Agent`)."""

    id: str
    name: str | None = None
    description: str | None = None
    owner_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    permissions: dict[str, Any] | None = None
    runtime: dict[str, Any] | None = None
    extras: dict[str, Any] | None = None


class ManagedAgentPage(_Model):
    items: list[ManagedAgent]
    next_cursor: str | None = None
