"""The only place the states touch the Agent Server objects (SDK client, ThreadStream).

Everything here runs on the backend. The API key is read from the settings when a client
is built and never stored in a state var.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import httpx

from app.access.identity import Identity
from app.access.owned_client import OwnedClient
from app.access.transport import AuthorizingTransport, authorization_source
from app.sdk import AgentClient
from app.sdk.backend import Backend, connect
from app.sdk.capabilities import FLEET
from app.sdk.http import shown_url
from app.settings import get_settings
from app.stream import ThreadStream

# Test-only hook: a JSON file whose object is merged into each run's config. Set by the
# end-to-end tests through the app's environment; never reachable from the browser.
RUN_CONFIG_FILE_ENV = "LANGGRAPH_CHAT_RUN_CONFIG_FILE"

_clients: dict[tuple[int, str], Any] = {}


def api_url() -> str:
    """The Agent Server URL for display (settings, error messages): credentials written
    into it (`user:pass@`) are left out, since this reaches the browser."""
    return shown_url(get_settings().langgraph_api_url)


def default_assistant() -> str:
    return get_settings().langgraph_assistant_id


def client() -> Backend:
    """The process's pooled client for the running event loop: an AgentClient, or a
    DeepAgentsBackend for Managed Deep Agents (`app.sdk.backend`). The key and the auth
    scheme are sent by it on every request; they never leave the backend."""
    settings = get_settings()
    key = (id(asyncio.get_running_loop()), settings.langgraph_api_url)
    found = _clients.get(key)
    if found is None:
        api_key = settings.langgraph_api_key
        found = connect(
            settings.backend_kind,
            settings.langgraph_api_url,
            api_key=api_key.get_secret_value() if api_key is not None else None,
            headers=settings.client_headers() or None,
        )
        if settings.deployment == "fleet":
            found.capabilities = FLEET
        _clients[key] = found
    return found


def new_stream(
    assistant_id: str,
    *,
    client: Any,
    thread_id: str | None,
    messages_key: str = "messages",
    fetch_state_history: bool = True,
    **options: Any,
) -> ThreadStream:
    """A ThreadStream for one tab, sharing the pooled client."""
    return ThreadStream(
        assistant_id=assistant_id,
        client=client,
        messages_key=messages_key,
        thread_id=thread_id or None,
        fetch_state_history=fetch_state_history,
        **options,
    )


def test_run_config() -> dict[str, Any] | None:
    """The run config from the test-only hook file, if the environment names one."""
    path = os.environ.get(RUN_CONFIG_FILE_ENV)
    if not path or not Path(path).is_file():
        return None
    try:
        data = json.loads(Path(path).read_text() or "null")
    except ValueError:
        return None
    return data if isinstance(data, dict) and data else None


def graph_filter(assistant_id: str) -> dict[str, str]:
    """Thread-search metadata matching an assistant given by uuid or by graph id."""
    if _looks_like_uuid(assistant_id):
        return {"assistant_id": assistant_id}
    return {"graph_id": assistant_id}


def _looks_like_uuid(value: str) -> bool:
    parts = value.split("-")
    return len(parts) == 5 and all(
        part and all(c in "0123456789abcdefABCDEF" for c in part) for part in parts
    )


SHARED_OWNER = "shared"  # whose name a shared deployment's threads are kept under
_identity_clients: dict[tuple[int, str], Any] = {}
_shared_transport: dict[int, httpx.AsyncHTTPTransport] = {}
IDENTITY_CLIENTS = 1_000  # per-identity clients kept (each costs no connections)


def client_for(identity: Identity) -> Any:
    """The Agent Server client acting for `identity`: with LANGGRAPH_CHAT_AUTH_SECRET (or
    a forwarded OIDC token) every call carries the identity's token; with private
    threads (the default) it sees only the identity's threads (`OwnedClient`). Clients
    share one connection pool."""
    settings = get_settings()
    shared = settings.langgraph_chat_threads == "shared"
    acting = Identity.user(SHARED_OWNER, identity.name) if shared else identity
    loop = id(asyncio.get_running_loop())
    key = (loop, acting.owner)
    found = _identity_clients.get(key)
    if found is not None:
        return found
    base: Any = client()
    secret = settings.langgraph_chat_auth_secret
    forward = settings.langgraph_chat_oidc_forward_token and identity.access_token
    if secret is not None or forward:
        if loop not in _shared_transport:
            _shared_transport[loop] = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20))
        source = authorization_source(
            identity if forward else acting,
            secret.get_secret_value() if secret is not None else None,
            forward_oidc_token=bool(forward))
        api_key = settings.langgraph_api_key
        base = AgentClient(
            settings.langgraph_api_url, headers=settings.client_headers() or None,
            api_key=api_key.get_secret_value() if api_key is not None else None,
            http_transport=AuthorizingTransport(_shared_transport[loop], source))
        base.capabilities = client().capabilities
    found = base if shared else OwnedClient(base, identity.owner)
    if len(_identity_clients) >= IDENTITY_CLIENTS:
        _identity_clients.pop(next(iter(_identity_clients)))
    _identity_clients[key] = found
    return found
