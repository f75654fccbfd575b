"""Fixtures for identities and access (used by tests/access and tests/e2e): a redis-server,
a real OpenID Connect provider (oidc-provider-mock), and Agent Servers running the demo
auth handler (agents/auth.py).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import oidc_provider_mock
import pytest
import redis
import werkzeug.serving

from agents.server import AgentServer, free_port
from app.access.identity import Identity
from app.access.tokens import mint

TESTS = Path(__file__).resolve().parent
AUTH_CONFIG = TESTS / "langgraph.auth.json"
ALICE = oidc_provider_mock.User(sub="alice", claims={"name": "Alice Liddell",
                                                     "email": "alice@example.org"})
BOB = oidc_provider_mock.User(sub="bob", claims={"name": "Bob Builder"})


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A throwaway redis-server on a free port (no persistence)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """A real OpenID Connect provider (oidc-provider-mock) on a free port; its issuer URL.

    Any client id and secret are accepted; Alice and Bob are offered on its login page,
    and any other subject can be typed in. Nonces are required.
    """
    app = oidc_provider_mock.app(require_nonce=True, user_claims=[ALICE, BOB])
    server = werkzeug.serving.make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="session")
def auth_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class AuthServer:
    url: str
    secret: str
    server: AgentServer

    def token(self, identity: Identity) -> str:
        return mint(identity, self.secret)

    def headers(self, identity: Identity) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(identity)}"}


def start_auth_server(env: dict[str, str]) -> AgentServer:
    return AgentServer(config=AUTH_CONFIG, jobs=10, env=env).start()


@pytest.fixture(scope="session")
def auth_server(auth_secret: str) -> Iterator[AuthServer]:
    """`langgraph dev` with tests/langgraph.auth.json: the demo auth handler, one secret."""
    server = start_auth_server({"LANGGRAPH_CHAT_AUTH_SECRET": auth_secret})
    try:
        yield AuthServer(server.url, auth_secret, server)
    finally:
        server.stop()


@pytest.fixture
def unique() -> Callable[[str], str]:
    """A fresh name per call, so tests sharing a server never share identities."""
    return lambda prefix: f"{prefix}-{secrets.token_hex(4)}"
