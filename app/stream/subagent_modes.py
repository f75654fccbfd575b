"""Whether a run should stream its subgraphs: only for assistants that delegate to subagents.

A deep agent's subagents stream under their own namespaces only when the run asks for
`stream_subgraphs`, which also makes every other subgraph send its events (more bytes
for graphs that do not need them). So the stream asks for it when the assistant's graph
has a tool node offering a subagent tool (`task`: `GET /assistants/{id}/graph` lists a
tool node's tools in `metadata["__tools"]`), or when the thread already holds a call to
one (a server whose graph cannot be read). The `tasks` stream mode, which links a
subagent's namespace to its tool call exactly, is added only when the server knows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.sdk.errors import AgentServerError
from app.stream.messages import message_type
from app.stream.namespaces import SUBAGENT_TOOL_NAMES


def graph_tools(graph: Any) -> set[str]:
    """The tool names a graph drawing lists on its tool nodes."""
    nodes = graph.get("nodes") if isinstance(graph, Mapping) else None
    tools: set[str] = set()
    for node in nodes if isinstance(nodes, list) else ():
        metadata = node.get("metadata") if isinstance(node, Mapping) else None
        listed = metadata.get("__tools") if isinstance(metadata, Mapping) else None
        if isinstance(listed, list):
            tools.update(str(name) for name in listed)
    return tools


def calls_subagents(messages: Iterable[Mapping[str, Any]],
                    tool_names: Iterable[str] = SUBAGENT_TOOL_NAMES) -> bool:
    """True when an AI message of `messages` called a subagent tool."""
    names = frozenset(tool_names)
    for message in messages:
        if message_type(message) != "ai":
            continue
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping) and call.get("name") in names:
                return True
    return False


class SubgraphPolicy:
    """Remembers, per stream, whether its assistant delegates to subagents (the graph is
    read once; a failure to read it counts as no)."""

    def __init__(self, tool_names: Iterable[str] = SUBAGENT_TOOL_NAMES) -> None:
        self.tool_names = frozenset(tool_names)
        self._known: dict[str, bool] = {}

    async def wanted(self, client: Any, assistant_id: str,
                     messages: Iterable[Mapping[str, Any]] = ()) -> bool:
        """Whether runs of `assistant_id` on a thread showing `messages` should stream
        their subgraphs."""
        if assistant_id not in self._known:
            try:
                graph = await client.assistants.graph(assistant_id)
            except (AgentServerError, AttributeError, TypeError):
                graph = None
            self._known[assistant_id] = bool(graph_tools(graph) & self.tool_names)
        return self._known[assistant_id] or calls_subagents(messages, self.tool_names)
