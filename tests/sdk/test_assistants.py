"""Assistants and server info against the real Agent Server."""

from __future__ import annotations

import pytest

from app.sdk import AgentClient, RequestValidationError


async def test_ok_and_info(client: AgentClient) -> None:
    assert await client.ok() is True
    info = await client.info()
    assert "version" in info


async def test_search_get_and_schemas(client: AgentClient) -> None:
    # The server's own assistant of the graph (other tests add assistants of it too).
    found = await client.assistants.search(graph_id="chat", limit=100)
    (chat,) = [a for a in found if a.metadata.get("created_by") == "system"]
    assert chat.graph_id == "chat" and chat.assistant_id
    fetched = await client.assistants.get(chat.assistant_id)
    assert fetched == chat
    schemas = await client.assistants.schemas(chat.assistant_id)
    assert "messages" in schemas["input_schema"]["properties"]
    everything = await client.assistants.search(limit=50)
    assert {"chat", "nested", "failing"} <= {a.graph_id for a in everything}


async def test_get_by_graph_id_is_rejected(client: AgentClient) -> None:
    with pytest.raises(RequestValidationError):
        await client.assistants.get("chat")


async def test_graph_lists_each_tool_node_s_tools(client: AgentClient) -> None:
    deep = await client.assistants.graph("deep")  # a graph id works here
    tools = {name for node in deep["nodes"]
             for name in (node.get("metadata") or {}).get("__tools", [])}
    assert {"task", "write_todos", "write_file", "edit_file"} <= tools
    chat = await client.assistants.graph("chat", xray=True)
    assert {"nodes", "edges"} <= set(chat)
    assert not any((node.get("metadata") or {}).get("__tools") for node in chat["nodes"])
