"""`slow_tool`: the model streams one tool call whose long JSON args arrive in small pieces.

The tool `write_document(title, content)` runs without review; the model then confirms.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, BaseMessage, ToolCall, ToolMessage
from langchain_core.tools import tool

from agents.fake_model import FakeChatModel, message_text

CONTENT = " ".join(f"Paragraph {i} of the streamed document." for i in range(1, 21))


@tool
def write_document(title: str, content: str) -> str:
    """Save a document."""
    return f"Saved {title!r} ({len(content)} characters)."


def responder(messages: Sequence[BaseMessage]) -> AIMessage:
    if messages and isinstance(messages[-1], ToolMessage):
        return AIMessage(content=f"Done: {message_text(messages[-1])}")
    call = ToolCall(
        name="write_document",
        args={"title": "Streamed report", "content": CONTENT},
        id=f"call_{uuid.uuid4().hex[:16]}",
        type="tool_call",
    )
    return AIMessage(content="", tool_calls=[call])


graph = create_agent(
    model=FakeChatModel(responder=responder, token_delay=0.02, args_chunk_size=16),
    tools=[write_document],
    name="slow_tool",
)
