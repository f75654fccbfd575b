"""Settings: the Agent Server URL (from configuration) and an assistant picker."""

from __future__ import annotations

import reflex as rx

from app.states import backend, deployment
from app.states.chat_registry import linked_chat
from app.states.errors import describe
from app.states.identity import SignInRequired, acting_client
from app.states.threads import ThreadListState

SERVER_LABELS = {"fleet": "Agent Server (LangSmith auth)",
                 "managed-deep-agents": "Managed Deep Agents"}


class AssistantState(rx.State):
    """Assistants available on the server, for the picker."""

    assistants: list[dict[str, str]] = []
    assistants_error: str = ""
    api_url: str = ""
    server_label: str = "Agent Server"  # what kind of server `api_url` is
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    @rx.event(background=True)
    async def load_assistants(self):
        async with self:
            self.api_url = backend.api_url()
            self.server_label = SERVER_LABELS.get(deployment.kind(), "Agent Server")
            try:
                client = await acting_client(self)
            except SignInRequired:
                return
        try:
            found = await client.assistants.search(limit=50)
        except Exception as exc:  # noqa: BLE001
            problem = deployment.problem_of(exc) or describe(exc)
            async with self:
                self.assistants_error = problem.title
            return
        rows = []
        for assistant in found:
            label = assistant.name or assistant.graph_id
            if label != assistant.graph_id:
                label = f"{label} ({assistant.graph_id})"
            rows.append({"id": assistant.graph_id if assistant.name in (None, assistant.graph_id)
                         else assistant.assistant_id, "label": label})
        seen: set[str] = set()
        unique = [r for r in rows if not (r["id"] in seen or seen.add(r["id"]))]
        async with self:
            self.assistants = unique
            self.assistants_error = ""

    @rx.event
    async def pick(self, assistant_id: str):
        thread_state = await linked_chat(self)
        if assistant_id and assistant_id != thread_state.assistant_id:
            thread_state.assistant_id = assistant_id
            lists = await self.get_state(ThreadListState)
            lists.threads = []
            return [rx.redirect("/"), ThreadListState.refresh]
        return None
