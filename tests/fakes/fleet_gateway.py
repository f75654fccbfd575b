"""A fake LangSmith Fleet / Agent Builder deployment: a gateway in front of a real Agent Server.

Fleet and Agent Builder agents run on an ordinary Agent Server behind LangSmith auth. What
the docs say (seeds 000-002, "Call agents from code"), and what this gateway enforces:

- Every call carries a Personal Access Token as `X-Api-Key` AND `X-Auth-Scheme:
  langsmith-api-key`. A missing or unknown token, or the header missing or wrong, is
  refused with 401 (LangSmith's "key missing or rejected"). The Agent Server's own error
  body, `{"detail": ...}`, is kept.
- An agent (an assistant) belongs to the owner of the PAT that made it. "If the PAT you
  pass is not tied to the owner of the agent, your request will be rejected with a
  404 Not Found error": a known PAT that is not the owner's gets 404 on the agent and on
  its threads, exactly as if they did not exist.
- A "workspace agent" is shared with the workspace read-only: a non-owner "can perform all
  the same operations as you would in the UI (read-only)". Reads (get the assistant, its
  schemas, search/get the agent's threads, their state and history, run lists, joining a
  run's stream) pass; writes (create a thread for it, start runs, update, delete, cancel,
  update state) get 403.

Threads belong to whoever created them (through `POST /threads`, or a run with
`if_not_exists: "create"`) and are tied to an agent by their first run (or by an
`assistant_id` in their create metadata). Searches are narrowed to what the caller may
see, so paging and `x-pagination-total` stay right. Paths the rules do not mention
(`/ok`, `/info`, `/store/...`) pass once the token is accepted. The upstream sees neither
the PAT nor the scheme header.

Every request is recorded (method, path, query, headers with secrets redacted, JSON body,
resolved user, status) so tests can check what a client sent on every call. Responses,
event streams included, are relayed chunk by chunk as the upstream sends them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.recording import RecordedRequest, Recorder, redacted
from tests.fakes.serve import ServedApp

AUTH_SCHEME = "langsmith-api-key"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

# Request headers the gateway consumes or that belong to one hop only.
_DROP_REQUEST = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "x-api-key",
        "x-auth-scheme",
        "accept-encoding",
        "transfer-encoding",
        "keep-alive",
    }
)
_DROP_RESPONSE = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
)
# The Agent Server's largest page: used to read "everything" before narrowing it (more
# assistants than any test session creates).
_ALL = 1000


@dataclass
class FleetAgent:
    """An agent (assistant) of the deployment and who may use it."""

    owner: str
    workspace: bool = False  # shared read-only with everyone in the workspace


@dataclass
class ThreadGrant:
    """Who owns a thread, and which agent it talks to (once known)."""

    owner: str
    agent_id: str | None = None


class Refused(Exception):
    """The gateway answers instead of the upstream."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _not_found_agent(agent_id: str) -> Refused:
    return Refused(404, f"Assistant {agent_id} not found")


def _not_found_thread(thread_id: str) -> Refused:
    # The Agent Server's own wording for a missing thread.
    return Refused(404, f"Thread with ID {thread_id} not found")


def _read_only(what: str) -> Refused:
    return Refused(
        403, f"Forbidden: {what} belongs to a workspace agent you do not own (read-only)"
    )


