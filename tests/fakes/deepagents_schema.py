"""The Managed Deep Agents API's documented request shapes, as pydantic models.

Sources: the OpenAPI spec in langchain-ai/docs (`src/langsmith/managed-deep-agents-openapi.json`
@ 5c24a613, "the JSON commit") and the newer per-endpoint pages on docs.langchain.com
(summarised in /work/shared/reference/managed-deep-agents.md, items tagged [newer]).
Objects the spec leaves open (no `additionalProperties: false`) accept extra keys, as a
JSON-schema validator would; the few rules stated in prose are added as validators.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
StreamMode = Literal["values", "updates", "messages-tuple"]
Role = Literal["user", "assistant", "system", "tool"]


class _Open(BaseModel):
    """An object that allows keys the spec does not name."""

    model_config = ConfigDict(extra="allow")


class CreateThreadOptions(_Open):
    test_run: StrictBool | None = None
    skip_memory_write_protection: StrictBool = False


class CreateThreadRequest(_Open):
    """`POST /threads`. No `metadata`: a create call cannot carry any."""

    agent_id: UUID
    options: CreateThreadOptions | None = None


class ListThreadsQuery(BaseModel):
    """`GET /threads` query [newer]."""

    model_config = ConfigDict(extra="forbid")

    agent_id: UUID
    page_size: int = Field(20, ge=1, le=20)
    cursor: str | None = None
    status: ThreadStatus | None = None
    is_pinned: bool | None = None
    test_run: bool = False
    requires_attention: bool | None = None

    @model_validator(mode="after")
    def _attention_excludes_status(self) -> ListThreadsQuery:
        if self.requires_attention is not None and self.status is not None:
            raise ValueError("requires_attention cannot be combined with status")
        return self


class ListAgentsQuery(BaseModel):
    """`GET /agents` query (the filters this fake supports)."""

    model_config = ConfigDict(extra="ignore")

    page_size: int = Field(20, ge=1, le=100)
    cursor: str | None = None
    name: str | None = None


class UpdateThreadRequest(_Open):
    """`PATCH /threads/{thread_id}` [newer]: omitted fields stay unchanged."""

    title: StrictStr | None = None
    metadata: dict[str, Any] | None = None


class Message(_Open):
    """An input message. The spec lists `role` and `content` without marking them
    required; a message without them means nothing, so both are required here."""

    role: Role
    content: StrictStr


class RunInput(_Open):
    """`input` of the current stream body: `messages` plus any other graph input."""

    messages: list[Message] = Field(min_length=1)


class _StreamRunFields(_Open):
    agent_id: UUID
    stream_mode: list[StreamMode] | None = None
    stream_subgraphs: StrictBool | None = None
    user_timezone: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_assistant_id(cls, data: Any) -> Any:
        # "The request must use `agent_id`; `assistant_id` is reserved for server-side
        # forwarding and is rejected."
        if isinstance(data, dict) and "assistant_id" in data:
            raise ValueError(
                "'assistant_id' is reserved for server-side forwarding; send 'agent_id'"
            )
        return data


class StreamRunRequest(_StreamRunFields):
    """`POST /threads/{thread_id}/runs/stream`, current form [newer]: `input.messages`."""

    input: RunInput


class LegacyStreamRunRequest(_StreamRunFields):
    """The same call in the JSON commit: top-level `messages` (required, one or more)."""

    messages: list[Message] = Field(min_length=1)
