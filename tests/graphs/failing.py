"""`failing`: streams a few tokens, then raises ValueError("demo failure").

`config["configurable"]`: `failure_message` (the error text), `fail_after_tokens`
(tokens streamed before the failure, default 3), `token_delay`.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, MessagesState, StateGraph

from agents.fake_model import FakeChatModel

REPLY = "This reply will break in the middle of a sentence, as planned."

_model = FakeChatModel(token_delay=0.02, fail_after_tokens=3, failure_message="demo failure")


async def model(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
    reply: AIMessage = await _model.ainvoke(state["messages"], config, reply=REPLY)
    return {"messages": [reply]}  # never reached: the model raises first


graph = (
    StateGraph(MessagesState)
    .add_node("model", model)
    .add_edge(START, "model")
    .compile(name="failing")
)
