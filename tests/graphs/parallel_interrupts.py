"""`parallel_interrupts`: two parallel nodes each interrupt with a distinct payload.

The resume values are recorded in `answers` ({"alpha": ..., "beta": ...}) and a final
`report` node writes them as an AI message.
"""

from __future__ import annotations

import json
import operator
from typing import Annotated, Any

from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import interrupt

ALPHA_QUESTION = "alpha: what is your favourite number?"
BETA_PAYLOAD = {"question": "beta: pick a fruit", "choices": ["apple", "pear"]}


class ParallelState(MessagesState, total=False):
    answers: Annotated[dict[str, Any], operator.or_]


def alpha(state: ParallelState) -> dict[str, Any]:
    return {"answers": {"alpha": interrupt(ALPHA_QUESTION)}}


def beta(state: ParallelState) -> dict[str, Any]:
    return {"answers": {"beta": interrupt(BETA_PAYLOAD)}}


def report(state: ParallelState) -> dict[str, Any]:
    answers = json.dumps(state.get("answers", {}), sort_keys=True)
    return {"messages": [AIMessage(content=f"Answers: {answers}")]}


graph = (
    StateGraph(ParallelState)
    .add_node("alpha", alpha)
    .add_node("beta", beta)
    .add_node("report", report)
    .add_edge(START, "alpha")
    .add_edge(START, "beta")
    .add_edge(["alpha", "beta"], "report")
    .compile(name="parallel_interrupts")
)
