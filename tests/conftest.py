"""Shared fixtures: a real in-memory LangGraph Agent Server for the whole session.

The server serves the demo graphs (agents/) and the test graphs (tests/graphs/), both
declared in tests/langgraph.json, on a free port with its state in a temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.server import AgentServer

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def agent_server() -> Iterator[AgentServer]:
    server = AgentServer(config=TESTS / "langgraph.json", jobs=20)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def api_url(agent_server: AgentServer) -> str:
    return agent_server.url