class FleetGateway:
    """The gateway's rules and state; `app` is the ASGI app to serve."""

    def __init__(self, upstream_url: str) -> None:
        self.upstream_url = upstream_url.rstrip("/")
        self.url = ""  # where the gateway answers, once served
        self.users: dict[str, str] = {}  # PAT -> user name
        self.agents: dict[str, FleetAgent] = {}  # assistant id -> agent
        self.threads: dict[str, ThreadGrant] = {}  # thread id -> grant
        self.recorder = Recorder()
        self._http: httpx.AsyncClient | None = None
        self.app = Starlette(
            routes=[Route("/{path:path}", self._endpoint, methods=ALL_METHODS)],
            lifespan=self._lifespan,
        )

    # -- configuration (from the tests) ------------------------------------------------

    def add_user(self, pat: str, user: str) -> None:
        """Make `pat` a valid Personal Access Token of `user`."""
        self.users[pat] = user

    def add_agent(self, assistant_id: str, owner: str, *, workspace: bool = False) -> None:
        """Publish an upstream assistant as `owner`'s agent (shared read-only if
        `workspace`)."""
        self.agents[assistant_id] = FleetAgent(owner=owner, workspace=workspace)

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.recorder.since(0)

    # -- the rules ----------------------------------------------------------------------

    def _sees_agent(self, user: str, agent: FleetAgent) -> bool:
        return agent.owner == user or agent.workspace

    def _agent_for_read(self, user: str, agent_id: str) -> FleetAgent:
        agent = self.agents.get(agent_id)
        if agent is None or not self._sees_agent(user, agent):
            raise _not_found_agent(agent_id)
        return agent

    def _agent_for_write(self, user: str, agent_id: Any) -> str:
        if not isinstance(agent_id, str) or not agent_id:
            raise Refused(422, "assistant_id is required")
        agent = self._agent_for_read(user, agent_id)
        if agent.owner != user:
            raise _read_only(f"assistant {agent_id}")
        return agent_id

    def _sees_thread(self, user: str, grant: ThreadGrant) -> bool:
        if grant.owner == user:
            return True
        agent = self.agents.get(grant.agent_id or "")
        return agent is not None and agent.workspace

    def _visible_threads(self, user: str) -> list[str]:
        return [tid for tid, grant in self.threads.items() if self._sees_thread(user, grant)]

    def _visible_agents(self, user: str) -> set[str]:
        return {aid for aid, agent in self.agents.items() if self._sees_agent(user, agent)}

    # -- ASGI ---------------------------------------------------------------------------

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        timeout = httpx.Timeout(30.0, read=None)
        async with httpx.AsyncClient(base_url=self.upstream_url, timeout=timeout) as http:
            self._http = http
            yield
        self._http = None

    async def _endpoint(self, request: Request) -> Response:
        raw = await request.body()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        record = self.recorder.add(
            RecordedRequest(
                method=request.method,
                path=request.url.path,
                query=request.url.query,
                headers=redacted(request.headers),
                body=body,
            )
        )
        try:
            response = await self._route(request, record, raw, body)
        except Refused as refusal:
            record.refused = refusal.detail
            response = JSONResponse({"detail": refusal.detail}, status_code=refusal.status)
        record.status = response.status_code
        return response

    def _authenticate(self, request: Request) -> str:
        key = request.headers.get("x-api-key")
        if not key:
            raise Refused(401, "Missing authentication headers: send your LangSmith PAT")
        scheme = request.headers.get("x-auth-scheme")
        if scheme != AUTH_SCHEME:
            raise Refused(
                401, f"X-Auth-Scheme must be {AUTH_SCHEME!r} with X-Api-Key (got {scheme!r})"
            )
        user = self.users.get(key)
        if user is None:
            raise Refused(401, "Invalid token")
        return user

    async def _route(
        self, request: Request, record: RecordedRequest, raw: bytes, body: Any
    ) -> Response:
        user = record.user = self._authenticate(request)
        method = request.method
        parts = [p for p in request.url.path.split("/") if p]
        head = parts[0] if parts else ""
        if head == "assistants":
            return await self._assistants(request, user, method, parts[1:], raw, body)
        if head == "threads":
            return await self._threads(request, user, method, parts[1:], raw, body)
        if head == "runs":
            return await self._stateless_runs(request, user, method, raw, body)
        return await self._relay(request, raw)

    async def _assistants(
        self, request: Request, user: str, method: str, rest: list[str], raw: bytes, body: Any
    ) -> Response:
        if method == "POST" and rest == ["search"]:
            return await self._search_assistants(request, user, body)
        if method == "POST" and rest == ["count"]:
            found = await self._upstream_json(request, "/assistants/search", {"limit": _ALL})
            visible = self._visible_agents(user)
            return JSONResponse(sum(1 for a in found if a.get("assistant_id") in visible))
        if method == "POST" and not rest:
            response, data = await self._relay_json(request, raw)
            if response.status_code < 300 and isinstance(data, dict):
                self.add_agent(str(data.get("assistant_id")), user)
            return response
        if not rest:
            raise Refused(405, "Method Not Allowed")
        agent = self._agent_for_read(user, rest[0])
        reading = method == "GET" or (method == "POST" and rest[1:] == ["versions"])
        if not reading and agent.owner != user:
            raise _read_only(f"assistant {rest[0]}")
        return await self._relay(request, raw)

    async def _search_assistants(self, request: Request, user: str, body: Any) -> Response:
        query = dict(body) if isinstance(body, dict) else {}
        limit, offset = int(query.pop("limit", 10)), int(query.pop("offset", 0))
        found = await self._upstream_json(
            request, "/assistants/search", {**query, "limit": _ALL, "offset": 0}
        )
        visible = self._visible_agents(user)
        mine = [a for a in found if a.get("assistant_id") in visible]
        return JSONResponse(
            mine[offset : offset + limit], headers={"x-pagination-total": str(len(mine))}
        )

    async def _threads(
        self, request: Request, user: str, method: str, rest: list[str], raw: bytes, body: Any
    ) -> Response:
        if not rest:
            if method != "POST":
                raise Refused(405, "Method Not Allowed")
            return await self._create_thread(request, user, raw, body)
        if rest == ["search"] and method == "POST":
            return await self._search_threads(request, user, body)
        if rest == ["count"] and method == "POST":
            query = dict(body) if isinstance(body, dict) else {}
            found = await self._narrowed_search(request, user, {**query, "limit": _ALL})
            return JSONResponse(len(found))
        thread_id, tail = rest[0], rest[1:]
        grant = self.threads.get(thread_id)
        run_start = method == "POST" and tail[:1] == ["runs"] and len(tail) <= 2
        if grant is None:
            wants_new = isinstance(body, dict) and body.get("if_not_exists") == "create"
            if run_start and wants_new:
                agent_id = self._agent_for_write(user, body.get("assistant_id"))
                self.threads[thread_id] = ThreadGrant(owner=user, agent_id=agent_id)
                return await self._relay(request, raw)
            raise _not_found_thread(thread_id)
        if not self._sees_thread(user, grant):
            raise _not_found_thread(thread_id)
        reading = method == "GET" or (
            method == "POST" and tail in (["history"], ["state", "checkpoint"])
        )
        if reading:
            return await self._relay(request, raw)
        if grant.owner != user:
            raise _read_only(f"thread {thread_id}")
        if run_start:
            agent_id = self._agent_for_write(user, (body or {}).get("assistant_id"))
            grant.agent_id = grant.agent_id or agent_id
        if method == "POST" and tail == ["copy"]:
            response, data = await self._relay_json(request, raw)
            if response.status_code < 300 and isinstance(data, dict):
                self.threads[str(data.get("thread_id"))] = ThreadGrant(user, grant.agent_id)
            return response
        response = await self._relay(request, raw)
        if method == "DELETE" and not tail and response.status_code < 300:
            self.threads.pop(thread_id, None)
        return response

    async def _create_thread(self, request: Request, user: str, raw: bytes, body: Any) -> Response:
        metadata = body.get("metadata") if isinstance(body, dict) else None
        agent_id = metadata.get("assistant_id") if isinstance(metadata, dict) else None
        if agent_id is not None:
            self._agent_for_write(user, agent_id)
        response, data = await self._relay_json(request, raw)
        if response.status_code < 300 and isinstance(data, dict):
            thread_id = str(data.get("thread_id"))
            # `if_exists: do_nothing` on someone else's thread must not hand it over.
            self.threads.setdefault(thread_id, ThreadGrant(owner=user, agent_id=agent_id))
            if self.threads[thread_id].owner != user:
                raise _not_found_thread(thread_id)
        return response

    def _narrowed_ids(self, user: str, query: dict[str, Any]) -> list[str]:
        """The thread ids a search may return: the visible ones, within any asked for."""
        visible = self._visible_threads(user)
        asked = query.get("ids")
        return [t for t in asked if t in visible] if isinstance(asked, list) else visible

    async def _narrowed_search(self, request: Request, user: str, query: dict[str, Any]) -> Any:
        ids = self._narrowed_ids(user, query)
        if not ids:  # the upstream reads `ids: []` as "no filter"
            return []
        return await self._upstream_json(request, "/threads/search", {**query, "ids": ids})

    async def _search_threads(self, request: Request, user: str, body: Any) -> Response:
        query = dict(body) if isinstance(body, dict) else {}
        ids = self._narrowed_ids(user, query)
        if not ids:
            return JSONResponse([], headers={"x-pagination-total": "0"})
        return await self._relay(request, json.dumps({**query, "ids": ids}).encode())

    async def _stateless_runs(
        self, request: Request, user: str, method: str, raw: bytes, body: Any
    ) -> Response:
        if method == "POST" and isinstance(body, dict):
            self._agent_for_write(user, body.get("assistant_id"))
            return await self._relay(request, raw)
        raise Refused(404, "Not Found")

    # -- talking to the upstream ---------------------------------------------------------

    def _upstream_request(self, request: Request, content: bytes, path: str | None = None):
        assert self._http is not None, "the gateway is not running"
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in _DROP_REQUEST
        }
        url = path or request.url.path
        if path is None and request.url.query:
            url += "?" + request.url.query
        return self._http.build_request(request.method, url, content=content, headers=headers)

    async def _relay(self, request: Request, content: bytes) -> Response:
        """Send the request upstream and pass the answer back chunk by chunk."""
        assert self._http is not None
        upstream = await self._http.send(self._upstream_request(request, content), stream=True)
        return StreamingResponse(
            _chunks(upstream),
            status_code=upstream.status_code,
            headers=_response_headers(upstream),
            background=BackgroundTask(upstream.aclose),
        )

    async def _relay_json(self, request: Request, content: bytes) -> tuple[Response, Any]:
        """Send the request upstream, read the whole answer, return it and its JSON."""
        assert self._http is not None
        upstream = await self._http.send(self._upstream_request(request, content))
        try:
            data = upstream.json()
        except ValueError:
            data = None
        response = Response(
            upstream.content, status_code=upstream.status_code, headers=_response_headers(upstream)
        )
        return response, data

    async def _upstream_json(self, request: Request, path: str, body: dict[str, Any]) -> Any:
        assert self._http is not None
        upstream = await self._http.post(path, json=body)
        if upstream.status_code >= 400:
            raise Refused(upstream.status_code, upstream.text)
        return upstream.json()


async def _chunks(upstream: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    finally:
        await upstream.aclose()


def _response_headers(upstream: httpx.Response) -> dict[str, str]:
    return {
        name: value
        for name, value in upstream.headers.items()
        if name.lower() not in _DROP_RESPONSE
    }


@contextmanager
def serve_fleet_gateway(upstream_url: str) -> Iterator[FleetGateway]:
    """A running gateway in front of `upstream_url`; its address is `gateway.url`."""
    gateway = FleetGateway(upstream_url)
    with ServedApp(gateway.app) as served:
        gateway.url = served.url
        yield gateway
