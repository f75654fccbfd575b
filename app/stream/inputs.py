"""What a submit sends: the run input with client-minted message ids (so the server's
echo carries the same id as the optimistic copy)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from app.sdk import NOT_GIVEN
from app.stream.messages import Message

_ROLES = {"user": "human", "assistant": "ai"}


def mint_id() -> str:
    return str(uuid.uuid4())


def as_message(item: Any) -> Message:
    """A message dict with a type and an id: a string becomes a human message; a
    `role` (user/assistant/...) becomes the wire `type`."""
    if isinstance(item, str):
        return {"type": "human", "content": item, "id": mint_id()}
    message = dict(item)
    if "type" not in message and "role" in message:
        role = message.pop("role")
        message["type"] = _ROLES.get(role, role)
    message.setdefault("type", "human")
    if not message.get("id"):
        message["id"] = mint_id()
    return message


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def build_input(values: Any, messages_key: str = "messages") -> tuple[Any, list[Message]]:
    """(run input, messages to show optimistically) for `submit(values)`.

    Accepts None, a string, one message, a list of messages, or a state dict whose
    messages key holds any of those.
    """
    if values is None:
        return None, []
    if isinstance(values, str) or (
        isinstance(values, Mapping) and "content" in values and messages_key not in values
    ):
        messages = [as_message(values)]
        return {messages_key: messages}, messages
    if _is_list(values):
        messages = [as_message(m) for m in values]
        return {messages_key: messages}, messages
    if isinstance(values, Mapping):
        data = dict(values)
        raw = data.get(messages_key)
        if isinstance(raw, str | Mapping):
            raw = [raw]
        if _is_list(raw):
            messages = [as_message(m) for m in raw]
            data[messages_key] = messages
            return data, messages
        return data, []
    return values, []


def input_field(run_input: Any, command: Any) -> Any:
    """The `input` a run is created with: left out (NOT_GIVEN) when only a command (a
    resume) is sent, so the server does not see `input: null` beside it."""
    return run_input if (run_input is not None or command is None) else NOT_GIVEN
