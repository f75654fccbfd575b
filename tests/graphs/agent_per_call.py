"""`agent_per_call`: the demo agent with HITL in `per_call` mode.

Each gated tool call interrupts on its own with a `ToolApprovalRequest`
(`{"type": "tool_approval", ...}`) and a typed `response_schema`; each is answered with a
single decision keyed by interrupt id.
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware

from agents.agent import REVIEW, TOOLS, model

graph = create_agent(
    model=model,
    tools=TOOLS,
    middleware=[HumanInTheLoopMiddleware(interrupt_on=REVIEW, interrupt_mode="per_call")],
    name="agent_per_call",
)
