"""`nested`: a parent graph whose `child` node is a compiled subgraph.

The child streams a reply token by token (messages mode) and custom events through
`get_stream_writer()` (`{"progress": i, "of": n}`); the parent records its own `step`.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer
from langgraph.graph import START, MessagesState, StateGraph

from agents.fake_model import FakeChatModel

CHILD_REPLY = "Hello from inside the child graph."
STEPS = 3

_model = FakeChatModel(token_delay=0.02)


class ParentState(MessagesState, total=False):
    step: str


async def child_model(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
    write = get_stream_writer()
    for i in range(1, STEPS + 1):
        write({"progress": i, "of": STEPS})
    reply: AIMessage = await _model.ainvoke(state["messages"], config, reply=CHILD_REPLY)
    return {"messages": [reply]}


child = (
    StateGraph(MessagesState)
    .add_node("child_model", child_model)
    .add_edge(START, "child_model")
    .compile(name="nested_child")
)


def prepare(state: ParentState) -> dict[str, Any]:
    return {"step": "prepared"}


def finish(state: ParentState) -> dict[str, Any]:
    return {"step": "finished"}


graph = (
    StateGraph(ParentState)
    .add_node("prepare", prepare)
    .add_node("child", child)
    .add_node("finish", finish)
    .add_edge(START, "prepare")
    .add_edge("prepare", "child")
    .add_edge("child", "finish")
    .compile(name="nested")
)
