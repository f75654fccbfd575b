"""`ThreadActivity`: a deep agent's plan, files, subagents, reasoning and usage as plain data,
and saving a file back. `ThreadStream` inherits it.

Works for any agent whose state or events have these shapes: `values.todos`,
`values.files` (`deep_values`), `task` tool calls whose subagents stream under
`tools:<task id>` namespaces (`subagents`), reasoning in any provider's shape
(`reasoning`) and `usage_metadata` (`usage`). The stream fills `AgentActivity` from the
run's events (`RunEvents`); here it is read, rebuilt after a reload and asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.sdk.errors import AgentServerError
from app.stream.agent_activity import AgentActivity, has_answer_details
from app.stream.answer_log import read_answers, record_answers
from app.stream.deep_values import file_update, normalize_files, normalize_todos, todo_progress
from app.stream.messages import message_type
from app.stream.modes import RunModes
from app.stream.subagent_modes import SubgraphPolicy
from app.stream.thread_answers import ThreadAnswers
from app.stream.usage import Timing, thread_usage, usage_of

BUSY = "The agent is working: files can be edited once it stops."
WAITING = "The agent is waiting for your decision: files can be edited after it."
NO_THREAD = "There is no thread yet: files can be edited once the agent wrote some."


class FileEditRefused(ValueError):
    """A file cannot be saved now; the message says why."""


class ThreadActivity(ThreadAnswers):
    """The deep-agent face of a `ThreadStream` (which sets these attributes)."""

    _activity: AgentActivity
    _subgraphs: SubgraphPolicy
    _modes: RunModes
    _answers_read: str | None

    # -- plain data -------------------------------------------------------------------

    @property
    def todos(self) -> list[dict[str, Any]]:
        """`values.todos` as `[{"content", "status"}]` (pending / in_progress / completed)."""
        return normalize_todos(self._shown.values.get("todos"))

    @property
    def todo_progress(self) -> dict[str, Any]:
        """`completed`, `in_progress`, `total`, `fraction` and the `current` items."""
        return todo_progress(self.todos)

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """`values.files` by path: `{"text", "size", "binary", "created_at", "modified_at"}`."""
        return normalize_files(self._shown.values.get("files"))

    @property
    def subagents(self) -> list[dict[str, Any]]:
        """Every subagent call (`task`) in call order: `id` (the tool call id),
        `subagent_type`, `description`, `status` (pending / running / done / error),
        `ai_message_id`, `started_at` / `ended_at` / `duration`, `result`, `error` and its
        own `messages` (streamed; empty after a reload)."""
        return self._activity.subagents.snapshot()

    def get_subagent(self, tool_call_id: str) -> dict[str, Any] | None:
        return self._activity.subagents.get(tool_call_id)

    def subagents_of(self, ai_message: Mapping[str, Any] | str) -> list[dict[str, Any]]:
        """The subagents one main AI message started."""
        message_id = ai_message if isinstance(ai_message, str) else ai_message.get("id")
        return self._activity.subagents.by_message(str(message_id or ""))

    @property
    def tool_progress(self) -> list[dict[str, str]]:
        """Running tools' latest progress `[{"id", "name", "text"}]` (from the `tools`
        stream mode, when the server offers it; else always empty)."""
        return self._activity.tools.running()

    @property
    def activity_version(self) -> int:
        """Grows whenever the subagents or the tool progress may have changed."""
        return self._activity.version

    def answer_details(self, message: Mapping[str, Any] | str) -> dict[str, Any] | None:
        """Reasoning, usage and timing of one answer (see `AgentActivity.details`);
        None for an unknown message."""
        found = self.message(message) if isinstance(message, str) else dict(message)
        if found is None:
            return None
        return self._activity.details(found, live=found.get("id") == self.live_message_id)

    def reasoning(self, message: Mapping[str, Any] | str) -> dict[str, Any]:
        """`{"text", "thinking", "seconds"}` of one answer (empty text: no reasoning)."""
        found = self.answer_details(message) or {}
        return {"text": found.get("reasoning") or "", "thinking": bool(found.get("thinking")),
                "seconds": found.get("thought_seconds")}

    def usage(self, message: Mapping[str, Any] | str) -> dict[str, Any] | None:
        """Token counts (None when the answer reports none) and timing of one answer."""
        found = self.answer_details(message)
        if found is None:
            return None
        timing = Timing(found["time_to_first_token"], found["duration"],
                        found["tokens_per_second"])
        return {"tokens": found["usage"], **timing.to_dict()}

    @property
    def thread_usage(self) -> dict[str, Any]:
        """Token counts summed over the shown answers, and how many reported usage."""
        messages = self.messages
        answers = sum(1 for m in messages if message_type(m) == "ai" and usage_of(m))
        return {**thread_usage(messages).to_dict(), "answers": answers}

    # -- saving a file ------------------------------------------------------------------

    def file_edit_blocked(self) -> str:
        """Why a file cannot be saved now ("" when it can)."""
        if not self._thread_id:
            return NO_THREAD
        if self._is_loading:
            return BUSY
        if self.interrupts:
            return WAITING
        return ""

    async def save_file(self, path: str, text: str) -> None:
        """Write `text` to the file at `path` through a state update in the agent's own
        file shape, from the shown checkpoint, then re-read the thread. Refused
        (`FileEditRefused`) while a run streams or an interrupt waits: a state update
        then would lose the interrupt."""
        reason = self.file_edit_blocked()
        if reason:
            raise FileEditRefused(reason)
        thread_id, generation = self._thread_id or "", self._generation
        now = datetime.now(UTC).isoformat()
        update = file_update(self._shown.values.get("files"), path, text, now)
        head = self._history.head
        point = head.get("checkpoint") if isinstance(head, Mapping) else None
        await self.client.threads.update_state(
            thread_id, update, checkpoint=point if isinstance(point, Mapping) and point else None)
        if generation == self._generation:
            await self._read_thread(generation, follow_newest=True)
            await self._listeners.notify()

    # -- hooks of ThreadStream -----------------------------------------------------------

    async def _subgraph_wanted(self, given: bool | None) -> bool:
        """Whether the next run streams its subgraphs (None: when the assistant has
        subagents); learns the server's stream modes when it does."""
        wanted = given if given is not None else await self._subgraphs.wanted(
            self.client, self.assistant_id, self._shown.messages.items)
        if wanted:
            await self._modes.learn(self.client, needed=True)
        return wanted

    def _answer_records(self) -> list[dict[str, Any]]:
        """The run's stream ended: the timing of the answers it streamed, to record once
        the thread was re-read (taken now, while they are shown, whatever is shown then)."""
        self._activity.finish_run()
        return self._activity.to_record(self.message)

    async def _record_answers(self, thread_id: str | None,
                              entries: list[dict[str, Any]]) -> None:
        """Record answers' timing in the thread's metadata."""
        if entries and thread_id:
            with contextlib.suppress(AgentServerError):
                await record_answers(self.client.threads, thread_id, entries)

    def _show_branch(self) -> None:
        super()._show_branch()
        self._activity.sync(self._shown.messages.items)

    async def load(self) -> None:
        await super().load()
        thread_id = self._thread_id
        if not thread_id or self._answers_read == thread_id:
            return
        if not has_answer_details(self._shown.messages.items):
            return
        self._answers_read = thread_id
        with contextlib.suppress(AgentServerError):
            recorded = await read_answers(self.client.threads, thread_id)
            if recorded and thread_id == self._thread_id:
                self._activity.recorded.update(recorded)
                await self._listeners.notify()
