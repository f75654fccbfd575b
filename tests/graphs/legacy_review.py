"""`legacy_review`: interrupts with a legacy agent-inbox HumanInterrupt (one-item list).

The answer is a one-item list `[{"type": accept|edit|response|ignore, "args": ...}]`
(a bare dict is accepted too); the final AI message says what was done.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import interrupt

ACTION = {
    "action": "send_email",
    "args": {"to": "bob@example.com", "subject": "Lunch", "body": "Noon at Luigi's?"},
}
REQUEST = {
    "action_request": ACTION,
    "config": {
        "allow_ignore": True,
        "allow_respond": True,
        "allow_edit": True,
        "allow_accept": True,
    },
    "description": "Send this **email** to Bob?",
}


def _sent(args: dict[str, Any]) -> str:
    return f'Sent email to {args.get("to")} with subject "{args.get("subject")}".'


def review(state: MessagesState) -> dict[str, Any]:
    answer = interrupt([REQUEST])
    response = answer[0] if isinstance(answer, list) and answer else answer
    if not isinstance(response, dict):
        raise ValueError(f"legacy_review expects a HumanResponse, got {answer!r}")
    kind, args = response.get("type"), response.get("args")
    if kind == "accept":
        text = _sent(ACTION["args"])
    elif kind == "edit":
        edited = args.get("args", {}) if isinstance(args, dict) else {}
        text = "Edited. " + _sent(edited)
    elif kind == "response":
        text = f"Not sent. You replied: {args}"
    elif kind == "ignore":
        text = "Ignored; nothing was sent."
    else:
        raise ValueError(f"unknown response type {kind!r}")
    return {"messages": [AIMessage(content=text)]}


graph = (
    StateGraph(MessagesState)
    .add_node("review", review)
    .add_edge(START, "review")
    .compile(name="legacy_review")
)
