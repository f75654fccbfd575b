"""`agent`: a tool-using agent whose tool calls wait for a human's approval.

Built with LangChain v1 `create_agent` and `HumanInTheLoopMiddleware` (batched: one
interrupt per model turn). `ReviewMiddleware` adds each tool's JSON `args_schema` to its
review config, so a UI can build typed edit forms.

The fake model reads the last human message:
- "email bob about lunch"                       -> send_email
- "weather in Paris"                            -> get_weather
- "book a table at Luigi's for 4 at 7pm"        -> book_table
- several of these joined by "and"              -> several tool calls in one turn
After the tools answer it writes a final reply that quotes every tool result, so the
effect of approve / edit / reject / respond can be read from the last message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware, InterruptOnConfig
from langchain_core.messages import AIMessage, BaseMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool, tool

from agents.fake_model import FakeChatModel, last_human, message_text

# -- tools ------------------------------------------------------------------------


@tool
def send_email(to: str, subject: str, body: str) -> str:
    """Send an email."""
    return f'Email sent to {to} with subject "{subject}".'


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    degrees = 12 + sum(map(ord, city.lower())) % 15
    return f"It is sunny and {degrees} degrees in {city}."


@tool
def book_table(restaurant: str, party_size: int, time: str) -> str:
    """Book a restaurant table."""
    return f"Booked a table for {party_size} at {restaurant} at {time}."


TOOLS: list[BaseTool] = [send_email, get_weather, book_table]

# -- the fake model's decisions ---------------------------------------------------

_END = r"(?=\s+and\s+|[.?!;,]|$)"
_EMAIL = re.compile(rf"\bemail\s+([\w.@+-]+)\s+(?:about|regarding|re:?)\s+(.+?){_END}", re.I)
_WEATHER = re.compile(rf"\bweather\s+(?:in|for|at)\s+([^\W\d][\w' -]*?){_END}", re.I)
_BOOK = re.compile(
    r"\bbook\s+(?:a\s+)?table\s+(?:at\s+)?(.+?)\s+for\s+(\d+)"
    r"(?:\s+(?:people|persons|guests))?(?:\s+at\s+(\d{1,2}(?::\d{2})?\s*(?:[ap]m)?))?",
    re.I,
)

HELP = (
    'I am a demo agent (no real model). Try: "email bob about lunch", '
    '"weather in Paris", or "book a table at Luigi\'s for 4 at 7pm".'
)


def _address(name: str) -> str:
    return name if "@" in name else f"{name.lower()}@example.com"


def planned_tool_calls(text: str) -> list[ToolCall]:
    """Tool calls asked for by `text`, in the order they appear in it."""
    found: list[tuple[int, str, dict[str, Any]]] = []
    for match in _EMAIL.finditer(text):
        name, subject = match.group(1), match.group(2).strip()
        body = f"Hi {name.split('@')[0].capitalize()}, let's talk about {subject}."
        found.append(
            (match.start(), "send_email", {"to": _address(name), "subject": subject, "body": body})
        )
    for match in _WEATHER.finditer(text):
        found.append((match.start(), "get_weather", {"city": match.group(1).strip()}))
    for match in _BOOK.finditer(text):
        args = {
            "restaurant": match.group(1).strip(),
            "party_size": int(match.group(2)),
            "time": (match.group(3) or "19:00").strip(),
        }
        found.append((match.start(), "book_table", args))
    found.sort(key=lambda item: item[0])
    return [
        ToolCall(name=name, args=args, id=f"call_{uuid.uuid4().hex[:16]}", type="tool_call")
        for _, name, args in found
    ]


def tool_result_text(message: ToolMessage) -> str:
    """A tool message's result without the middleware's edit notice."""
    text = message_text(message)
    return text.split("Tool response:", 1)[-1].strip()


def summary(results: Sequence[ToolMessage]) -> str:
    """The final reply: one line per tool call, saying whether it ran and what it said."""
    lines = []
    for message in results:
        if message.status == "error":
            lines.append(f"- {message.name} was not run: {tool_result_text(message)}")
        else:
            lines.append(f"- {message.name}: {tool_result_text(message)}")
    return "Done (demo agent). Results:\n" + "\n".join(lines)


def agent_responder(messages: Sequence[BaseMessage]) -> AIMessage:
    """Call tools for a new request; summarise their results once they answered."""
    if messages and isinstance(messages[-1], ToolMessage):
        results: list[ToolMessage] = []
        asked: AIMessage | None = None
        for message in reversed(messages):
            if not isinstance(message, ToolMessage):
                asked = message if isinstance(message, AIMessage) else None
                break
            results.insert(0, message)
        order = [call["id"] for call in asked.tool_calls] if asked else []
        results.sort(key=lambda m: order.index(m.tool_call_id) if m.tool_call_id in order else 0)
        return AIMessage(content=summary(results))
    human = last_human(messages)
    calls = planned_tool_calls(message_text(human)) if human else []
    if not calls:
        return AIMessage(content=HELP)
    names = ", ".join(call["name"] for call in calls)
    return AIMessage(content=f"I will call {names}.", tool_calls=calls)


# -- human review -----------------------------------------------------------------


class ReviewMiddleware(HumanInTheLoopMiddleware):
    """HumanInTheLoopMiddleware that also sends each tool's `args_schema` for review."""

    def _create_action_and_config(self, tool_call, config, state, runtime):  # type: ignore[no-untyped-def]
        action, review = super()._create_action_and_config(tool_call, config, state, runtime)
        if "args_schema" in config:
            review["args_schema"] = config["args_schema"]
        return action, review


def args_schema(tool_: BaseTool) -> dict[str, Any]:
    """The JSON schema of the arguments the model sends to `tool_`."""
    schema = tool_.tool_call_schema
    if isinstance(schema, dict):
        return schema
    return schema.model_json_schema()


def _describe(tool_call: ToolCall, state: Any, runtime: Any) -> str:
    args = tool_call["args"]
    if tool_call["name"] == "send_email":
        return f"Send an email to **{args.get('to')}** about *{args.get('subject')}*."
    if tool_call["name"] == "book_table":
        return (
            f"Book a table for **{args.get('party_size')}** at **{args.get('restaurant')}** "
            f"at {args.get('time')}."
        )
    return f"Look up the weather in **{args.get('city')}**."


def review_config(tool_: BaseTool, decisions: list[str]) -> InterruptOnConfig:
    return InterruptOnConfig(
        allowed_decisions=decisions,  # type: ignore[typeddict-item]
        description=_describe,
        args_schema=args_schema(tool_),
    )


REVIEW = {
    "send_email": review_config(send_email, ["approve", "edit", "reject", "respond"]),
    "book_table": review_config(book_table, ["approve", "edit", "reject"]),
    "get_weather": review_config(get_weather, ["approve", "reject", "respond"]),
}

model = FakeChatModel(responder=agent_responder, token_delay=0.02)

graph = create_agent(
    model=model,
    tools=TOOLS,
    middleware=[ReviewMiddleware(interrupt_on=REVIEW)],
    name="agent",
)
