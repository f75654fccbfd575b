"""A fake Managed Deep Agents API (`/v1/deepagents`) with a real Agent Server underneath.

Every request is recorded and checked against the documented shapes
(`tests.fakes.deepagents_schema`); a request of the wrong shape is refused the way the
spec says, with its error bodies: `{"error": "Unauthorized"}` (401, no `X-Api-Key`),
`{"error": "Forbidden"}` (403, a key the service does not know) and otherwise
`{"type", "code", "detail", "status"}`.

What it serves (the spec's thread and run calls, plus the agents list):
- `GET /agents`, `GET /agents/{agent_id}`: the caller's agents.
- `POST /threads` -> 201 Thread; `GET /threads` -> `{threads: [ThreadSummary], next_cursor}`
  (filters `status`, `is_pinned`, `test_run`, `requires_attention`; opaque cursor; newest
  conversation activity first); `GET`, `PATCH`, `DELETE /threads/{thread_id}`;
  `POST /threads/search` (passed to the upstream, narrowed to the caller's threads).
- `POST /threads/{thread_id}/runs/stream`: the body is checked, translated, and the
  upstream's own event stream is relayed chunk by chunk.
- `POST /threads/{thread_id}/resolve-interrupt` -> 204.
Anything else (state, history, run cancel/join, ...) is absent: 404 `not_found`.

How it maps onto the upstream Agent Server, and what it assumes where the docs are silent:
- An agent id IS an upstream assistant id (the service "forwards `agent_id` upstream as
  `assistant_id`"); `add_agent` creates that assistant for a graph. A thread id is the
  upstream thread id. Agents and threads belong to the user of the key that made them;
  another user's agent or thread is "not found".
- Stream body: `input` (or, with `schema = "legacy"`, the JSON commit's top-level
  `messages`) becomes the upstream `input` (`{role, content}` messages as they are, other
  `input` keys kept); `stream_mode`, `stream_subgraphs` go through; `user_timezone`
  (falling back to UTC when it is not an IANA name, as documented) travels as
  `config.configurable.user_timezone`. Other top-level keys are allowed and dropped.
  The upstream's `Content-Location` is not passed on: the run id comes in the first
  (`metadata`) event. A deleted agent's thread answers 502 `upstream_auth_failed`.
- Errors: a missing required field is 400 `missing_required_field`, any other shape
  problem 400 `invalid_request_body` (the spec's BadRequest examples); in legacy mode a
  body without top-level `messages` gets `legacy_missing_status` (422 by default) naming
  `messages`. Unknown agent: 404 `agent_not_found`; unknown thread: 404
  `thread_not_found`; resolve on a thread that is not interrupted: 409
  `thread_not_interrupted` (codes other than the spec's examples are this fake's).
- `title` is the PATCHed title, else the first user message of the first run (up to 80
  characters), else "". `has_interrupts` and `status` are the upstream thread's.
  `requires_attention` means interrupted or errored (the inbox's "unread idle" part is
  not modelled). Pinning is `metadata.is_pinned` (the Fleet thread schema's field; the
  PATCH schema names none). `state_updated_at` is the last run's start.
- `resolve-interrupt` "completes a human-interrupt pause without sending new input,
  allowing execution to continue or finish": the pending run is ended where it stands
  (upstream `POST /threads/{id}/state {"values": null, "as_node": "__end__"}`, what
  LangChain's Agent Inbox does to resolve a thread). The pending interrupts are dropped,
  the thread is idle again, nothing is resumed with a value.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.deepagents_schema import (
    CreateThreadRequest,
    LegacyStreamRunRequest,
    ListAgentsQuery,
    ListThreadsQuery,
    StreamRunRequest,
    UpdateThreadRequest,
)
from tests.fakes.recording import RecordedRequest, Recorder, redacted
from tests.fakes.serve import ServedApp

PREFIX = "/v1/deepagents"
ERROR_TYPE = "https://docs.langchain.com/errors/"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
TITLE_LENGTH = 80


def now() -> str:
    return datetime.now(UTC).isoformat()


class Problem(Exception):
    """An error answer: the spec's ErrorResponse, or the auth layer's flat body."""

    def __init__(self, status: int, code: str, detail: str, *, flat: str | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.flat = status, code, detail, flat

    def response(self) -> JSONResponse:
        if self.flat is not None:
            return JSONResponse({"error": self.flat}, status_code=self.status)
        body = {
            "type": ERROR_TYPE + self.code,
            "code": self.code,
            "detail": self.detail,
            "status": self.status,
        }
        return JSONResponse(body, status_code=self.status)


def shape_problem(exc: ValidationError, status: int = 400) -> Problem:
    """The 400 for a body or query of the wrong shape, naming the first bad field."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "missing":
        return Problem(
            status,
            "missing_required_field",
            f"Set '{where}' as documented: '{where}' is required",
        )
    message = error["msg"].removeprefix("Value error, ")
    detail = f"'{where}': {message}" if where else message
    return Problem(status, "invalid_request_body", detail)


