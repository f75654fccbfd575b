"""`pipeline`: `prepare` -> `respond`, for static breakpoints.

Run it with `interrupt_before=["respond"]` or `interrupt_after=["prepare"]`; continue
with `input: null`. `respond` streams a short reply.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, MessagesState, StateGraph

from agents.fake_model import FakeChatModel, last_human, message_text

_model = FakeChatModel(token_delay=0.02)


class PipelineState(MessagesState, total=False):
    prepared: bool


def prepare(state: PipelineState) -> dict[str, Any]:
    return {"prepared": True}


async def respond(state: PipelineState, config: RunnableConfig) -> dict[str, Any]:
    human = last_human(state["messages"])
    said = message_text(human) if human else ""
    reply: AIMessage = await _model.ainvoke(
        state["messages"], config, reply=f'Pipeline reply to "{said}".'
    )
    return {"messages": [reply]}


graph = (
    StateGraph(PipelineState)
    .add_node("prepare", prepare)
    .add_node("respond", respond)
    .add_edge(START, "prepare")
    .add_edge("prepare", "respond")
    .compile(name="pipeline")
)
