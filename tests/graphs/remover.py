"""`remover`: answers, then removes old messages with RemoveMessage.

Node `respond` appends a reply; node `prune` keeps the last `keep` messages
(`config["configurable"]["keep"]`, default 2) by returning RemoveMessage for earlier ids.
With `configurable.remove_all` it returns `RemoveMessage(REMOVE_ALL_MESSAGES)` and one
fresh AI message.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, RemoveMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.message import REMOVE_ALL_MESSAGES

from agents.fake_model import last_human, message_text

CLEARED = "History cleared."


def respond(state: MessagesState) -> dict[str, Any]:
    human = last_human(state["messages"])
    said = message_text(human) if human else ""
    return {"messages": [AIMessage(content=f'Noted: "{said}".')]}


def prune(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
    configurable = config.get("configurable") or {}
    if configurable.get("remove_all"):
        return {"messages": [RemoveMessage(id=REMOVE_ALL_MESSAGES), AIMessage(content=CLEARED)]}
    keep = int(configurable.get("keep", 2))
    old = state["messages"][:-keep] if keep > 0 else state["messages"]
    return {"messages": [RemoveMessage(id=m.id) for m in old if m.id]}


graph = (
    StateGraph(MessagesState)
    .add_node("respond", respond)
    .add_node("prune", prune)
    .add_edge(START, "respond")
    .add_edge("respond", "prune")
    .compile(name="remover")
)
