"""Subagents of a deep agent, followed from stream events (pure: no I/O, no clock).

A deep agent delegates through the `task` tool (args `description`, `subagent_type`).
With `stream_subgraphs`, each subagent's events arrive under its own namespace: the
event `messages|tools:<pregel task id>` (namespace `("tools:<pregel task id>",)`). Its
tokens carry metadata `lc_agent_name` = the subagent's name and `checkpoint_ns` =
`tools:<pregel task id>`; nothing in them names the `task` tool call id.

How a namespace is linked to its `task` call, strongest rule first:
1. `tasks` stream mode: the root `tasks` event that starts the tool node's pregel task
   has `id` = that task id and `input` = `[tool call]`: an exact link. And when the
   subagent ends, the root `task` ToolMessage's metadata has `langgraph_checkpoint_ns` =
   `tools:<that task id>` next to its `tool_call_id`: an exact link, late (`tool_result`).
2. The subagent's first input message is a human message whose content is the call's
   `description` (seen in the namespace's first `values` / `tasks` / `updates`): exact
   match, then one containing the other (useStream does the same).
3. `lc_agent_name` in the token metadata equals the call's `subagent_type`: the first
   unlinked call of that type, in call order.
4. Neither hint known: the first unlinked call, in call order.
An exact link (1) replaces a guess; the namespace it displaces is linked again.
Measured on langgraph-api 0.16.7 + deepagents 0.7.32: the subagent's `values` event
(with the description) comes before its first token, so rule 2 applies without `tasks`.

A subagent is `pending` (called, no event yet), `running` (its namespace streams),
`done` or `error` (the `task` tool message arrived; `error` when its status is "error"
or the tool node's task failed). Times are passed in with each event.
Nested namespaces (`tools:a|tools:b`) are counted under their first `tools:` segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.stream.chunks import ChunkAccumulator
from app.stream.messages import Message, message_text, messages_in, normalize_type
from app.stream.namespaces import NAMESPACE_PREFIX, SUBAGENT_TOOL_NAMES, subagent_key


def _human_text(message: Any) -> str | None:
    if isinstance(message, Mapping) and normalize_type(message.get("type")) == "human":
        return message_text(message)
    return None


def _may_concern_calls(message: Message) -> bool:
    """Whether a stored message can start or end a subagent call (most of a values
    event's whole thread are plain human and AI messages, skipped at once)."""
    kind = message.get("type")
    return kind not in ("human", "system") and bool(
        message.get("tool_calls") or message.get("tool_call_id") is not None
        or message.get("tool_call_chunks") or str(kind).endswith("Chunk"))


def _description(call: _Call) -> str:
    return str(call.args.get("description") or "").strip()


@dataclass
class _Call:
    """One `task` tool call and what is known of the subagent it started."""

    tool_call_id: str
    order: int
    args: dict[str, Any] = field(default_factory=dict)
    ai_message_id: str | None = None
    namespace: str | None = None
    link: str | None = None
    status: str = "pending"
    started_at: float | None = None
    ended_at: float | None = None
    result: str | None = None
    error: str | None = None


@dataclass
class _Stream:
    """Events seen under one subagent namespace."""

    accumulator: ChunkAccumulator = field(default_factory=ChunkAccumulator)
    order: list[str] = field(default_factory=list)
    description: str | None = None
    agent_name: str | None = None
    first_at: float | None = None
    last_at: float | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def add_message(self, message: Mapping[str, Any], metadata: Any = None) -> None:
        meta = metadata if isinstance(metadata, dict) else None
        message_id = self.accumulator.add(dict(message), meta)
        if message_id is not None and message_id not in self.order:
            self.order.append(message_id)

    def messages(self) -> list[Message]:
        built = (self.accumulator.get(message_id) for message_id in self.order)
        return [message for message in built if message is not None]


class SubagentTracker:
    """Follows the `task` calls of the main agent and the subagents they start.

    Feed every stream event with `add(namespace, mode, data, at)` (root events too: they
    carry the `task` calls and results); `add_tool_calls(message)` registers the calls
    of a main AI message directly (e.g. from history). `snapshot()` is plain JSON.
    """

    def __init__(self, tool_names: Iterable[str] = SUBAGENT_TOOL_NAMES) -> None:
        self.tool_names = frozenset(tool_names)
        self._calls: dict[str, _Call] = {}
        self._by_namespace: dict[str, str] = {}
        self._streams: dict[str, _Stream] = {}
        self._root = ChunkAccumulator()  # main AI chunks carrying tool calls

    # -- feeding ------------------------------------------------------------------

    def add(
        self,
        namespace: str | Sequence[str] | None,
        mode: str,
        data: Any,
        at: float | None = None,
    ) -> None:
        """One stream event: `mode` is the event's mode ("messages", "values", "updates",
        "tasks"; "messages-tuple" is read as "messages"), `data` its parsed JSON."""
        mode = "messages" if mode in ("messages", "messages-tuple") else mode
        key = subagent_key(namespace)
        if key is None:
            self._on_root(mode, data, at)
        else:
            self._on_subagent(key, mode, data, at)

    def add_tool_calls(self, message: Mapping[str, Any]) -> None:
        """Register the `task` calls of a main AI message (idempotent; longer args win,
        so calls can be re-registered while their arguments stream)."""
        if normalize_type(message.get("type")) != "ai":
            return
        added = False
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping):
                added = self._register(call, message.get("id")) or added
        if added:
            self._relink_waiting()

    def _register(self, call: Mapping[str, Any], ai_message_id: Any) -> bool:
        if call.get("name") not in self.tool_names or not call.get("id"):
            return False
        call_id = str(call["id"])
        args = call.get("args") if isinstance(call.get("args"), Mapping) else {}
        known = self._calls.get(call_id)
        if known is None:
            self._calls[call_id] = _Call(
                tool_call_id=call_id,
                order=len(self._calls),
                args=dict(args),
                ai_message_id=str(ai_message_id) if ai_message_id else None,
            )
            return True
        for name, value in args.items():
            old = known.args.get(name)
            if not isinstance(old, str) or not isinstance(value, str) or len(value) >= len(old):
                known.args[name] = value
        if ai_message_id and not known.ai_message_id:
            known.ai_message_id = str(ai_message_id)
        return False

    def _on_root(self, mode: str, data: Any, at: float | None) -> None:
        if mode == "messages" and isinstance(data, list | tuple) and data:
            metadata = data[1] if len(data) > 1 and isinstance(data[1], Mapping) else {}
            self._root_message(data[0], at, metadata)
        elif mode == "values":
            for message in messages_in(data):
                if _may_concern_calls(message):
                    self._root_message(message, at)
        elif mode == "updates" and isinstance(data, Mapping):
            for update in data.values():
                for message in messages_in(update):
                    if _may_concern_calls(message):
                        self._root_message(message, at)
        elif mode == "tasks" and isinstance(data, Mapping):
            self._root_task(data, at)

    def _root_message(
        self, message: Any, at: float | None, metadata: Mapping[str, Any] | None = None
    ) -> None:
        if not isinstance(message, Mapping):
            return
        kind = normalize_type(message.get("type"))
        if kind == "tool":
            call_id = str(message.get("tool_call_id"))
            key = subagent_key((metadata or {}).get("langgraph_checkpoint_ns"))
            if key is not None and call_id in self._calls:
                self._link_exact(key, call_id, None, how="tool_result")
            self._finish(message, at)
        elif kind == "ai":
            if str(message.get("type", "")).endswith("Chunk"):
                message_id = message.get("id")
                if message.get("tool_call_chunks") or (message_id and message_id in self._root):
                    self._root.add(dict(message))
                    built = self._root.get(str(message_id)) if message_id else None
                    if built is not None:
                        self.add_tool_calls(built)
            else:
                self.add_tool_calls(message)

    def _root_task(self, data: Mapping[str, Any], at: float | None) -> None:
        task_id = data.get("id")
        if not task_id:
            return
        key = f"{NAMESPACE_PREFIX}{task_id}"
        if "input" in data:
            inputs = data.get("input")
            calls = inputs if isinstance(inputs, list) else [inputs]
            for call in calls:
                if isinstance(call, Mapping) and isinstance(call.get("tool_call"), Mapping):
                    call = call["tool_call"]
                if isinstance(call, Mapping) and self._register(call, None):
                    self._relink_waiting()
                if isinstance(call, Mapping) and str(call.get("id")) in self._calls:
                    self._link_exact(key, str(call["id"]), at, started=True)
        elif data.get("error") and key in self._by_namespace:
            found = self._calls[self._by_namespace[key]]
            if found.status not in ("done", "error"):
                found.status, found.error, found.ended_at = "error", str(data["error"]), at

    def _finish(self, message: Mapping[str, Any], at: float | None) -> None:
        found = self._calls.get(str(message.get("tool_call_id")))
        if found is None or found.status in ("done", "error"):
            return
        text = message_text(message)
        if message.get("status") == "error":
            found.status, found.error = "error", text
        else:
            found.status = "done"
        found.result = text
        found.ended_at = at

    def _on_subagent(self, key: str, mode: str, data: Any, at: float | None) -> None:
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = _Stream()
        if stream.first_at is None:
            stream.first_at = at
        stream.last_at = at
        if mode == "messages" and isinstance(data, list | tuple) and data:
            message, metadata = data[0], data[1] if len(data) > 1 else None
            if isinstance(metadata, Mapping) and metadata.get("lc_agent_name"):
                stream.agent_name = stream.agent_name or str(metadata["lc_agent_name"])
            if isinstance(message, Mapping):
                stream.add_message(message, metadata)
        elif mode in ("values", "updates", "tasks") and isinstance(data, Mapping):
            payloads = [data] if mode == "values" else list(data.values())
            if mode == "tasks":
                payloads = [data.get("input")]
            for payload in payloads:
                found = messages_in(payload)
                if found and stream.description is None:
                    stream.description = _human_text(found[0])
                if mode != "tasks":
                    for message in found:
                        stream.add_message(message)
            if mode == "values":
                stream.values = {k: v for k, v in data.items() if k != "messages"}
        self._link(key)
        self._mark_running(key)

    # -- linking ------------------------------------------------------------------

    def _unlinked_calls(self) -> list[_Call]:
        return [c for c in self._calls.values() if c.namespace is None]

    def _link(self, key: str) -> None:
        if key in self._by_namespace:
            return
        stream = self._streams[key]
        free = self._unlinked_calls()
        if not free:
            return
        chosen: _Call | None = None
        how = "description"
        wanted = (stream.description or "").strip()
        if wanted:
            chosen = next((c for c in free if _description(c) == wanted), None)
            if chosen is None:
                chosen = next(
                    (c for c in free if _description(c) and
                     (_description(c) in wanted or wanted in _description(c))),
                    None,
                )
        if chosen is None and stream.agent_name:
            how = "agent_name"
            chosen = next(
                (c for c in free if c.args.get("subagent_type") == stream.agent_name), None
            )
        if chosen is None and not wanted and not stream.agent_name:
            chosen, how = free[0], "order"
        if chosen is not None:
            self._set_link(key, chosen, how)

    def _link_exact(
        self, key: str, call_id: str, at: float | None, *, started: bool = False,
        how: str = "task_event",
    ) -> None:
        """Link `key` to `call_id` for sure (`started`: the task starts at `at`)."""
        call = self._calls[call_id]
        if call.namespace != key:
            displaced = self._by_namespace.pop(key, None)
            if displaced is not None and displaced != call_id:
                self._calls[displaced].namespace = None
                self._calls[displaced].link = None
            if call.namespace is not None:
                self._by_namespace.pop(call.namespace, None)
            self._set_link(key, call, how)
            self._relink_waiting()
        if started:
            if call.status == "pending":
                call.status = "running"
            if call.started_at is None:
                call.started_at = at

    def _set_link(self, key: str, call: _Call, how: str | None) -> None:
        call.namespace, call.link = key, how
        self._by_namespace[key] = call.tool_call_id
        self._mark_running(key)

    def _mark_running(self, key: str) -> None:
        call_id = self._by_namespace.get(key)
        stream = self._streams.get(key)
        if call_id is None or stream is None:
            return
        call = self._calls[call_id]
        if call.status == "pending":
            call.status = "running"
        if call.started_at is None:
            call.started_at = stream.first_at

    def _relink_waiting(self) -> None:
        for key in self._streams:
            if key not in self._by_namespace:
                self._link(key)

    # -- reading ------------------------------------------------------------------

    def _view(self, call: _Call) -> dict[str, Any]:
        stream = self._streams.get(call.namespace) if call.namespace else None
        duration = None
        if call.started_at is not None and call.ended_at is not None:
            duration = max(0.0, call.ended_at - call.started_at)
        return {
            "id": call.tool_call_id,
            "subagent_type": str(call.args.get("subagent_type") or ""),
            "description": str(call.args.get("description") or ""),
            "ai_message_id": call.ai_message_id,
            "namespace": call.namespace,
            "link": call.link,
            "status": call.status,
            "started_at": call.started_at,
            "ended_at": call.ended_at,
            "duration": duration,
            "result": call.result,
            "error": call.error,
            "messages": stream.messages() if stream else [],
            "values": dict(stream.values) if stream else {},
        }

    def get(self, tool_call_id: str) -> dict[str, Any] | None:
        call = self._calls.get(tool_call_id)
        return self._view(call) if call else None

    def snapshot(self) -> list[dict[str, Any]]:
        """Every subagent, in call order, as plain data."""
        return [self._view(call) for call in self._calls.values()]

    def by_message(self, ai_message_id: str) -> list[dict[str, Any]]:
        """The subagents started by one main AI message."""
        return [self._view(c) for c in self._calls.values() if c.ai_message_id == ai_message_id]

    def running(self) -> list[dict[str, Any]]:
        return [self._view(c) for c in self._calls.values() if c.status == "running"]

    def namespace_of(self, tool_call_id: str) -> str | None:
        call = self._calls.get(tool_call_id)
        return call.namespace if call else None

    def tool_call_of(self, namespace: str | Sequence[str] | None) -> str | None:
        """The `task` call id a namespace was linked to (None while unknown)."""
        key = subagent_key(namespace)
        return self._by_namespace.get(key) if key else None

    def reset(self) -> None:
        """Forget everything (before replaying a run from its start)."""
        self._calls.clear()
        self._by_namespace.clear()
        self._streams.clear()
        self._root = ChunkAccumulator()
