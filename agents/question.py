"""`question`: asks the user for their name, greets them, then asks a structured question.

Step 1 interrupts with a plain string ("What is your name?"); the answer is any text.
Step 2 interrupts with a dict payload (a question with choices); the answer is one of the
choices, as a string or `{"choice": ...}`.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import interrupt

NAME_QUESTION = "What is your name?"
COLOURS = ["red", "green", "blue"]


class QuestionState(MessagesState, total=False):
    name: str
    colour: str


def _text(answer: Any, key: str) -> str:
    if isinstance(answer, dict):
        answer = answer.get(key, "")
    return str(answer if answer is not None else "").strip()


def ask_name(state: QuestionState) -> dict[str, Any]:
    """Interrupt with a string question; greet with the answer."""
    name = _text(interrupt(NAME_QUESTION), "name") or "stranger"
    return {"name": name, "messages": [AIMessage(content=f"Hello, {name}! Nice to meet you.")]}


def ask_colour(state: QuestionState) -> dict[str, Any]:
    """Interrupt with a dict payload offering choices; confirm the choice."""
    answer = interrupt(
        {
            "question": f"Which colour do you like, {state.get('name', 'stranger')}?",
            "choices": COLOURS,
        }
    )
    colour = _text(answer, "choice").lower()
    if colour not in COLOURS:
        reply = f"{colour or 'Nothing'} is not one of {', '.join(COLOURS)}; I will pick blue."
        colour = "blue"
    else:
        reply = f"{colour.capitalize()} it is."
    return {"colour": colour, "messages": [AIMessage(content=reply)]}


graph = (
    StateGraph(QuestionState)
    .add_node("ask_name", ask_name)
    .add_node("ask_colour", ask_colour)
    .add_edge(START, "ask_name")
    .add_edge("ask_name", "ask_colour")
    .compile(name="question")
)
