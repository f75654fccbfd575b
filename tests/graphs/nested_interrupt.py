"""`nested_interrupt`: `interrupt()` called inside a subgraph (node `child` of the parent)."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import interrupt

CHILD_QUESTION = "Child graph asks: shall I continue?"


def ask(state: MessagesState) -> dict[str, Any]:
    answer = interrupt(CHILD_QUESTION)
    return {"messages": [AIMessage(content=f"Child got: {answer}")]}


child = (
    StateGraph(MessagesState)
    .add_node("ask", ask)
    .add_edge(START, "ask")
    .compile(name="nested_interrupt_child")
)


def done(state: MessagesState) -> dict[str, Any]:
    return {"messages": [AIMessage(content="Parent finished.")]}


graph = (
    StateGraph(MessagesState)
    .add_node("child", child)
    .add_node("done", done)
    .add_edge(START, "child")
    .add_edge("child", "done")
    .compile(name="nested_interrupt")
)
