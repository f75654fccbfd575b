"""`DeepAgentsBackend`: a Managed Deep Agent behind the same calls as `AgentClient`.

`ThreadStream` and the chat states talk to `backend.threads`, `backend.runs` and
`backend.assistants` as they would to an Agent Server (`app.sdk.backend.Backend`). Here
those calls become the Managed Deep Agents API's:

- `threads.create(agent_id=...)` -> `POST /threads` (answered with `id`, returned as
  `thread_id`); metadata is stamped with a PATCH right after (the create takes none).
- `threads.get_state` -> the thread's head as the Agent Server underneath has it (values
  and pending interrupts, through the pass-through thread search). The API has no
  checkpoints: the head gets a stand-in checkpoint id (the thread id and its
  `updated_at`), so a one-state history shows it; nothing can fork from it.
- `threads.list` -> the server's own list (`title`, `has_interrupts`, cursor paging).
- `runs.stream(thread, agent, input={"messages": [...]}, ...)` -> `POST
  /threads/{id}/runs/stream` with `agent_id`, `input.messages` as `{role, content}`,
  `stream_subgraphs: true` and `user_timezone`; the run id comes in the first event.
- `assistants` -> the agents list (`GET /agents`).
- `resolve_interrupt(thread)` -> `POST /threads/{id}/resolve-interrupt` (no value).

What the API lacks (history, checkpoints, run join/cancel/list/create, resume with a
value, a run config) raises `NotSupportedError` before any request; `capabilities`
(`MANAGED_DEEP_AGENTS`) says so in advance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from app.sdk.capabilities import MANAGED_DEEP_AGENTS, Capabilities
from app.sdk.deepagents.client import DEFAULT_API_URL, DeepAgentsClient
from app.sdk.deepagents.models import ManagedAgent, ManagedThread
from app.sdk.deepagents.runs import STREAM_MODES, ManagedRunStream
from app.sdk.errors import NotFoundError, NotSupportedError
from app.sdk.models import Assistant, Thread, ThreadListPage, ThreadPage, ThreadState
from app.sdk.pooled import TransportHolder
from app.sdk.runs import NOT_GIVEN

MAX_AGENTS_PAGE = 100
# Run-body keys that only steer how an Agent Server runs or keeps a run: meaningless here
# (no queue, no rejoin, no run records), so they are left out rather than refused.
_TRANSPORT_ONLY = frozenset({"multitask_strategy", "on_disconnect", "stream_resumable",
                             "metadata", "durability", "on_completion", "if_not_exists"})


def _unsupported(what: str) -> NoReturn:
    raise NotSupportedError(f"Managed Deep Agents has no {what}")


def as_thread(managed: ManagedThread) -> Thread:
    """A Managed Deep Agents thread in the Agent Server's shape (`thread_id`), keeping
    `title`, `has_interrupts` and `agent_id` as extra keys."""
    data = managed.model_dump(exclude_none=True)
    data["thread_id"] = data.pop("id")
    return Thread.model_validate(data)


def head_state(thread: Thread) -> ThreadState:
    """The head of a thread read through the pass-through search, as a thread state."""
    pending = [item for items in (thread.interrupts or {}).values() for item in items]
    stand_in = f"{thread.thread_id}@{thread.updated_at or ''}"
    return ThreadState(
        values=thread.values if thread.values is not None else {},
        metadata=thread.metadata,
        created_at=thread.updated_at,
        checkpoint={"thread_id": thread.thread_id, "checkpoint_ns": "",
                    "checkpoint_id": stand_in},
        interrupts=pending,
    )


def as_assistant(agent: ManagedAgent) -> Assistant:
    """An agent as an assistant (it has no graph id: its own id stands in)."""
    return Assistant(assistant_id=agent.id, graph_id=agent.id, name=agent.name,
                     description=agent.description, created_at=agent.created_at,
                     updated_at=agent.updated_at)


class DeepAgentsThreads:
    """`backend.threads`."""

    def __init__(self, client: DeepAgentsClient) -> None:
        self._client = client

    async def create(self, *, agent_id: str | None = None, thread_id: str | None = None,
                     metadata: Mapping[str, Any] | None = None,
                     if_exists: str | None = None) -> Thread:
        """A new thread of `agent_id` (metadata stamped by a PATCH right after)."""
        if not agent_id:
            raise NotSupportedError("a Managed Deep Agents thread is made for one agent: "
                                    "give agent_id")
        if thread_id is not None or if_exists is not None:
            _unsupported("client-chosen thread ids")
        return as_thread(await self._client.threads.create(agent_id, metadata=metadata))

    async def get(self, thread_id: str) -> Thread:
        return as_thread(await self._client.threads.get(thread_id))

    async def search(self, **filters: Any) -> ThreadPage:
        """`POST /threads/search`, passed to the Agent Server underneath unchanged."""
        return ThreadPage(items=await self._client.threads.search(**filters))

    async def list(self, agent_id: str, *, page_size: int = 20, cursor: str | None = None,
                   status: str | None = None,
                   requires_attention: bool | None = None) -> ThreadListPage:
        """One page of the agent's threads, newest activity first, with server titles."""
        page = await self._client.threads.list(agent_id, page_size=page_size, cursor=cursor,
                                               status=status,
                                               requires_attention=requires_attention)
        return ThreadListPage(items=[as_thread(t) for t in page.threads],
                              next_cursor=page.next_cursor)

    async def update(self, thread_id: str, *, metadata: Mapping[str, Any] | None = None,
                     title: str | None = None) -> Thread:
        """Merge `metadata` and/or set the server's `title`."""
        updated = await self._client.threads.update(thread_id, metadata=metadata, title=title)
        return as_thread(updated)

    async def delete(self, thread_id: str) -> None:
        await self._client.threads.delete(thread_id)

    async def get_state(self, thread_id: str, *, checkpoint_id: str | None = None,
                        checkpoint: Any = None, subgraphs: bool = False) -> ThreadState:
        """The thread's head (no checkpoint can be asked for)."""
        if checkpoint_id is not None or checkpoint is not None:
            _unsupported("checkpoints: only a thread's current state can be read")
        found = await self._client.threads.current(thread_id)
        if found is None:
            raise NotFoundError(f"thread {thread_id} not found", status=404,
                                detail="thread not found")
        return head_state(found)

    async def get_history(self, thread_id: str, **options: Any) -> list[ThreadState]:
        _unsupported("thread history")


