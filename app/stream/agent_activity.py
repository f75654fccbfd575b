"""What a run shows besides its main messages: subagents, thinking and answer timing.

`AgentActivity` is fed every stream event by `RunEvents` with the time it arrived:
- events under a subagent namespace (`tools:<task id>`) go to the `SubagentTracker`
  only, never to the main messages;
- root AI chunks feed the `ReasoningLog` (when thinking started and stopped) and the
  `AnswerClock` (first and last token of each answer); root chunks carrying tool calls,
  tool results and values / updates / tasks events feed the tracker (the `task` calls
  and their results).
`version` grows whenever the subagents may have changed, so a UI can skip them when not.
After a reload the tracker is filled from the shown messages (`sync`: the task calls and
results; the subagents' own messages are not in the thread's state), reasoning comes from
the stored content, and the timing figures recorded in the thread's metadata
(`answer_log`) stand in for the clock readings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from app.stream.answer_clock import AnswerClock
from app.stream.answer_log import answer_entry
from app.stream.messages import Message, message_type
from app.stream.namespaces import SUBAGENT_TOOL_NAMES, is_subagent_namespace
from app.stream.reasoning import ReasoningLog, is_thinking, reasoning_text
from app.stream.subagents import SubagentTracker
from app.stream.tool_progress import ToolProgress
from app.stream.usage import usage_of

SUBAGENT_MODES = frozenset({"messages", "values", "updates", "tasks"})
TOOLS_MODE = "tools"  # tool progress (`tool_progress`)


class AgentActivity:
    """Subagents, reasoning spans and answer timing of one thread (see the module
    docstring). Times are passed in; nothing here reads a clock."""

    def __init__(self, tool_names: Iterable[str] = SUBAGENT_TOOL_NAMES) -> None:
        self.tool_names = frozenset(tool_names)
        self.subagents = SubagentTracker(self.tool_names)
        self.reasoning = ReasoningLog()
        self.clock = AnswerClock()
        self.tools = ToolProgress()
        self.recorded: dict[str, dict[str, float]] = {}  # from the thread's metadata
        self.version = 0
        # answers streamed since the last record, in order (a dict: one look-up per token)
        self._unrecorded: dict[str, None] = {}
        # Since a run was replayed from its start (until the next record): the answers
        # streamed again, whose times say nothing (None when no run was replayed) ...
        self._replayed: set[str] | None = None
        # ... and the answers streamed before it, forgotten as their first event comes
        # again (the others, of earlier runs, keep their reasoning and timing).
        self._streamed_before: set[str] = set()

    # -- feeding --------------------------------------------------------------------

    def run_started(self, at: float | None) -> None:
        """A run's request is being sent: its first model call starts now."""
        self.clock.step(at)

    def add(self, mode: str, namespace: Sequence[str], data: Any, at: float | None) -> bool:
        """One stream event; True when the subagents or the tool progress may have changed."""
        if mode == TOOLS_MODE:
            changed = self.tools.add(data)
            self.version += changed
            return changed
        if mode not in SUBAGENT_MODES:
            return False
        if namespace:
            if not is_subagent_namespace(namespace):
                return False
            self.subagents.add(namespace, mode, data, at)
            self.version += 1
            return True
        if mode == "messages":
            if not self._root_chunk(data, at):
                return False
        else:
            self.clock.step(at)
        self.subagents.add((), mode, data, at)
        self.version += 1
        return True

    def _root_chunk(self, data: Any, at: float | None) -> bool:
        """A root `messages` event: times the answer; True when it concerns the tracker
        (tool calls streaming, a tool's result)."""
        message = data[0] if isinstance(data, list | tuple) and data else None
        if not isinstance(message, Mapping):
            return False
        kind = message_type(message)
        if kind != "ai":
            self.clock.step(at)  # a tool's result: the next model call starts now
            return kind == "tool"
        message_id = str(message.get("id") or "")
        if message_id and at is not None:
            self._replaying(message_id)
            self.reasoning.add(message, at)
            self.clock.token(message_id, message, at)
            self._unrecorded[message_id] = None
        return bool(message.get("tool_call_chunks") or message.get("tool_calls"))

    def finish_run(self) -> None:
        """The run ended: a thinking span still open ends at its message's last token; no
        tool runs any more."""
        self.tools.reset()
        for message_id in self.clock.ids():
            clocked = self.clock.get(message_id)
            if clocked is not None:
                self.reasoning.finish(message_id, clocked.last_at)

    def sync(self, messages: Iterable[Mapping[str, Any]]) -> None:
        """Register the subagent calls and results found in shown messages (a thread read
        from the server); what was streamed of them is kept."""
        shown = [dict(m) for m in messages if message_type(m) in ("ai", "tool")]
        if shown:
            self.subagents.add((), "values", {"messages": shown}, None)
            self.version += 1

    def replay(self) -> None:
        """A run is replayed from its first event: forget what was streamed of it. Its
        answers are forgotten as they come again: answers of earlier runs (one that ended
        as this queued run started) keep their reasoning and timing."""
        self.subagents.reset()
        self.tools.reset()
        self._streamed_before |= set(self.clock.ids()) | self.reasoning.ids()
        self._replayed = set()
        self.version += 1

    def _replaying(self, message_id: str) -> None:
        """A chunk of `message_id` after a replay began: what was streamed of it before is
        forgotten at its first one, and its times are not recorded."""
        if self._replayed is None:
            return
        self._replayed.add(message_id)
        if message_id in self._streamed_before:
            self._streamed_before.discard(message_id)
            self.clock.discard(message_id)
            self.reasoning.discard(message_id)

    # -- reading --------------------------------------------------------------------

    def details(self, message: Mapping[str, Any], *, live: bool = False) -> dict[str, Any]:
        """An answer's reasoning, usage and timing as plain data: `reasoning` (text),
        `thinking` (still reasoning: `live` and no answer yet), `thought_seconds`,
        `usage` (token counts or None), `time_to_first_token`, `tokens_per_second`,
        `duration` (seconds, None when unknown)."""
        message_id = str(message.get("id") or "")
        full = self.reasoning.with_reasoning(message)
        span = self.reasoning.span(message_id)
        recorded = self.recorded.get(message_id, {})
        thought = span.seconds() if span is not None else None
        usage = usage_of(message)
        clocked = self.clock.timing(message_id, usage.output_tokens if usage else None)
        figures = {
            "time_to_first_token": clocked.time_to_first_token if clocked else None,
            "tokens_per_second": clocked.tokens_per_second if clocked else None,
            "duration": clocked.duration if clocked else None,
        }
        for name, key in (("time_to_first_token", "ttft_s"), ("tokens_per_second",
                                                              "tokens_per_s"),
                          ("duration", "duration_s")):
            if figures[name] is None:
                figures[name] = recorded.get(key)
        return {
            "reasoning": reasoning_text(full),
            "thinking": live and is_thinking(full),
            "thought_seconds": thought if thought is not None else recorded.get("thought_s"),
            "usage": usage.to_dict() if usage is not None else None,
            **figures,
        }

    def to_record(self, message_of: Callable[[str], Message | None]) -> list[dict[str, Any]]:
        """The records of answers streamed since the last call that have reasoning or
        usage (see `answer_log`); they count as recorded from now on. Not those of a run
        replayed from its start (a rejoin after a reload): its earlier events came in a
        burst, so their times say nothing about the model."""
        entries = []
        replayed, self._replayed = self._replayed or set(), None
        for message_id in self._unrecorded:
            if message_id in replayed:
                continue
            message = message_of(message_id)
            if message is None or not (reasoning_text(message) or usage_of(message)):
                continue
            found = self.details(message)
            entry = answer_entry(message_id, {
                "thought_s": found["thought_seconds"], "ttft_s": found["time_to_first_token"],
                "tokens_per_s": found["tokens_per_second"], "duration_s": found["duration"]})
            if entry is not None:
                entries.append(entry)
                self.recorded[message_id] = {k: v for k, v in entry.items() if k != "id"}
        self._unrecorded.clear()
        return entries


def has_answer_details(messages: Iterable[Mapping[str, Any]]) -> bool:
    """True when some AI message has reasoning or usage (its timing may be recorded)."""
    return any(message_type(m) == "ai" and (reasoning_text(m) or usage_of(m))
               for m in messages)
