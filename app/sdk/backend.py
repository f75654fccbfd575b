"""The seam between the chat and its server: one interface, several backends.

`Backend` is what `ThreadStream` and the chat states call: `threads`, `runs` and
`assistants` with the Agent Server client's method names and shapes, plus the
`capabilities` the backend declares. Two clients satisfy it:

- `AgentClient` (`app.sdk.client`): a LangGraph Agent Server, self-hosted or on
  LangSmith; also Fleet and Agent Builder agents (`app.sdk.fleet`: the same API behind a
  Personal Access Token and `X-Auth-Scheme`);
- `DeepAgentsBackend` (`app.sdk.deepagents.backend`): the Managed Deep Agents API.

A call a backend cannot make raises `NotSupportedError`; callers ask
`capabilities_of(client)` first, so the UI never offers it. Two calls exist only where
the capabilities say so: `threads.list` (`thread_list`) and `resolve_interrupt`
(`resolve_interrupt`).

`backend_kind(url)` tells the API from the URL (`.../v1/deepagents` is Managed Deep
Agents) and `connect(kind, url, ...)` builds the client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from app.sdk.capabilities import Capabilities, capabilities_of
from app.sdk.client import AgentClient
from app.sdk.deepagents.backend import DeepAgentsBackend
from app.sdk.models import Assistant, Thread, ThreadListPage, ThreadPage, ThreadState

BackendKind = Literal["agent-server", "managed-deep-agents"]
KINDS: tuple[BackendKind, ...] = ("agent-server", "managed-deep-agents")
MANAGED_PATH = "/v1/deepagents"

__all__ = ["KINDS", "Backend", "BackendKind", "Capabilities", "backend_kind",
           "capabilities_of", "connect"]


class Threads(Protocol):
    async def create(self, *, metadata: Mapping[str, Any] | None = ...,
                     **options: Any) -> Thread: ...
    async def get(self, thread_id: str) -> Thread: ...
    async def search(self, **filters: Any) -> ThreadPage: ...
    async def update(self, thread_id: str, *, metadata: Mapping[str, Any]) -> Thread: ...
    async def delete(self, thread_id: str) -> None: ...
    async def get_state(self, thread_id: str, **options: Any) -> ThreadState: ...
    async def get_history(self, thread_id: str, **options: Any) -> list[ThreadState]: ...


class Runs(Protocol):
    def stream(self, thread_id: str | None, assistant_id: str, **options: Any) -> Any: ...
    def join(self, thread_id: str, run_id: str, **options: Any) -> Any: ...
    async def create(self, thread_id: str | None, assistant_id: str, **options: Any) -> Any: ...
    async def list(self, thread_id: str, **options: Any) -> Any: ...
    async def cancel(self, thread_id: str, run_id: str, **options: Any) -> None: ...


class Assistants(Protocol):
    async def get(self, assistant_id: str) -> Assistant: ...
    async def search(self, **filters: Any) -> list[Assistant]: ...


class Backend(Protocol):
    """What the chat needs of a server client (see the module docstring)."""

    capabilities: Capabilities
    api_url: str
    threads: Threads
    runs: Runs
    assistants: Assistants

    async def aclose(self) -> None: ...


class ThreadListing(Protocol):
    """`threads` of a backend with its own thread list (`capabilities.thread_list`)."""

    async def list(self, agent_id: str, *, page_size: int = ..., cursor: str | None = ...,
                   status: str | None = ...,
                   requires_attention: bool | None = ...) -> ThreadListPage: ...


def backend_kind(api_url: str) -> BackendKind:
    """The API a URL serves: Managed Deep Agents when its path ends in `/v1/deepagents`."""
    path = urlsplit(api_url).path.rstrip("/")
    return "managed-deep-agents" if path.endswith(MANAGED_PATH) else "agent-server"


def connect(kind: BackendKind, api_url: str, *, api_key: str | None = None,
            headers: Mapping[str, str] | None = None, **options: Any) -> Backend:
    """A client of `kind` for `api_url` (options: the client's transport options)."""
    if kind == "managed-deep-agents":
        return DeepAgentsBackend.connect(api_url, api_key=api_key, headers=headers, **options)
    return AgentClient(api_url, api_key=api_key, headers=headers, **options)