@dataclass
class ManagedAgent:
    id: str  # also the upstream assistant id
    name: str
    owner: str
    graph_id: str
    created_at: str = field(default_factory=now)
    deleted: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": f"Runs the {self.graph_id} graph.",
            "owner_id": self.owner,
            "created_at": self.created_at,
            "updated_at": self.created_at,
            "permissions": {"identity": "personal", "visibility": "user"},
            "runtime": {"model": {"model_id": "fake:" + self.graph_id}},
            "backend": {"type": "default"},
            "extras": {},
        }


@dataclass
class ManagedThread:
    id: str  # also the upstream thread id
    agent_id: str
    owner: str
    test_run: bool
    created_at: str = field(default_factory=now)
    activity_at: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        self.activity_at = self.activity_at or self.created_at


@dataclass
class ForwardedRun:
    """What the fake sent upstream for one stream request."""

    thread_id: str
    body: dict[str, Any]
    user_timezone: str


Handler = Callable[..., Awaitable[Response]]
M = TypeVar("M", bound=BaseModel)


class DeepAgentsAPI:
    """The fake's rules and state; `app` is the ASGI app to serve."""

    def __init__(self, upstream_url: str) -> None:
        self.upstream_url = upstream_url.rstrip("/")
        self.url = ""  # the API base (…/v1/deepagents), once served
        self.keys: dict[str, str] = {}  # API key -> user id
        self.agents: dict[str, ManagedAgent] = {}
        self.threads: dict[str, ManagedThread] = {}
        self.runs: list[ForwardedRun] = []
        self.recorder = Recorder()
        # "current" checks the newer stream body (`input.messages`); "legacy" the JSON
        # commit's (top-level `messages`).
        self.schema: Literal["current", "legacy"] = "current"
        self.legacy_missing_status = 422
        self._http: httpx.AsyncClient | None = None
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/agents"), self._list_agents),
            ("GET", re.compile(r"/agents/(?P<agent_id>[^/]+)"), self._get_agent),
            ("POST", re.compile(r"/threads"), self._create_thread),
            ("GET", re.compile(r"/threads"), self._list_threads),
            ("POST", re.compile(r"/threads/search"), self._search_threads),
            ("GET", re.compile(r"/threads/(?P<thread_id>[^/]+)"), self._get_thread),
            ("PATCH", re.compile(r"/threads/(?P<thread_id>[^/]+)"), self._update_thread),
            ("DELETE", re.compile(r"/threads/(?P<thread_id>[^/]+)"), self._delete_thread),
            ("POST", re.compile(r"/threads/(?P<thread_id>[^/]+)/runs/stream"), self._stream),
            (
                "POST",
                re.compile(r"/threads/(?P<thread_id>[^/]+)/resolve-interrupt"),
                self._resolve_interrupt,
            ),
        ]
        self.app = Starlette(
            routes=[Route("/{path:path}", self._endpoint, methods=ALL_METHODS)],
            lifespan=self._lifespan,
        )

    # -- configuration (from the tests) ------------------------------------------------

    def add_key(self, api_key: str, user_id: str) -> None:
        """Make `api_key` a LangSmith API key of `user_id` with workspace access."""
        self.keys[api_key] = user_id

    async def add_agent(self, graph_id: str, owner: str, name: str | None = None) -> str:
        """A new agent of `owner` running `graph_id`; returns its id (a uuid)."""
        async with httpx.AsyncClient(base_url=self.upstream_url) as http:
            response = await http.post(
                "/assistants", json={"graph_id": graph_id, "name": name or graph_id}
            )
            response.raise_for_status()
            agent_id = response.json()["assistant_id"]
        self.agents[agent_id] = ManagedAgent(agent_id, name or graph_id, owner, graph_id)
        return agent_id

    def delete_agent(self, agent_id: str) -> None:
        """Delete an agent as the service does: its threads stay, new runs fail (502)."""
        self.agents[agent_id].deleted = True

    def reset(self) -> None:
        """Back to the current schema (keys, agents and threads stay)."""
        self.schema = "current"
        self.legacy_missing_status = 422

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
        record = self.recorder.add(
            RecordedRequest(
                method=request.method,
                path=request.url.path,
                query=request.url.query,
                headers=redacted(request.headers),
                body=_json_or_text(raw),
            )
        )
        try:
            response = await self._dispatch(request, record, raw)
        except Problem as problem:
            record.refused = f"{problem.status} {problem.code}: {problem.detail}"
            response = problem.response()
        record.status = response.status_code
        return response

    async def _dispatch(self, request: Request, record: RecordedRequest, raw: bytes) -> Response:
        key = request.headers.get("x-api-key")
        if not key:
            raise Problem(401, "unauthorized", "no X-Api-Key", flat="Unauthorized")
        user = self.keys.get(key)
        if user is None:
            raise Problem(403, "forbidden", "unknown X-Api-Key", flat="Forbidden")
        record.user = user
        path = request.url.path
        if not path.startswith(PREFIX + "/"):
            raise Problem(404, "not_found", f"no route {request.method} {path}")
        route = path[len(PREFIX) :]
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(route)
            if match and method == request.method:
                return await handler(request, user, raw, **match.groupdict())
        raise Problem(404, "not_found", f"no route {request.method} {path}")

    # -- agents -------------------------------------------------------------------------

    def _agent(self, user: str, agent_id: str, *, deleted_ok: bool = False) -> ManagedAgent:
        agent = self.agents.get(agent_id)
        if agent is None or agent.owner != user or (agent.deleted and not deleted_ok):
            raise Problem(
                404,
                "agent_not_found",
                "Verify the agent ID and that the calling identity has access: agent not found",
            )
        return agent

    async def _list_agents(self, request: Request, user: str, raw: bytes) -> Response:
        query = _validate(ListAgentsQuery, dict(request.query_params))
        mine = [
            a
            for a in self.agents.values()
            if a.owner == user and not a.deleted and (query.name or "") in a.name
        ]
        mine.sort(key=lambda a: a.created_at, reverse=True)
        page, next_cursor = _page(mine, query.cursor, query.page_size)
        return JSONResponse({"items": [a.summary() for a in page], "next_cursor": next_cursor})

    async def _get_agent(self, request: Request, user: str, raw: bytes, agent_id: str) -> Response:
        return JSONResponse(self._agent(user, agent_id).summary())

    # -- threads ------------------------------------------------------------------------

    def _thread(self, user: str, thread_id: str) -> ManagedThread:
        thread = self.threads.get(thread_id)
        if thread is None or thread.owner != user:
            raise Problem(404, "thread_not_found", f"thread {thread_id} not found")
        return thread

    async def _create_thread(self, request: Request, user: str, raw: bytes) -> Response:
        body = _validate(CreateThreadRequest, _json_object(raw))
        agent = self._agent(user, str(body.agent_id))
        options = body.options
        test_run = bool(options and options.test_run)
        skip = bool(options and options.skip_memory_write_protection)
        thread_id = str(uuid.uuid4())
        metadata = {
            "is_test_run": test_run,
            "ls_user_id": user,
            "skip_memory_write_protection": skip,
            "tenant_id": "fake-tenant",
        }
        await self._upstream("POST", "/threads", {"thread_id": thread_id, "metadata": metadata})
        thread = ManagedThread(thread_id, agent.id, user, test_run)
        self.threads[thread_id] = thread
        # The documented example answers with an empty `agent_id`: so does this fake.
        shown = {**_thread_body(thread, {"status": "idle", "metadata": metadata}), "agent_id": ""}
        return JSONResponse(shown, status_code=201)

    async def _list_threads(self, request: Request, user: str, raw: bytes) -> Response:
        query = _validate(ListThreadsQuery, dict(request.query_params))
        self._agent(user, str(query.agent_id), deleted_ok=True)  # its threads stay readable
        candidates = [
            t
            for t in self.threads.values()
            if t.owner == user
            and t.agent_id == str(query.agent_id)
            and t.test_run == query.test_run
        ]
        upstream = await self._upstream_threads([t.id for t in candidates])
        rows = []
        for thread in candidates:
            found = upstream.get(thread.id)
            if found is None:
                continue
            summary = _summary(thread, found)
            if query.status is not None and summary["status"] != query.status:
                continue
            if query.is_pinned is not None and (
                bool(summary["metadata"].get("is_pinned")) != query.is_pinned
            ):
                continue
            if query.requires_attention is not None and (
                _requires_attention(summary) != query.requires_attention
            ):
                continue
            rows.append(summary)
        rows.sort(key=lambda row: (row["state_updated_at"], row["id"]), reverse=True)
        page, next_cursor = _page(rows, query.cursor, query.page_size)
        return JSONResponse({"threads": page, "next_cursor": next_cursor})

    async def _search_threads(self, request: Request, user: str, raw: bytes) -> Response:
        body = _json_object(raw) if raw else {}
        mine = [t.id for t in self.threads.values() if t.owner == user]
        asked = body.get("ids")
        ids = [t for t in asked if t in mine] if isinstance(asked, list) else mine
        if not ids:
            return JSONResponse([])
        found = await self._upstream("POST", "/threads/search", {**body, "ids": ids})
        return JSONResponse(found)

    async def _get_thread(
        self, request: Request, user: str, raw: bytes, thread_id: str
    ) -> Response:
        thread = self._thread(user, thread_id)
        upstream = await self._upstream("GET", f"/threads/{thread_id}")
        return JSONResponse(_thread_body(thread, upstream))

    async def _update_thread(
        self, request: Request, user: str, raw: bytes, thread_id: str
    ) -> Response:
        thread = self._thread(user, thread_id)
        body = _validate(UpdateThreadRequest, _json_object(raw))
        if body.title is not None:
            thread.title = body.title
        if body.metadata is not None:
            upstream = await self._upstream(
                "PATCH", f"/threads/{thread_id}", {"metadata": body.metadata}
            )
        else:
            upstream = await self._upstream("GET", f"/threads/{thread_id}")
        return JSONResponse(_summary(thread, upstream))

    async def _delete_thread(
        self, request: Request, user: str, raw: bytes, thread_id: str
    ) -> Response:
        if thread_id in self.threads:  # idempotent: an unknown id is already deleted
            self._thread(user, thread_id)
            await self._upstream("DELETE", f"/threads/{thread_id}")
            del self.threads[thread_id]
        return Response(status_code=204)

    # -- runs ---------------------------------------------------------------------------

    def _stream_body(self, raw: bytes) -> tuple[Any, dict[str, Any]]:
        """The validated stream body and the upstream `input` it stands for."""
        data = _json_object(raw)
        if self.schema == "legacy":
            if "messages" not in data and "assistant_id" not in data:
                raise Problem(
                    self.legacy_missing_status,
                    "missing_required_field",
                    "Set 'messages' to a non-empty array of messages: 'messages' is required",
                )
            legacy = _validate(LegacyStreamRunRequest, data)
            return legacy, {"messages": [m.model_dump() for m in legacy.messages]}
        body = _validate(StreamRunRequest, data)
        graph_input = body.input.model_dump()
        return body, graph_input

    async def _stream(self, request: Request, user: str, raw: bytes, thread_id: str) -> Response:
        body, graph_input = self._stream_body(raw)
        agent = self._agent(user, str(body.agent_id), deleted_ok=True)
        thread = self._thread(user, thread_id)
        if agent.deleted:
            raise Problem(
                502,
                "upstream_auth_failed",
                "Verify that the calling identity is authorized for this organization: "
                "upstream agent runtime rejected the request",
            )
        timezone = _timezone(body.user_timezone)
        upstream_body: dict[str, Any] = {
            "assistant_id": agent.id,
            "input": graph_input,
            "config": {"configurable": {"user_timezone": timezone}},
        }
        if body.stream_mode is not None:
            upstream_body["stream_mode"] = list(body.stream_mode)
        if body.stream_subgraphs is not None:
            upstream_body["stream_subgraphs"] = body.stream_subgraphs
        assert self._http is not None
        upstream = await self._http.send(
            self._http.build_request(
                "POST",
                f"/threads/{thread_id}/runs/stream",
                json=upstream_body,
                headers={"Accept": "text/event-stream"},
            ),
            stream=True,
        )
        if upstream.status_code >= 400:
            text = (await upstream.aread()).decode(errors="replace")
            await upstream.aclose()
            raise Problem(502, "upstream_error", f"upstream agent runtime answered {text}")
        self.runs.append(ForwardedRun(thread_id, upstream_body, timezone))
        thread.activity_at = now()
        if not thread.title:
            first = next((m for m in graph_input["messages"] if m["role"] == "user"), None)
            thread.title = (first or {}).get("content", "")[:TITLE_LENGTH]
        return StreamingResponse(
            _chunks(upstream),
            status_code=200,
            media_type=upstream.headers.get("content-type", "text/event-stream"),
            headers={"Cache-Control": "no-store"},
            background=BackgroundTask(upstream.aclose),
        )

    async def _resolve_interrupt(
        self, request: Request, user: str, raw: bytes, thread_id: str
    ) -> Response:
        self._thread(user, thread_id)
        upstream = await self._upstream("GET", f"/threads/{thread_id}")
        if upstream.get("status") != "interrupted":
            raise Problem(
                409,
                "thread_not_interrupted",
                f"thread {thread_id} is {upstream.get('status')}, not interrupted",
            )
        await self._upstream(
            "POST", f"/threads/{thread_id}/state", {"values": None, "as_node": "__end__"}
        )
        return Response(status_code=204)

    # -- upstream -----------------------------------------------------------------------

    async def _upstream(self, method: str, path: str, body: Any = None) -> Any:
        assert self._http is not None, "the fake is not running"
        response = await self._http.request(method, path, json=body)
        if response.status_code == 404:
            raise Problem(404, "thread_not_found", f"upstream: {response.text}")
        if response.status_code >= 400:
            raise Problem(502, "upstream_error", f"upstream answered {response.text}")
        return response.json() if response.content else None

    async def _upstream_threads(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        found = await self._upstream(
            "POST", "/threads/search", {"ids": ids, "limit": len(ids), "select": _SELECT}
        )
        return {row["thread_id"]: row for row in found}


_SELECT = ["thread_id", "status", "metadata", "updated_at", "interrupts"]


def _thread_body(thread: ManagedThread, upstream: dict[str, Any]) -> dict[str, Any]:
    """The spec's `Thread`."""
    return {
        "id": thread.id,
        "agent_id": thread.agent_id,
        "status": upstream.get("status", "idle"),
        "metadata": upstream.get("metadata") or {},
        "created_at": thread.created_at,
        "updated_at": upstream.get("updated_at") or thread.created_at,
    }


def _summary(thread: ManagedThread, upstream: dict[str, Any]) -> dict[str, Any]:
    """The spec's `ThreadSummary`: a Thread plus title, has_interrupts, state_updated_at."""
    return {
        **_thread_body(thread, upstream),
        "title": thread.title,
        "has_interrupts": bool(upstream.get("interrupts")),
        "state_updated_at": thread.activity_at,
    }


def _requires_attention(summary: dict[str, Any]) -> bool:
    return summary["has_interrupts"] or summary["status"] in ("interrupted", "error")


def _timezone(name: str | None) -> str:
    """An IANA name, or UTC ("invalid values fall back to UTC")."""
    if not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def _page(rows: list[Any], cursor: str | None, size: int) -> tuple[list[Any], str | None]:
    """One page and the opaque cursor of the next (None on the last page)."""
    start = 0
    if cursor:
        try:
            start = int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["offset"])
        except (ValueError, KeyError, TypeError):
            raise Problem(400, "invalid_request_body", "'cursor' is not a valid cursor") from None
    end = start + size
    following = None
    if end < len(rows):
        following = base64.urlsafe_b64encode(json.dumps({"offset": end}).encode()).decode()
    return rows[start:end], following


def _json_or_text(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Problem(
            400,
            "invalid_request_body",
            "Provide a valid JSON request body matching the documented schema",
        )
    return data


def _validate(cls: type[M], data: Any) -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise shape_problem(exc) from None


async def _chunks(upstream: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    finally:
        await upstream.aclose()


@contextmanager
def serve_deepagents_api(upstream_url: str) -> Iterator[DeepAgentsAPI]:
    """A running fake in front of `upstream_url`; its API base is `api.url`."""
    api = DeepAgentsAPI(upstream_url)
    with ServedApp(api.app) as served:
        api.url = served.url + PREFIX
        yield api
