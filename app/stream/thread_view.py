"""`ThreadView`: what a `ThreadStream` shows, read-only (useStream's returned fields), and
its plain-JSON snapshot. `ThreadStream` inherits it; nothing here does I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from app.sdk.errors import AgentServerError
from app.stream.branches import checkpoint_id
from app.stream.history import ThreadHistory
from app.stream.interrupts import BREAKPOINT, interrupts_from_state, single_interrupt
from app.stream.listeners import Listeners
from app.stream.messages import Message
from app.stream.queue import SubmissionQueue
from app.stream.run_events import RunEvents
from app.stream.shown import ShownThread
from app.stream.tools import tool_calls_of


class ThreadView:
    """The read-only face of a `ThreadStream` (which sets these attributes)."""

    assistant_id: str
    messages_key: str
    fetch_state_history: bool | int
    initial_values: dict[str, Any]
    _thread_id: str | None
    _shown: ShownThread
    _history: ThreadHistory
    _events: RunEvents
    _listeners: Listeners
    _queue: SubmissionQueue
    _error: BaseException | None
    _is_loading: bool
    _is_thread_loading: bool
    _reconnecting: bool
    _settling: bool
    _stopped_checkpoint: str | None

    @property
    def thread_id(self) -> str | None:
        return self._thread_id

    @property
    def run_id(self) -> str | None:
        """The run being streamed (or the last one)."""
        return self._events.run_id

    @property
    def version(self) -> int:
        """Grows with every change (cheap change detection for UI layers)."""
        return self._listeners.version

    @property
    def live_message_id(self) -> str | None:
        """The id of the message being streamed right now (None when idle)."""
        return self._shown.live_message_id if self._is_loading else None

    @property
    def messages(self) -> list[Message]:
        """The shown messages (the live list: copy it before keeping it)."""
        return self._shown.all_messages()

    @property
    def values(self) -> dict[str, Any]:
        """The shown values, messages included (a shallow copy)."""
        return self._shown.all_values()

    def message(self, message_id: str) -> Message | None:
        """One shown message by id (materialises only that message)."""
        return self._shown.message(message_id)

    def live_message(self) -> Message | None:
        """The message being streamed, or None."""
        live = self.live_message_id
        return self.message(live) if live else None

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def is_loading(self) -> bool:
        return self._is_loading

    @property
    def is_thread_loading(self) -> bool:
        return self._is_thread_loading

    @property
    def is_settling(self) -> bool:
        """True from the end of a run's stream until the thread has been re-read (while
        `is_loading` is still true): the run is over, so a UI may offer Send again at once
        and let the shown messages settle after."""
        return self._settling

    @property
    def reconnecting(self) -> bool:
        """True while the stream of the running run broke and is being rejoined."""
        return self._reconnecting

    @property
    def interrupts(self) -> list[Any]:
        """Every pending interrupt (a static breakpoint is `{"when": "breakpoint"}`)."""
        head = self._history.head
        if self._is_loading or head is None:
            streamed = self._shown.streamed_interrupts
            if streamed is None:
                return []
            return list(streamed) if streamed else [dict(BREAKPOINT)]
        found = interrupts_from_state(head)
        if self._stopped_checkpoint and self._stopped_checkpoint == checkpoint_id(head):
            found = [item for item in found if item != BREAKPOINT]
        return found

    @property
    def interrupt(self) -> Any:
        """None, the only pending interrupt, or the list when there are several."""
        return single_interrupt(self.interrupts)

    @property
    def branch(self) -> str:
        return self._history.branch

    @property
    def history(self) -> list[dict[str, Any]]:
        """The states of the shown branch, oldest first."""
        return self._history.shown_states

    @property
    def branch_tree(self) -> dict[str, Any]:
        return self._history.tree_json()

    @property
    def tool_calls(self) -> list[dict[str, Any]]:
        return tool_calls_of(self.messages)

    def get_tool_calls(self, ai_message: Mapping[str, Any]) -> list[dict[str, Any]]:
        return tool_calls_of(self.messages, ai_message)

    @property
    def queue(self) -> list[dict[str, Any]]:
        """Runs waiting on the server behind the running one, oldest first: queued here
        (`enqueue`) or found pending when the thread was opened."""
        return self._queue.to_json()

    def message_status(self, message_id: str) -> str | None:
        """`pending` | `sent` | `failed` for a message this client submitted, else None."""
        return self._shown.status.get(message_id)

    def get_messages_metadata(self, message: Mapping[str, Any]) -> dict[str, Any] | None:
        """Where a message comes from: the first state that showed it, its branch and the
        branches it can switch to, its stream metadata and the parent checkpoint to fork
        from (edit: `submit(new, checkpoint=parent)`; regenerate: `submit(None, ...)`)."""
        message_id = message.get("id") if isinstance(message, Mapping) else None
        if not message_id:
            return None
        first_seen, branch, options = self._history.place_of(message_id)
        stream_metadata = self._shown.chunks.metadata.get(message_id)
        if (first_seen is None and stream_metadata is None
                and message_id not in self._shown.messages):
            return None
        parent = first_seen.get("parent_checkpoint") if first_seen else None
        return {
            "message_id": message_id,
            "first_seen_state": first_seen,
            "branch": branch,
            "branch_options": options,
            "stream_metadata": stream_metadata,
            "parent_checkpoint": parent,
            "status": self._shown.status.get(message_id),
        }

    # -- snapshot ----------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON-able data to rebuild this stream with `restore`."""
        return {
            "assistant_id": self.assistant_id,
            "messages_key": self.messages_key,
            "fetch_state_history": self.fetch_state_history,
            "initial_values": self.initial_values,
            "thread_id": self._thread_id,
            **self._shown.snapshot(),
            "history": self._history.states,
            "branch": self._history.chosen,
            "error": None if self._error is None else str(self._error),
            "run_id": self.run_id,
            "was_loading": self._is_loading,
            "stopped_checkpoint": self._stopped_checkpoint,
            "queue": self._queue.to_json(),
        }

    @classmethod
    def restore(cls, snapshot: Mapping[str, Any], **options: Any) -> Self:
        """A stream showing what `snapshot` showed (pass api_url or client and callbacks).
        A run that was streaming is not followed: call `join_stream(run_id)` for that."""
        options.setdefault("messages_key", snapshot.get("messages_key", "messages"))
        options.setdefault("fetch_state_history", snapshot.get("fetch_state_history", True))
        options.setdefault("initial_values", snapshot.get("initial_values"))
        assistant_id = options.pop("assistant_id", snapshot["assistant_id"])
        stream = cls(assistant_id, thread_id=snapshot.get("thread_id"), **options)
        stream._history.set_states(list(snapshot.get("history") or []))
        stream._history.chosen = snapshot.get("branch") or ""
        stream._history.show()
        stream._shown.restore(snapshot)
        stream._events.run_id = snapshot.get("run_id")
        stream._stopped_checkpoint = snapshot.get("stopped_checkpoint")
        if snapshot.get("error"):
            stream._error = AgentServerError(str(snapshot["error"]))
        return stream
