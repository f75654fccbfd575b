"""Client for LangSmith's Managed Deep Agents API (threads, streamed runs, interrupts).

Built on app.sdk's Transport, errors and stream parsing: runs stream the same
`StreamPart`s as `AgentClient`. What the API lacks (thread state and history, branches,
run cancel/join) has no method here; see `app.sdk.capabilities`.
"""

from app.sdk.deepagents.client import DEFAULT_API_URL, DeepAgentsClient
from app.sdk.deepagents.models import (
    ManagedAgent,
    ManagedAgentPage,
    ManagedThread,
    ManagedThreadPage,
)
from app.sdk.deepagents.runs import ManagedRunStream, api_message, stream_body

__all__ = [
    "DEFAULT_API_URL",
    "DeepAgentsClient",
    "ManagedAgent",
    "ManagedAgentPage",
    "ManagedRunStream",
    "ManagedThread",
    "ManagedThreadPage",
    "api_message",
    "stream_body",
]
