"""`ShownThread`: what a UI shows of one thread, and how stream events merge into it.

Values and messages, with streamed chunks merged into the message list lazily (only when
read), the send status of each message this client submitted, and the interrupts the
current run streamed. No I/O here: `ThreadStream` feeds it events and server states.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.stream.chunks import ChunkAccumulator
from app.stream.messages import Message, MessageList, apply_removals, is_remove
from app.stream.values import INTERRUPT_KEY, merge_values_event, without_interrupts


class ShownThread:
    """The shown values and messages of one thread (see the module docstring)."""

    def __init__(self, messages_key: str, initial_values: Mapping[str, Any]) -> None:
        self.messages_key = messages_key
        self.values: dict[str, Any] = {
            k: v for k, v in initial_values.items() if k != messages_key}
        self.messages = MessageList(apply_removals(initial_values.get(messages_key) or []))
        self.chunks = ChunkAccumulator()
        self.live_message_id: str | None = None
        self.status: dict[str, str] = {}  # message id -> pending | sent | failed
        self.failed: dict[str, Message] = {}  # kept shown after a re-read drops them
        self.streamed_interrupts: list[Any] | None = None
        self._dirty: set[str] = set()  # ids whose chunks are not yet in `messages`
        self._live_ids: set[str] = set()  # streamed, not yet in the server's values
        self._first_values_pending = False

    # -- reading -------------------------------------------------------------------------

    def all_messages(self) -> list[Message]:
        """Every shown message (the live list), streamed chunks merged in."""
        self.flush_chunks()
        return self.messages.items

    def message(self, message_id: str) -> Message | None:
        """One shown message by id (merges only that message's chunks)."""
        if message_id in self._dirty:
            self._place(message_id)
        return self.messages.get(message_id)

    def all_values(self) -> dict[str, Any]:
        """The shown values, messages included (a shallow copy)."""
        values = dict(self.values)
        values[self.messages_key] = self.all_messages()
        return values

    # -- changes made here ------------------------------------------------------------------

    def merge(self, partial: Mapping[str, Any]) -> None:
        """Merge a partial values dict into the shown values (messages replace all; a
        remove entry among them removes, as the server's reducer would)."""
        for key, value in partial.items():
            if key == self.messages_key:
                self.flush_chunks()
                self.messages.replace_all(apply_removals(value or []))
            else:
                self.values[key] = value

    def add_pending(self, messages: Iterable[Message], *, show: bool) -> None:
        """Mark submitted messages pending (and show them unless optimistic values did).
        A submitted remove entry hides its message at once; it is never shown itself."""
        submitted = list(messages)
        for message in submitted:
            if not is_remove(message):
                self.status[message["id"]] = "pending"
        if show and submitted:
            self.flush_chunks()
            self.messages.replace_all(apply_removals([*self.messages, *submitted]))

    def mark_sent(self, message_ids: Iterable[Any]) -> None:
        for message_id in message_ids:
            if self.status.get(message_id) == "pending":
                self.status[message_id] = "sent"

    def mark_failed(self, message_id: str) -> None:
        """A pending message failed: it stays shown (marked) until the next submit."""
        if self.status.get(message_id) != "pending":
            return
        self.status[message_id] = "failed"
        message = self.messages.get(message_id)
        if message is not None:
            self.failed[message_id] = message

    # -- stream events ------------------------------------------------------------------------

    def start_stream(self) -> None:
        """A run's stream begins: its first values event drops the old interrupts."""
        self._first_values_pending = True
        self.streamed_interrupts = None
        self.values = without_interrupts(self.values)

    def forget_chunks(self) -> None:
        """Drop held chunks before a replay from the start (so nothing doubles)."""
        self.chunks.reset()
        self._dirty.clear()

    def on_message(self, data: Any) -> bool:
        """A `messages` event (`[message, metadata]`); False when it changed nothing."""
        if not isinstance(data, Sequence) or isinstance(data, str) or not data:
            return False
        message = data[0]
        metadata = data[1] if len(data) > 1 and isinstance(data[1], Mapping) else None
        if not isinstance(message, Mapping):
            return False
        if is_remove(message):
            message_id = str(message.get("id") or "")
            self.flush_chunks()
            self.chunks.discard(message_id)
            self._live_ids.discard(message_id)
            self.messages.remove(message_id)
            self.live_message_id = None
            return True
        message_id = self.chunks.add(dict(message), dict(metadata) if metadata else None)
        if message_id is None:
            return False
        self._dirty.add(message_id)
        self._live_ids.add(message_id)
        self.live_message_id = message_id
        return True

    def on_values(self, data: Any) -> None:
        """A root `values` event: interrupts merge; other values replace the shown ones,
        keeping messages still streaming or pending that the server does not have yet."""
        if self._first_values_pending:
            self._first_values_pending = False
            self.values = without_interrupts(self.values)
            self.streamed_interrupts = None
        if not isinstance(data, Mapping):
            return
        if INTERRUPT_KEY not in data:
            self.flush_chunks()
        values = merge_values_event(self.values, data)
        if INTERRUPT_KEY in data:  # interrupts only: the messages shown stay
            self.values = values
            self.streamed_interrupts = list(values[INTERRUPT_KEY])
            return
        server_messages = values.pop(self.messages_key, None)
        self.values = values
        if not isinstance(server_messages, list):
            return
        server_ids = {m.get("id") for m in server_messages if isinstance(m, Mapping)}
        kept: list[Message] = []
        for message in self.messages:
            message_id = message.get("id")
            if message_id in server_ids:
                continue
            if message_id in self._live_ids or self.status.get(message_id) == "pending":
                kept.append(message)
        self.mark_sent(server_ids)
        self._live_ids -= server_ids
        self.messages.replace_all([*server_messages, *kept])

    # -- server states ---------------------------------------------------------------------

    def show_state(self, state: Mapping[str, Any]) -> None:
        """Show a state read from the server (failed messages stay shown)."""
        values = state.get("values")
        values = dict(values) if isinstance(values, Mapping) else {}
        messages = list(values.pop(self.messages_key, None) or [])
        shown = {m.get("id") for m in messages if isinstance(m, Mapping)}
        messages.extend(m for mid, m in self.failed.items() if mid not in shown)
        self._dirty.clear()
        self.messages.replace_all(messages)
        self.values = values
        self.streamed_interrupts = None
        self._live_ids.clear()

    # -- snapshot -------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "messages": list(self.all_messages()),
            "status": dict(self.status),
            "stream_metadata": dict(self.chunks.metadata),
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        self.values = dict(snapshot.get("values") or {})
        self.messages.replace_all(snapshot.get("messages") or [])
        self.status = dict(snapshot.get("status") or {})
        self.failed = {
            m["id"]: m for m in self.messages if self.status.get(m.get("id")) == "failed"}
        self.chunks.metadata.update(snapshot.get("stream_metadata") or {})

    # -- streamed chunks -> shown list --------------------------------------------------------

    def _place(self, message_id: str) -> None:
        self._dirty.discard(message_id)
        message = self.chunks.get(message_id)
        if message is not None:
            self.messages.upsert(message)

    def flush_chunks(self) -> None:
        """Put every streamed chunk not yet placed into the message list."""
        while self._dirty:
            self._place(self._dirty.pop())