class DeepAgentsRuns:
    """`backend.runs`: streamed runs only."""

    def __init__(self, client: DeepAgentsClient) -> None:
        self._client = client
        self.transport = client.transport

    def stream(self, thread_id: str | None, assistant_id: str, *, input: Any = NOT_GIVEN,
               stream_mode: str | Sequence[str] = ("values",), stream_subgraphs: bool = True,
               user_timezone: str | None = None, config: Mapping[str, Any] | None = None,
               **options: Any) -> ManagedRunStream:
        """Stream a run of agent `assistant_id` on the thread with the new input messages
        (`input={"messages": [...]}`; other input keys go with them)."""
        if thread_id is None:
            _unsupported("stateless runs: create a thread first")
        refused = sorted(k for k, v in options.items()
                         if k not in _TRANSPORT_ONLY and v not in (None, False))
        if refused:
            _unsupported(f"run option {', '.join(refused)} (resuming with a value, "
                         "checkpoints and breakpoints are Agent Server features)")
        if config:
            _unsupported("run config: a managed agent is configured on the server")
        if not isinstance(input, Mapping) or not input.get("messages"):
            _unsupported("run without new messages (a run needs at least one)")
        extra = {k: v for k, v in input.items() if k != "messages"}
        modes = [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)
        return self._client.runs.stream(
            thread_id, assistant_id, list(input["messages"]), input_extra=extra or None,
            stream_mode=[m for m in modes if m in STREAM_MODES] or ["values"],
            stream_subgraphs=stream_subgraphs, user_timezone=user_timezone)

    def join(self, thread_id: str, run_id: str, **options: Any) -> NoReturn:
        _unsupported("way to rejoin a run's stream")

    async def create(self, thread_id: str | None, assistant_id: str, **options: Any) -> NoReturn:
        _unsupported("background runs (no queue)")

    async def list(self, thread_id: str, **options: Any) -> NoReturn:
        _unsupported("run list")

    async def cancel(self, thread_id: str, run_id: str, **options: Any) -> NoReturn:
        _unsupported("way to cancel a run")


class DeepAgentsAssistants:
    """`backend.assistants`: the caller's agents."""

    def __init__(self, client: DeepAgentsClient) -> None:
        self._client = client

    async def get(self, assistant_id: str) -> Assistant:
        return as_assistant(await self._client.agents.get(assistant_id))

    async def search(self, *, limit: int = 10, offset: int = 0, **filters: Any) -> list[Assistant]:
        """The first `limit` agents (cursor pages are followed; `offset` skips)."""
        found: list[Assistant] = []
        cursor: str | None = None
        while len(found) < offset + limit:
            page = await self._client.agents.list(page_size=MAX_AGENTS_PAGE, cursor=cursor)
            found.extend(as_assistant(agent) for agent in page.items)
            cursor = page.next_cursor
            if not cursor:
                break
        return found[offset:offset + limit]


class DeepAgentsBackend(TransportHolder):
    """A Managed Deep Agents client with the Agent Server client's interface (see the
    module docstring). Build it with `DeepAgentsBackend.connect(url, api_key)` or around
    a `DeepAgentsClient`, whose transport it holds (closing it closes the client's)."""

    capabilities: Capabilities = MANAGED_DEEP_AGENTS

    def __init__(self, client: DeepAgentsClient) -> None:
        self.client = client
        self.transport = client.transport
        self.api_url = client.api_url
        self.threads = DeepAgentsThreads(client)
        self.runs = DeepAgentsRuns(client)
        self.assistants = DeepAgentsAssistants(client)

    @classmethod
    def connect(cls, api_url: str = DEFAULT_API_URL, api_key: str | None = None,
                **options: Any) -> DeepAgentsBackend:
        """A backend with its own `DeepAgentsClient` (options: that client's)."""
        return cls(DeepAgentsClient(api_url, api_key=api_key, **options))

    async def resolve_interrupt(self, thread_id: str) -> None:
        """Complete the thread's human-interrupt pause without an answer (see
        `ManagedRunsClient.resolve_interrupt`)."""
        await self.client.resolve_interrupt(thread_id)
