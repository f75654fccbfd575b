"""What each kind of backend can do, so the chat can degrade instead of failing.

- `AGENT_SERVER`: a LangGraph Agent Server (`langgraph dev`, a LangSmith deployment).
- `FLEET`: a Fleet / Agent Builder agent: the same Agent Server API behind LangSmith auth
  (PAT + `X-Auth-Scheme: langsmith-api-key`), so the same abilities; a workspace agent the
  user does not own is read-only, which shows up per request as a 403
  (`app.sdk.fleet.is_read_only`), not here.
- `MANAGED_DEEP_AGENTS`: the Managed Deep Agents API: threads and streamed runs only.

`ThreadStream` refuses what its backend cannot do (`NotSupportedError`) and the UI asks
the same object before offering a button.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Capabilities:
    """One backend's abilities (True: the API offers it)."""

    name: str
    label: str  # how the UI names the deployment kind ("a Managed Deep Agent")
    state: bool  # read a thread's state (values, next, tasks) at its head
    history: bool  # checkpoint history: older pages, branches, edit/regenerate forks
    join: bool  # re-attach to a running run's event stream (rejoin after a reload)
    cancel: bool  # stop a running run
    queue: bool  # start background runs while one is busy (multitask enqueue)
    resume: bool  # answer an interrupt with a value (`command: {resume: ...}`)
    resolve_interrupt: bool  # dismiss an interrupt without a value
    assistants: bool  # list the assistants / agents to choose from
    thread_search: bool  # search threads by metadata/status (offset paging)
    thread_list: bool  # the server's own thread list (cursor paging, title, needs input)
    thread_metadata_on_create: bool  # create accepts metadata (else PATCH right after)
    rename: bool  # a server-side thread title
    threads_per_agent: bool  # a thread is made for one agent (create needs `agent_id`)
    user_timezone: bool  # a run takes the user's IANA time zone (`user_timezone`)
    run_config: bool  # a run takes a `config` (configurable values) from the client
    # The stream modes a run may ask for; None: whatever the server's OpenAPI lists.
    stream_modes: tuple[str, ...] | None


AGENT_SERVER = Capabilities(
    name="agent-server",
    label="this Agent Server",
    state=True,
    history=True,
    join=True,
    cancel=True,
    queue=True,
    resume=True,
    resolve_interrupt=False,
    assistants=True,
    thread_search=True,
    thread_list=False,
    thread_metadata_on_create=True,
    rename=False,
    threads_per_agent=False,
    user_timezone=False,
    run_config=True,
    stream_modes=None,
)

FLEET = replace(AGENT_SERVER, name="fleet", label="this Fleet agent")

MANAGED_DEEP_AGENTS = Capabilities(
    name="managed-deep-agents",
    label="a Managed Deep Agent",
    state=True,  # the head only: values and interrupts via the pass-through thread search
    history=False,
    join=False,
    cancel=False,
    queue=False,
    resume=False,
    resolve_interrupt=True,
    assistants=True,  # GET /agents
    thread_search=True,  # POST /threads/search, passed through to the Agent Server
    thread_list=True,
    thread_metadata_on_create=False,
    rename=True,
    threads_per_agent=True,
    user_timezone=True,
    run_config=False,
    stream_modes=("values", "updates", "messages-tuple"),
)


def capabilities_of(client: Any) -> Capabilities:
    """The capabilities a client (or a wrapper of one) declares; an object that declares
    none is taken for an Agent Server client."""
    found = getattr(client, "capabilities", None)
    return found if isinstance(found, Capabilities) else AGENT_SERVER
