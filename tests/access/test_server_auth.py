"""The demo auth handler (agents/auth.py) on a real `langgraph dev`, at the HTTP API.

For every operation of the API on a thread, an intruder's request on someone else's
thread must answer exactly what the same request on a thread id that does not exist
answers (status, content type and body, ids aside), and leave the thread untouched.
Requests without a valid token get 401.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest

from app.access.identity import Identity
from app.access.tokens import AUDIENCE, ISSUER, mint
from tests.access_fixtures import AuthServer, start_auth_server

HUMAN = {"messages": [{"type": "human", "content": "hello"}]}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def visitor() -> Identity:
    return Identity.visitor(secrets.token_urlsafe(16))


def user(name: str) -> Identity:
    return Identity.user(f"{name}-{secrets.token_hex(4)}", name.title())


PAIRS = {
    "user-vs-user": lambda: (user("alice"), user("bob")),
    "visitor-vs-visitor": lambda: (visitor(), visitor()),
    "user-vs-visitor": lambda: (user("alice"), visitor()),
    "visitor-vs-user": lambda: (visitor(), user("bob")),
}


@dataclass
class Foreign:
    """A thread of `owner`, interrupted by the `question` graph after one finished run."""

    http: httpx.Client
    owner: dict[str, str]
    intruder: dict[str, str]
    owner_id: str
    thread_id: str
    run_id: str


@pytest.fixture(scope="module", params=list(PAIRS))
def foreign(request, auth_server: AuthServer) -> Iterator[Foreign]:
    owner, intruder = PAIRS[request.param]()
    with httpx.Client(base_url=auth_server.url, timeout=30) as http:
        headers = auth_server.headers(owner)
        thread = http.post("/threads", json={}, headers=headers).json()
        tid = thread["thread_id"]
        done = http.post(f"/threads/{tid}/runs/wait", headers=headers,
                         json={"assistant_id": "question", "input": {"messages": []}})
        assert done.status_code == 200, done.text
        runs = http.get(f"/threads/{tid}/runs", headers=headers).json()
        assert http.get(f"/threads/{tid}", headers=headers).json()["status"] == "interrupted"
        yield Foreign(http, headers, auth_server.headers(intruder), owner.owner, tid,
                      runs[0]["run_id"])


# name -> (method, path, body); {t} is the thread id, {r} the run id.
OPERATIONS: dict[str, tuple[str, str, Any]] = {
    "read thread": ("GET", "/threads/{t}", None),
    "read state": ("GET", "/threads/{t}/state", None),
    "read history": ("POST", "/threads/{t}/history", {"limit": 5}),
    "update state": ("POST", "/threads/{t}/state", {"values": {"name": "Mallory"}}),
    "update metadata": ("PATCH", "/threads/{t}", {"metadata": {"owner": "me"}}),
    "copy thread": ("POST", "/threads/{t}/copy", None),
    "list runs": ("GET", "/threads/{t}/runs", None),
    "read run": ("GET", "/threads/{t}/runs/{r}", None),
    "wait for run (join)": ("GET", "/threads/{t}/runs/{r}/join", None),
    "join run stream": ("GET", "/threads/{t}/runs/{r}/stream", None),
    "join thread stream": ("GET", "/threads/{t}/stream", None),
    "cancel run": ("POST", "/threads/{t}/runs/{r}/cancel", None),
    "resume (stream)": ("POST", "/threads/{t}/runs/stream",
                        {"assistant_id": "question", "command": {"resume": "Mallory"}}),
    "resume (wait)": ("POST", "/threads/{t}/runs/wait",
                      {"assistant_id": "question", "command": {"resume": "Mallory"}}),
    "start run": ("POST", "/threads/{t}/runs", {"assistant_id": "chat", "input": HUMAN}),
    "stream run": ("POST", "/threads/{t}/runs/stream", {"assistant_id": "chat", "input": HUMAN}),
    "delete run": ("DELETE", "/threads/{t}/runs/{r}", None),
    "delete thread": ("DELETE", "/threads/{t}", None),
}
# What the server answers for a missing (and so for a foreign) thread.
EXPECTED = {name: 404 for name in OPERATIONS}
EXPECTED.update({"copy thread": 409, "join run stream": 200, "join thread stream": 200})


def answer(http: httpx.Client, method: str, path: str, body: Any,
           headers: dict[str, str]) -> tuple[int, str, Any]:
    """Status, content type and body (ids masked; first event only for a stream)."""
    with http.stream(method, path, json=body, headers=headers, timeout=10) as response:
        kind = response.headers.get("content-type", "").split(";")[0]
        if kind == "text/event-stream":
            event: list[str] = []
            for line in response.iter_lines():
                if not line.strip():
                    if event:
                        break
                    continue
                event.append(line)
            text = "\n".join(event)
        else:
            text = response.read().decode()
    text = UUID_RE.sub("<id>", text)
    try:
        return response.status_code, kind, json.loads(text)
    except ValueError:
        return response.status_code, kind, text


def snapshot(foreign: Foreign) -> dict[str, Any]:
    http, tid = foreign.http, foreign.thread_id
    thread = http.get(f"/threads/{tid}", headers=foreign.owner).json()
    state = http.get(f"/threads/{tid}/state", headers=foreign.owner).json()
    runs = http.get(f"/threads/{tid}/runs", headers=foreign.owner).json()
    return {"status": thread["status"], "metadata": thread["metadata"],
            "values": thread["values"], "checkpoint": state["checkpoint"],
            "runs": sorted((r["run_id"], r["status"]) for r in runs)}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_foreign_thread_answers_like_a_missing_one(foreign: Foreign, operation: str):
    method, path, body = OPERATIONS[operation]
    before = snapshot(foreign)
    on_foreign = answer(foreign.http, method,
                        path.format(t=foreign.thread_id, r=foreign.run_id), body,
                        foreign.intruder)
    missing = str(uuid.uuid4())
    on_missing = answer(foreign.http, method, path.format(t=missing, r=str(uuid.uuid4())),
                        body, foreign.intruder)
    assert on_foreign == on_missing
    assert on_foreign[0] == EXPECTED[operation], on_foreign
    if on_foreign[0] == 200:  # streams answer 200 with an error event
        assert on_foreign[2].startswith("event: error"), on_foreign
        assert "404: Thread not found" in on_foreign[2]
    assert snapshot(foreign) == before


def test_search_and_count_never_show_a_foreign_thread(foreign: Foreign):
    http = foreign.http
    for filters in ({}, {"metadata": {"owner": foreign.owner_id}},
                    {"ids": [foreign.thread_id]}):
        found = http.post("/threads/search", json=filters, headers=foreign.intruder)
        assert found.status_code == 200
        assert foreign.thread_id not in [t["thread_id"] for t in found.json()]
    by_owner = {"metadata": {"owner": foreign.owner_id}}
    assert http.post("/threads/search", json=by_owner, headers=foreign.intruder).json() == []
    assert http.post("/threads/count", json=by_owner, headers=foreign.intruder).json() == 0
    assert http.post("/threads/count", json=by_owner, headers=foreign.owner).json() == 1
    mine = http.post("/threads/search", json={"ids": [foreign.thread_id]},
                     headers=foreign.owner)
    assert [t["thread_id"] for t in mine.json()] == [foreign.thread_id]


def test_the_owner_can_do_what_the_intruder_cannot(foreign: Foreign):
    http, tid = foreign.http, foreign.thread_id
    for name in ("read thread", "read state", "read history", "list runs", "read run"):
        method, path, body = OPERATIONS[name]
        status, _, _ = answer(http, method, path.format(t=tid, r=foreign.run_id), body,
                              foreign.owner)
        assert status == 200, name


def test_a_taken_thread_id_cannot_be_claimed(foreign: Foreign):
    """The one answer that differs from a missing thread: thread ids are global, so
    creating a thread with a taken id is refused (409) where a free id succeeds."""
    http = foreign.http
    for if_exists in (None, "do_nothing"):
        body = {"thread_id": foreign.thread_id}
        if if_exists:
            body["if_exists"] = if_exists
        taken = http.post("/threads", json=body, headers=foreign.intruder)
        assert taken.status_code == 409
        assert foreign.thread_id not in [
            t["thread_id"] for t in
            http.post("/threads/search", json={}, headers=foreign.intruder).json()]
    fresh = str(uuid.uuid4())
    assert http.post("/threads", json={"thread_id": fresh, "if_exists": "do_nothing"},
                     headers=foreign.intruder).status_code == 200


def _read_events(response: httpx.Response) -> Iterator[tuple[str, str]]:
    event = data = ""
    for line in response.iter_lines():
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
        elif not line.strip() and event:
            yield event, data
            event = data = ""


def test_a_live_run_cannot_be_joined_or_cancelled_by_someone_else(auth_server: AuthServer):
    owner, intruder = user("alice"), visitor()
    mine, theirs = auth_server.headers(owner), auth_server.headers(intruder)
    reply = " ".join(f"word{i}" for i in range(40))
    with httpx.Client(base_url=auth_server.url, timeout=30) as http:
        tid = http.post("/threads", json={}, headers=mine).json()["thread_id"]
        body = {"assistant_id": "chat", "input": HUMAN, "stream_mode": ["messages-tuple"],
                "stream_resumable": True, "on_disconnect": "continue",
                "config": {"configurable": {"reply": reply, "token_delay": 0.03}}}
        with http.stream("POST", f"/threads/{tid}/runs/stream", json=body,
                         headers=mine) as stream:
            rid = stream.headers["content-location"].rsplit("/", 1)[-1]
            events = _read_events(stream)
            assert next(events)[0] == "metadata"
            joined = answer(http, "GET", f"/threads/{tid}/runs/{rid}/stream", None, theirs)
            assert joined[0] == 200 and "404: Thread not found" in joined[2]
            cancel = http.post(f"/threads/{tid}/runs/{rid}/cancel", headers=theirs)
            assert cancel.status_code == 404
            text = "".join(json.loads(data)[0].get("content", "")
                           for event, data in events if event == "messages")
        assert text == reply  # the run went on, whole
        final = http.get(f"/threads/{tid}", headers=mine).json()
        assert final["values"]["messages"][-1]["content"] == reply


def test_resuming_is_the_owners_alone(auth_server: AuthServer):
    owner, intruder = visitor(), visitor()
    mine, theirs = auth_server.headers(owner), auth_server.headers(intruder)
    with httpx.Client(base_url=auth_server.url, timeout=30) as http:
        tid = http.post("/threads", json={}, headers=mine).json()["thread_id"]
        http.post(f"/threads/{tid}/runs/wait", headers=mine,
                  json={"assistant_id": "question", "input": {"messages": []}})
        resume = {"assistant_id": "question", "command": {"resume": "Mallory"}}
        assert http.post(f"/threads/{tid}/runs/wait", json=resume,
                         headers=theirs).status_code == 404
        resume["command"]["resume"] = "Ada"
        done = http.post(f"/threads/{tid}/runs/wait", json=resume, headers=mine)
        assert done.status_code == 200 and done.json()["name"] == "Ada"


def test_owners_are_stamped_and_cannot_be_chosen_or_given_away(auth_server: AuthServer):
    owner, other = user("alice"), user("bob")
    mine = auth_server.headers(owner)
    with httpx.Client(base_url=auth_server.url, timeout=30) as http:
        thread = http.post("/threads", headers=mine,
                           json={"metadata": {"owner": other.owner, "topic": "x"}}).json()
        assert thread["metadata"] == {"owner": owner.owner, "topic": "x"}
        tid = thread["thread_id"]
        patched = http.patch(f"/threads/{tid}", headers=mine,
                             json={"metadata": {"owner": other.owner, "topic": "y"}}).json()
        assert patched["metadata"]["owner"] == owner.owner
        assert patched["metadata"]["topic"] == "y"
        # A run that creates its thread stamps it too.
        fresh = str(uuid.uuid4())
        run = http.post(f"/threads/{fresh}/runs/wait", headers=mine,
                        json={"assistant_id": "chat", "input": HUMAN, "if_not_exists": "create",
                              "metadata": {"owner": other.owner},
                              "config": {"configurable": {"token_delay": 0}}})
        assert run.status_code == 200, run.text
        created = http.get(f"/threads/{fresh}", headers=mine).json()
        assert created["metadata"]["owner"] == owner.owner
        assert http.get(f"/threads/{fresh}",
                        headers=auth_server.headers(other)).status_code == 404


def test_assistants_are_shared_read_only_and_the_rest_is_closed(auth_server: AuthServer):
    headers = auth_server.headers(visitor())
    with httpx.Client(base_url=auth_server.url, timeout=30) as http:
        found = http.post("/assistants/search", json={}, headers=headers)
        assert found.status_code == 200
        assistant = found.json()[0]["assistant_id"]
        assert http.get(f"/assistants/{assistant}", headers=headers).status_code == 200
        assert http.get(f"/assistants/{assistant}/schemas", headers=headers).status_code == 200
        assert http.post("/assistants", json={"graph_id": "chat"},
                         headers=headers).status_code == 403
        assert http.patch(f"/assistants/{assistant}", json={"metadata": {"x": 1}},
                          headers=headers).status_code == 403
        assert http.delete(f"/assistants/{assistant}", headers=headers).status_code == 403
        assert http.put("/store/items", json={"namespace": ["a"], "key": "k", "value": {}},
                        headers=headers).status_code == 403
        assert http.post("/runs/crons/search", json={}, headers=headers).status_code == 403


# -- requests without a valid token ---------------------------------------------------

def _token(secret: str, **overrides: Any) -> str:
    now = int(time.time())
    claims = {"sub": "user:alice", "name": "Alice", "iat": now, "exp": now + 60,
              "iss": ISSUER, "aud": AUDIENCE, **overrides}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret,
                      algorithm="HS256")


def bad_authorizations(secret: str) -> dict[str, dict[str, str]]:
    alice = Identity.user("alice", "Alice")
    good = mint(alice, secret)
    header, payload, signature = good.split(".")
    other_payload = mint(Identity.user("mallory", "M"), secret).split(".")[1]
    bearer = {
        "wrong secret": mint(alice, secrets.token_urlsafe(32)),
        "expired": mint(alice, secret, now=time.time() - 400),
        "tampered payload": f"{header}.{other_payload}.{signature}",
        "unsigned (alg none)": jwt.encode({"sub": "user:alice", "exp": time.time() + 60},
                                          None, algorithm="none"),
        "lifetime too long": _token(secret, exp=int(time.time()) + 7200),
        "not an owner id": _token(secret, sub="alice"),
        "other audience": _token(secret, aud="somewhere-else"),
        "garbage": "not-a-token",
    }
    cases = {name: {"Authorization": f"Bearer {token}"} for name, token in bearer.items()}
    cases.update({
        "no header": {},
        "empty bearer": {"Authorization": "Bearer"},
        "other scheme": {"Authorization": f"Basic {good}"},
        "raw token": {"Authorization": good},
        "studio shortcut": {"x-auth-scheme": "langsmith"},
        "api key": {"x-api-key": good},
    })
    return cases


@pytest.fixture(scope="module")
def someones_thread(auth_server: AuthServer) -> str:
    headers = auth_server.headers(Identity.user("alice", "Alice"))
    response = httpx.post(f"{auth_server.url}/threads", json={}, headers=headers)
    return response.json()["thread_id"]


@pytest.mark.parametrize("case", list(bad_authorizations("x" * 32)))
def test_requests_without_a_valid_token_get_401(auth_server: AuthServer, someones_thread: str,
                                                case: str):
    headers = bad_authorizations(auth_server.secret)[case]
    tid = someones_thread
    with httpx.Client(base_url=auth_server.url, timeout=30) as http:
        for method, path, body in [
            ("GET", f"/threads/{tid}", None),
            ("POST", "/threads/search", {}),
            ("POST", "/threads", {}),
            ("POST", f"/threads/{tid}/runs/stream", {"assistant_id": "chat", "input": HUMAN}),
            ("DELETE", f"/threads/{tid}", None),
            ("POST", "/assistants/search", {}),
        ]:
            response = http.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (method, path, response.text)
        assert http.get("/ok", headers=headers).status_code == 200  # health stays open
        owner = auth_server.headers(Identity.user("alice", "Alice"))
        assert http.get(f"/threads/{tid}", headers=owner).status_code == 200


def test_a_server_without_a_secret_refuses_everything():
    server = start_auth_server({"LANGGRAPH_CHAT_AUTH_SECRET": "",
                                "LANGGRAPH_CHAT_OIDC_ISSUER": ""})
    try:
        token = mint(Identity.user("alice", "Alice"), secrets.token_urlsafe(32))
        response = httpx.post(f"{server.url}/threads/search", json={},
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert "LANGGRAPH_CHAT_AUTH_SECRET" in response.json()["detail"]
        assert httpx.get(f"{server.url}/ok").status_code == 200
    finally:
        server.stop()
