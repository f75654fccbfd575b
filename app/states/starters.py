"""Starter prompts on the empty chat, for the assistant in use (`app.stream.starters`):
from `LANGGRAPH_STARTERS`, else from the assistant's metadata (read once per assistant
and process). Choosing one sends its prompt, after switching to the assistant it names;
a starter that asks for a file puts its prompt into the composer and opens the chooser.
"""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from app.settings import get_settings
from app.states import backend
from app.states.browser import compose_with_files
from app.states.chat_registry import linked_chat
from app.states.identity import SignInRequired, acting_client
from app.states.threads import ThreadListState
from app.stream.starters import starters_for

METADATA_SECONDS = 300.0  # how long an assistant's metadata read is reused
_metadata: dict[str, tuple[float, str, dict[str, Any]]] = {}  # id -> (when, graph, metadata)


async def assistant_metadata(client: Any, assistant_id: str) -> tuple[str, dict[str, Any]]:
    """(graph id, metadata) of an assistant given by id or graph id (("", {}) when it
    cannot be read)."""
    cached = _metadata.get(assistant_id)
    if cached is not None and time.monotonic() - cached[0] < METADATA_SECONDS:
        return cached[1], cached[2]
    graph_id, metadata = "", {}
    try:
        if backend.looks_like_uuid(assistant_id):
            found = await client.assistants.get(assistant_id)
        else:
            found = next((a for a in await client.assistants.search(graph_id=assistant_id,
                                                                      limit=10)
                          if a.graph_id == assistant_id), None)
        if found is not None:
            graph_id, metadata = found.graph_id, dict(found.metadata or {})
    except Exception:  # noqa: BLE001 - no starters is fine; the chat says what is wrong
        return "", {}
    _metadata[assistant_id] = (time.monotonic(), graph_id, metadata)
    return graph_id, metadata


class StartersState(rx.State):
    """The starters shown on the empty chat (`for_assistant`: whose they are)."""

    starters: list[dict[str, Any]] = []
    for_assistant: str = ""
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    @rx.event(background=True)
    async def load(self):
        """The empty chat appeared: read the starters of the assistant in use."""
        async with self:
            chat = await linked_chat(self)
            assistant = chat._assistant()
            if assistant == self.for_assistant and self.starters:
                return
            try:
                client = await acting_client(self)
            except SignInRequired:
                return
        configured = get_settings().starters
        graph_id, metadata = "", {}
        if assistant not in configured:  # its graph's or its own starters may apply
            graph_id, metadata = await assistant_metadata(client, assistant)
        found = starters_for(configured, assistant_id=assistant, graph_id=graph_id,
                             metadata=metadata)
        async with self:
            self.for_assistant = assistant
            if found != self.starters:
                self.starters = found

    @rx.event
    async def choose(self, index: int):
        """A starter was clicked."""
        if not 0 <= index < len(self.starters):
            return None
        chosen = self.starters[index]
        if chosen.get("attach"):
            return compose_with_files(chosen["prompt"])
        chat = await linked_chat(self)
        events: list[Any] = []
        wanted = chosen.get("assistant")
        if wanted and wanted != chat._assistant():
            chat.assistant_id = wanted  # the next send starts a thread with it
            (await self.get_state(ThreadListState)).threads = []
            events.append(ThreadListState.refresh)
            self.for_assistant = ""
        return [type(chat).send({"message": chosen["prompt"]}), *events]
