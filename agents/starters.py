"""The demo's starter prompts: what an empty chat offers on the built-in server.

`make run` passes them to the app as `LANGGRAPH_STARTERS` (unless that is set), so a
newcomer's first screen leads to each capability: the `chat` assistant's list tours the
other demo graphs (a starter with `"assistant"` switches the chat to that graph), and
each graph has a few prompts of its own.
"""

from __future__ import annotations

import json
from typing import Any

TOUR: list[dict[str, Any]] = [
    {"label": "Show rich markdown",
     "prompt": "Show me some markdown: a heading, a list, a code block and a table."},
    {"label": "Approve a tool call", "prompt": "What is the weather in Paris?",
     "assistant": "agent"},
    {"label": "Answer the agent's question", "prompt": "Hello!", "assistant": "question"},
    {"label": "Watch a deep agent work",
     "prompt": "Write a short report on the history of Lisbon's trams.", "assistant": "deep"},
    {"label": "See a live weather card", "prompt": "What is the weather in Porto?",
     "assistant": "genui"},
    {"label": "Ask about an image", "prompt": "What is in this image?", "attach": True},
]

STARTERS: dict[str, list[Any]] = {
    "chat": TOUR,
    "agent": ["What is the weather in Paris?", "Email bob about lunch",
              "Book a table at Luigi's for 4 at 7pm and email bob about it"],
    "question": ["Hello!"],
    "deep": ["Write a short report on the history of Lisbon's trams.",
             "Research electric ferries and summarise the findings."],
    "genui": ["What is the weather in Porto?", "What is the weather in Reykjavik?"],
}


def starters_json() -> str:
    """`LANGGRAPH_STARTERS` for the built-in demo server."""
    return json.dumps(STARTERS)
