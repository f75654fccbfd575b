"""The built-in demo server launcher: a real `langgraph dev` on a free port."""

from __future__ import annotations

import httpx
import pytest

from agents.server import DEMO_CONFIG, AgentServer, free_port, wait_until_ok
from app.access.identity import Identity
from app.access.tokens import SECRET_ENV, mint


def test_test_server_answers_ok_and_serves_the_demo_graph(api_url: str) -> None:
    assert httpx.get(f"{api_url}/ok").json()["ok"] is True
    found = httpx.post(f"{api_url}/assistants/search",
                       json={"graph_id": "chat", "metadata": {"created_by": "system"}}).json()
    assert [a["graph_id"] for a in found] == ["chat"]  # (other tests add assistants of it)


def test_demo_server_starts_on_a_free_port_and_stops() -> None:
    secret = "demo-server-test-secret-" + "x" * 16
    server = AgentServer(config=DEMO_CONFIG, jobs=2, env={SECRET_ENV: secret}).start()
    try:
        # The demo server checks tokens (agents/auth.py): none, no answer.
        assert httpx.post(f"{server.url}/assistants/search", json={}).status_code == 401
        token = mint(Identity.visitor("v" * 22), secret)
        found = httpx.post(f"{server.url}/assistants/search", json={},
                           headers={"Authorization": f"Bearer {token}"}).json()
        graphs = {a["graph_id"] for a in found}
        assert "chat" in graphs
    finally:
        server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/ok", timeout=2)
    # The same server object starts again on the same port (tests restart a server to
    # check recovery after an outage).
    port = server.port
    server.start()
    try:
        assert server.port == port
        assert httpx.get(f"{server.url}/ok").json()["ok"] is True
    finally:
        server.stop()


def test_wait_until_ok_reports_a_dead_url() -> None:
    with pytest.raises(TimeoutError, match="not ready"):
        wait_until_ok(f"http://127.0.0.1:{free_port()}", timeout=1.0)
