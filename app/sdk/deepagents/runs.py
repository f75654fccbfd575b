"""Managed Deep Agents runs: streamed runs and resolving an interrupt.

The stream body is `{"agent_id", "input": {"messages": [{role, content}], ...},
"stream_mode", "stream_subgraphs", "user_timezone"}` (`assistant_id` is rejected). The
API's first published schema wanted top-level `messages` instead of `input`: when a
server answers 400/422 naming a missing `messages` field, the run is sent again once in
that form, and the client keeps using it.

The events are the Agent Server's own (the service proxies them), so they come out as
the same `StreamPart`s as `AgentClient.runs.stream`. The service sends no
`Content-Location`, so the run id is read from the first (`metadata`) event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from app.sdk.deepagents.transport import DeepAgentsTransport
from app.sdk.errors import AgentServerError, RequestValidationError
from app.sdk.http import segment
from app.sdk.models import StreamPart
from app.sdk.run_stream import RunStream

BodyForm = Literal["input", "messages"]
STREAM_MODES = ("values", "updates", "messages-tuple")
DEFAULT_STREAM_MODE: tuple[str, ...] = STREAM_MODES

_ROLES = {
    "human": "user",
    "user": "user",
    "ai": "assistant",
    "assistant": "assistant",
    "AIMessageChunk": "assistant",
    "system": "system",
    "tool": "tool",
}
# `messages` as a field name of its own (not `input.messages`), quoted or not.
_MESSAGES_FIELD = re.compile(r"(?<![\w.])['\"`]?messages['\"`]?(?![\w.])")


def message_text(content: Any) -> str:
    """Message content as the API's plain string (text blocks joined)."""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        texts = []
        for block in content:
            if isinstance(block, str):
                texts.append(block)
            elif isinstance(block, Mapping) and block.get("type") == "text":
                texts.append(str(block.get("text", "")))
        return "".join(texts)
    return "" if content is None else str(content)


def api_message(message: Mapping[str, Any] | str) -> dict[str, str]:
    """A chat message (Agent Server dict or plain text) as the API's `{role, content}`."""
    if isinstance(message, str):
        return {"role": "user", "content": message}
    kind = str(message.get("role") or message.get("type") or "human")
    role = _ROLES.get(kind)
    if role is None:
        raise RequestValidationError(f"cannot send a {kind!r} message to Managed Deep Agents")
    return {"role": role, "content": message_text(message.get("content"))}


def stream_body(
    agent_id: str,
    messages: Sequence[Mapping[str, Any] | str],
    *,
    form: BodyForm = "input",
    input_extra: Mapping[str, Any] | None = None,
    stream_mode: Sequence[str] = DEFAULT_STREAM_MODE,
    stream_subgraphs: bool = True,
    user_timezone: str | None = None,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON body of `POST /threads/{id}/runs/stream` in the given form."""
    if not isinstance(agent_id, str) or not agent_id:
        raise RequestValidationError(f"agent_id must be a non-empty string, got {agent_id!r}")
    converted = [api_message(m) for m in messages]
    if not converted:
        raise RequestValidationError("a run needs at least one message")
    modes = [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)
    unknown = [m for m in modes if m not in STREAM_MODES]
    if unknown:
        raise RequestValidationError(f"stream modes {unknown} are not offered: {STREAM_MODES}")
    body: dict[str, Any] = {"agent_id": agent_id}
    if form == "input":
        body["input"] = {**dict(input_extra or {}), "messages": converted}
    else:
        if input_extra:
            raise RequestValidationError("the older body form has no place for other input")
        body["messages"] = converted
    body["stream_mode"] = modes
    body["stream_subgraphs"] = stream_subgraphs
    if user_timezone:
        body["user_timezone"] = user_timezone
    if extra_body:
        if "assistant_id" in extra_body:
            raise RequestValidationError("Managed Deep Agents rejects assistant_id: use agent_id")
        body.update(extra_body)
    return body


def asks_for_top_level_messages(error: AgentServerError) -> bool:
    """True when a 400/422 says the (older) field `messages` is missing."""
    if error.status not in (400, 422):
        return False
    detail = error.detail
    text = detail if isinstance(detail, str) else json.dumps(detail, default=str)
    said = f"{text} {error.code or ''}".lower()
    missing = "required" in said or "missing" in said
    return missing and _MESSAGES_FIELD.search(text) is not None


class ManagedRunStream(RunStream):
    """A RunStream that falls back to the older body once, and learns its run id from the
    first event."""

    def __init__(
        self,
        runs: ManagedRunsClient,
        path: str,
        *,
        body: dict[str, Any],
        older_body: dict[str, Any] | None,
        thread_id: str,
    ) -> None:
        super().__init__(runs.transport, "POST", path, json_body=body, thread_id=thread_id)
        self._runs = runs
        self._older_body = older_body

    async def open(self) -> ManagedRunStream:
        try:
            await super().open()
        except RequestValidationError as error:
            older, self._older_body = self._older_body, None
            if older is None or not asks_for_top_level_messages(error):
                raise
            self._runs.body_form = "messages"
            self._json_body = older  # RunStream sends this body when it opens
            await super().open()
        return self

    async def __anext__(self) -> StreamPart:
        part = await super().__anext__()
        if self.run_id is None and part.event == "metadata" and isinstance(part.data, dict):
            run_id = part.data.get("run_id")
            self.run_id = run_id if isinstance(run_id, str) else None
        return part


class ManagedRunsClient:
    """`client.runs`. `body_form` is the stream body this client sends ("input", or
    "messages" once a server asked for the older form)."""

    def __init__(self, transport: DeepAgentsTransport) -> None:
        self.transport = transport
        self.body_form: BodyForm = "input"

    def stream(
        self,
        thread_id: str,
        agent_id: str,
        messages: Sequence[Mapping[str, Any] | str],
        *,
        input_extra: Mapping[str, Any] | None = None,
        stream_mode: Sequence[str] = DEFAULT_STREAM_MODE,
        stream_subgraphs: bool = True,
        user_timezone: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ManagedRunStream:
        """Start a run on the thread and stream its events (`async with` / `async for`).

        `messages` are the new input messages (Agent Server dicts or plain strings);
        `user_timezone` is the browser's IANA name (the server defaults to the agent's).
        """
        options: dict[str, Any] = {
            "input_extra": input_extra,
            "stream_mode": stream_mode,
            "stream_subgraphs": stream_subgraphs,
            "user_timezone": user_timezone,
            "extra_body": extra_body,
        }
        form = self.body_form
        body = stream_body(agent_id, messages, form=form, **options)
        older = None
        if form == "input" and not input_extra:
            older = stream_body(agent_id, messages, form="messages", **options)
        return ManagedRunStream(
            self,
            f"/threads/{segment(thread_id)}/runs/stream",
            body=body,
            older_body=older,
            thread_id=thread_id,
        )

    async def resolve_interrupt(self, thread_id: str) -> None:
        """Complete the thread's human-interrupt pause without sending new input (the
        API's only way to answer an interrupt; it takes no body, so no value goes to the
        graph). Raises ConflictError when the thread is not interrupted."""
        await self.transport.request("POST", f"/threads/{segment(thread_id)}/resolve-interrupt")
