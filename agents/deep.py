"""`deep`: a deep agent (the `deepagents` package) played by a scripted fake model.

Asked for anything, it works like a real deep agent on a report about the message's topic:
1. plans: `write_todos` (four items; reasoning streamed first);
2. delegates: TWO `task` calls in one AI message, so the `researcher` and the `analyst`
   subagents run at once; each streams its own tokens and calls its own tool
   (`web_search`, `get_statistics`);
3. writes `/report.md` (`write_file`) and updates the todos;
4. edits the report (`edit_file`), which waits for a human's approval (v1 HITL:
   approve / edit / reject);
5. marks every todo completed, then answers with reasoning and `usage_metadata`.
A later message in the same thread gets a short answer (with reasoning and usage).

The script reads the conversation to know which step it is at, so resuming after the
approval (or replaying) continues where the thread stands. Files live in the state
backend: `values.files` maps each path to `{"content", "encoding", "created_at",
"modified_at"}`. `config["configurable"]` may set `token_delay` (seconds per token),
`reasoning_format` (`standard`, `anthropic`, `openai`, `reasoning_content`) and
`subagents` (how many `task` calls step 2 makes at once, alternating researcher and
analyst; default 2: the benchmarks measure more).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from deepagents import SubAgent, create_deep_agent
from langchain.agents.middleware import InterruptOnConfig, TodoListMiddleware
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langchain_core.tools import tool
from langgraph.config import get_config

from agents.fake_model import last_human, message_text
from agents.scripted_model import ScriptedChatModel, Turn

REPORT = "/report.md"
DRAFT_MARK = "Status: draft"
REVIEWED_MARK = "Status: reviewed"

# -- the subagents' tools ---------------------------------------------------------


@tool
def web_search(query: str) -> str:
    """Search the web (demo: canned results)."""
    return (
        f"3 results for '{query}': {query} has a long history; {query} is studied "
        f"worldwide; experts disagree about the future of {query}."
    )


@tool
def get_statistics(topic: str) -> str:
    """Look up key numbers about a topic (demo: derived from the topic's letters)."""
    seed = sum(map(ord, topic.lower()))
    return (
        f"Statistics for '{topic}': {seed % 90 + 10} studies, {seed % 7 + 2} countries, "
        f"growth {seed % 13 + 1}% a year."
    )


# -- reading the conversation -----------------------------------------------------


def call(name: str, args: dict[str, Any]) -> ToolCall:
    """A tool call with a fresh id."""
    return ToolCall(name=name, args=args, id=f"call_{uuid.uuid4().hex[:16]}", type="tool_call")


def topic_of(text: str) -> str:
    """The subject of a request: what follows "on"/"about", else its first words."""
    text = text.strip()
    match = re.search(r"\b(?:on|about)\s+(.+?)[\s.?!]*$", text, re.I | re.S)
    if match:
        return match.group(1).strip()
    words = text.rstrip(".?!").split()
    return " ".join(words[:6]) or "the topic"


def since_last_human(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The messages after the most recent human message."""
    for position in range(len(messages) - 1, -1, -1):
        if isinstance(messages[position], HumanMessage):
            return list(messages[position + 1 :])
    return list(messages)


def tool_results(messages: Sequence[BaseMessage]) -> list[tuple[ToolCall, ToolMessage]]:
    """Each tool result in `messages` with the call that asked for it (deepagents' `task`
    results carry no tool name)."""
    calls: dict[str, ToolCall] = {}
    found: list[tuple[ToolCall, ToolMessage]] = []
    for message in messages:
        if isinstance(message, AIMessage):
            for tool_call in message.tool_calls:
                calls[str(tool_call["id"])] = tool_call
        elif isinstance(message, ToolMessage):
            asked = calls.get(message.tool_call_id)
            if asked is None:
                asked = ToolCall(name=message.name or "", args={}, id=message.tool_call_id)
            found.append((asked, message))
    return found


def todos(topic: str, done: int) -> list[dict[str, str]]:
    """The plan with its first `done` items completed and the next ones in progress."""
    items = [
        f"Research {topic} (researcher subagent)",
        f"Collect numbers on {topic} (analyst subagent)",
        f"Write {REPORT}",
        "Review and finalize the report",
    ]
    statuses = ["completed"] * done + ["in_progress"] * (2 if done == 0 else 1)
    statuses += ["pending"] * (len(items) - len(statuses))
    return [{"content": c, "status": s} for c, s in zip(items, statuses[: len(items)], strict=True)]


def report_text(topic: str, facts: str, numbers: str) -> str:
    return f"# Report: {topic}\n\n## Facts\n{facts}\n\n## Numbers\n{numbers}\n\n{DRAFT_MARK}\n"


# -- the main agent's script ------------------------------------------------------


def main_turn(messages: Sequence[BaseMessage]) -> Turn:
    """The deep agent's next move, read from where the conversation stands."""
    first = next((m for m in messages if isinstance(m, HumanMessage)), None)
    topic = topic_of(message_text(first)) if first else "the topic"
    human = last_human(messages)
    if human is not None and human is not first:
        return follow_up(message_text(human).strip(), topic)
    results = tool_results(since_last_human(messages))
    done = {asked["name"] for asked, _ in results}
    plans = sum(1 for asked, _ in results if asked["name"] == "write_todos")
    if not results:
        return Turn(
            reasoning=(
                f"The user wants a report on {topic}. I will plan the work, let two "
                "subagents research in parallel, write the report, then have it reviewed."
            ),
            text="Here is my plan.",
            tool_calls=[call("write_todos", {"todos": todos(topic, 0)})],
        )
    if "task" not in done:
        count = subagent_count()
        return Turn(
            text="I will ask two subagents to work in parallel." if count == 2 else
            f"I will ask {count} subagents to work in parallel.",
            tool_calls=[delegation(topic, number) for number in range(count)],
        )
    if "write_file" not in done:
        answers = {
            asked["args"].get("subagent_type"): message_text(result)
            for asked, result in results
            if asked["name"] == "task"
        }
        facts, numbers = answers.get("researcher", ""), answers.get("analyst", "")
        return Turn(
            text=f"Both subagents answered. Writing {REPORT}.",
            tool_calls=[
                call("write_todos", {"todos": todos(topic, 2)}),
                call("write_file", {"file_path": REPORT,
                                    "content": report_text(topic, facts, numbers)}),
            ],
        )
    if "edit_file" not in done:
        return Turn(
            text="Marking the report as reviewed.",
            tool_calls=[
                call("write_todos", {"todos": todos(topic, 3)}),
                call("edit_file", {"file_path": REPORT, "old_string": DRAFT_MARK,
                                   "new_string": REVIEWED_MARK}),
            ],
        )
    if plans < 4:
        return Turn(text="All done.", tool_calls=[call("write_todos", {"todos": todos(topic, 4)})])
    edit = next(result for asked, result in results if asked["name"] == "edit_file")
    if edit.status == "error":
        outcome = f"The review edit was not applied: {message_text(edit)}"
    else:
        outcome = "The review edit was approved and applied."
    return Turn(
        reasoning=(
            "Every todo is completed. The researcher and the analyst answered, the report "
            "is written, and the review step has an outcome. Time to summarise."
        ),
        text=(
            f"The report on {topic} is ready in `{REPORT}`. It combines facts from the "
            f"researcher and numbers from the analyst. {outcome}"
        ),
    )


def subagent_count() -> int:
    """How many subagents step 2 calls (`configurable.subagents`, default 2)."""
    try:
        configurable = get_config().get("configurable") or {}
    except RuntimeError:  # called outside a run (unit tests of the script)
        configurable = {}
    return max(1, int(configurable.get("subagents") or 2))


def delegation(topic: str, number: int) -> ToolCall:
    """The `task` call of the `number`-th subagent (researcher, analyst, researcher...)."""
    part = f" (part {number // 2 + 1})" if number >= 2 else ""
    if number % 2 == 0:
        return call("task", {"description": f"Find three key facts about {topic}{part}.",
                             "subagent_type": "researcher"})
    return call("task", {"description": f"Collect the key numbers about {topic}{part}.",
                         "subagent_type": "analyst"})


def follow_up(said: str, topic: str) -> Turn:
    """A short answer to a later message in the thread."""
    return Turn(
        reasoning="A follow-up question; the report already exists, so a short answer will do.",
        text=f'You said: "{said}". The report on {topic} is in `{REPORT}`; ask me to redo it '
        "in a new thread.",
    )


# -- the subagents' scripts -------------------------------------------------------


def subagent_script(tool_name: str, arg: str, heading: str):  # type: ignore[no-untyped-def]
    """A subagent that thinks, calls `tool_name` about its task's topic, then reports."""

    def turn(messages: Sequence[BaseMessage]) -> Turn:
        task = last_human(messages)
        topic = topic_of(message_text(task)) if task else "the topic"
        topic = topic.rstrip(".")
        results = [result for _, result in tool_results(messages)]
        if not results:
            return Turn(
                reasoning=f"I need data on {topic}; the {tool_name} tool has it.",
                text=f"Looking up {topic}.",
                tool_calls=[call(tool_name, {arg: topic})],
            )
        return Turn(text=f"{heading} {topic}: {message_text(results[-1])}")

    return turn


researcher_model = ScriptedChatModel(
    script=subagent_script("web_search", "query", "Facts about"), model_name="scripted-researcher"
)
analyst_model = ScriptedChatModel(
    script=subagent_script("get_statistics", "topic", "Numbers about"),
    model_name="scripted-analyst",
)
model = ScriptedChatModel(script=main_turn, model_name="scripted-deep-agent")

SUBAGENTS: list[SubAgent] = [
    {
        "name": "researcher",
        "description": "Finds facts about a topic with web search.",
        "system_prompt": "You research a topic and answer with three facts.",
        "tools": [web_search],
        "model": researcher_model,
    },
    {
        "name": "analyst",
        "description": "Collects the key numbers about a topic.",
        "system_prompt": "You look up statistics about a topic and summarise them.",
        "tools": [get_statistics],
        "model": analyst_model,
    },
]


def _describe_edit(tool_call: ToolCall, state: Any, runtime: Any) -> str:
    args = tool_call["args"]
    return (
        f"Edit **{args.get('file_path')}**: replace `{args.get('old_string')}` with "
        f"`{args.get('new_string')}`."
    )


graph = create_deep_agent(
    model=model,
    system_prompt="You are a demo deep agent (scripted, no real model).",
    middleware=[TodoListMiddleware()],
    subagents=SUBAGENTS,
    interrupt_on={
        "edit_file": InterruptOnConfig(
            allowed_decisions=["approve", "edit", "reject"],
            description=_describe_edit,
        )
    },
    name="deep",
)
