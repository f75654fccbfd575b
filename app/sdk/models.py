"""Pydantic models for the Agent Server's resources, plus the hot-path `StreamPart`.

Models accept extra keys (servers add fields over time). Messages stay plain dicts in
the server's wire shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
RunStatus = Literal["pending", "running", "error", "success", "timeout", "interrupted"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Checkpoint(_Model):
    """Points at one checkpoint of a thread."""

    thread_id: str | None = None
    checkpoint_ns: str = ""
    checkpoint_id: str | None = None
    checkpoint_map: dict[str, Any] | None = None


class Interrupt(_Model):
    """A pending `interrupt()`: `value` is what the graph passed, `id` resumes it."""

    value: Any = None
    id: str | None = None


class Thread(_Model):
    thread_id: str
    created_at: str | None = None
    updated_at: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    status: ThreadStatus | str = "idle"
    values: Any = None
    interrupts: dict[str, list[Interrupt]] = Field(default_factory=dict)
    error: Any = None
    config: dict[str, Any] | None = None


class ThreadPage(_Model):
    """One page of `threads.search`; `total` comes from `x-pagination-total` if sent."""

    items: list[Thread]
    total: int | None = None


class ThreadListPage(_Model):
    """One page of a server's own thread list (backends with `thread_list`): threads with
    the server's `title` (and `has_interrupts`) as extra keys; `next_cursor` fetches the
    next page (None: the last)."""

    items: list[Thread]
    next_cursor: str | None = None


class ThreadTask(_Model):
    """A task of the next step: its interrupts, error and (for subgraphs) state."""

    id: str
    name: str
    path: list[Any] | None = None
    error: str | None = None
    interrupts: list[Interrupt] = Field(default_factory=list)
    checkpoint: Checkpoint | None = None
    # A subgraph's state when asked with `subgraphs=True`, else its config dict.
    state: dict[str, Any] | ThreadState | None = Field(None, union_mode="left_to_right")
    result: Any = None

    @field_validator("state", mode="before")
    @classmethod
    def _state_or_config(cls, value: Any) -> Any:
        if isinstance(value, dict) and ("values" in value or "next" in value):
            return ThreadState.model_validate(value)
        return value


class ThreadState(_Model):
    values: Any = None
    next: list[str] = Field(default_factory=list)
    tasks: list[ThreadTask] = Field(default_factory=list)
    metadata: dict[str, Any] | None = None
    created_at: str | None = None
    checkpoint: Checkpoint | None = None
    parent_checkpoint: Checkpoint | None = None
    interrupts: list[Interrupt] = Field(default_factory=list)


class Run(_Model):
    run_id: str
    thread_id: str | None = None
    assistant_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    status: RunStatus | str = "pending"
    metadata: dict[str, Any] = Field(default_factory=dict)
    multitask_strategy: str | None = None
    kwargs: dict[str, Any] | None = None


class Assistant(_Model):
    assistant_id: str
    graph_id: str
    name: str | None = None
    description: str | None = None
    version: int | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    context: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None


ThreadTask.model_rebuild()


@dataclass(frozen=True, slots=True)
class StreamPart:
    """One server-sent event of a run.

    `event` is the raw name ("messages|child:1"), `mode` its first part ("messages"),
    `namespace` the subgraph path (("child:1",); empty for the root graph), `data` the
    parsed JSON, `id` the event id (resumable runs only).
    """

    event: str
    mode: str
    namespace: tuple[str, ...]
    data: Any
    id: str | None = None
