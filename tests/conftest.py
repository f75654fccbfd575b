"""Shared fixtures: a real in-memory LangGraph Agent Server for the whole session.

The server serves the demo graphs (agents/) and the test graphs (tests/graphs/), both
declared in tests/langgraph.json, on a free port with its state in a temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.server import AgentServer
from tests.fakes.deepagents_api import DeepAgentsAPI, serve_deepagents_api
from tests.fakes.fleet_gateway import FleetGateway, serve_fleet_gateway

TESTS = Path(__file__).resolve().parent
pytest_plugins = ["tests.access_fixtures"]


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


@pytest.fixture(scope="session")
def fleet_gateway(api_url: str) -> Iterator[FleetGateway]:
    """A fake Fleet deployment (LangSmith auth, owners, read-only workspace agents) in
    front of the session's Agent Server. Tests add their own users and agents."""
    with serve_fleet_gateway(api_url) as gateway:
        yield gateway


@pytest.fixture(scope="session")
def deepagents_api(api_url: str) -> Iterator[DeepAgentsAPI]:
    """A fake Managed Deep Agents API checking every request against the documented
    shapes, running its agents on the session's Agent Server. Tests add their own keys
    and agents; `api.url` is the API base (`.../v1/deepagents`)."""
    with serve_deepagents_api(api_url) as api:
        yield api
