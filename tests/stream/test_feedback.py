"""Feedback: ratings kept in thread metadata (real server), and LangSmith's signed URLs
end to end: the run asks for them, the server sends the `feedback` event, the client
POSTs the score (a local stand-in for the LangSmith API receives it)."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from agents.server import AgentServer, free_port
from app.sdk import AgentClient
from app.sdk.errors import RunError
from app.states.feedback import feedback_receiver, links
from app.stream import ThreadStream
from app.stream.feedback import (
    FEEDBACK_EVENT,
    FeedbackError,
    answer_ids,
    clear_feedback,
    feedback_from_metadata,
    feedback_keys_from_env,
    feedback_record,
    feedback_urls,
    langsmith_payload,
    read_feedback,
    run_body,
    save_feedback,
    send_to_langsmith,
)
from tests.sdk.conftest import settled_thread_status

TESTS = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
FAST = {"configurable": {"token_delay": 0}}


def test_record_shape() -> None:
    record = feedback_record("ai-1", "down", "  Wrong city.  ", by="ana", run_id="r1", now=NOW)
    assert record == {
        "message_id": "ai-1", "rating": "down", "comment": "Wrong city.", "by": "ana",
        "at": "2026-05-01T12:30:00+00:00", "run_id": "r1", "langsmith": False,
    }
    assert len(feedback_record("m", "up", "x" * 5000)["comment"]) == 2000
    with pytest.raises(FeedbackError, match="'up' or 'down'"):
        feedback_record("m", "meh")
    with pytest.raises(FeedbackError, match="id of the answer"):
        feedback_record("", "up")


def test_records_read_from_metadata_skip_what_is_not_one() -> None:
    good = feedback_record("ai-1", "up", now=NOW)
    metadata = {
        "graph_id": "chat",
        "feedback:ai-1": good,
        "feedback:ai-2": None,  # taken back
        "feedback:ai-3": {"rating": "up", "message_id": "someone-else"},  # key mismatch
        "feedback:ai-4": {"rating": "sideways", "message_id": "ai-4"},
        "feedback:ai-5": "up",
    }
    assert feedback_from_metadata(metadata) == {"ai-1": good}
    assert feedback_from_metadata(None) == {}


def test_langsmith_side_helpers() -> None:
    assert feedback_keys_from_env({}) == []
    assert feedback_keys_from_env({"LANGGRAPH_FEEDBACK_KEYS": "user_score, ,helpful,user_score"}) \
        == ["user_score", "helpful"]
    with pytest.raises(ValueError, match="^LANGGRAPH_FEEDBACK_KEYS must be"):
        feedback_keys_from_env({"LANGGRAPH_FEEDBACK_KEYS": "bad key"})
    assert run_body([]) == {}
    assert run_body(["user_score"]) == {"feedback_keys": ["user_score"]}
    assert feedback_urls({"a": "https://x/feedback/tokens/1", "b": "javascript:x", "c": 3}) == {
        "a": "https://x/feedback/tokens/1"
    }
    assert feedback_urls(["no"]) == {}
    up = feedback_record("ai-1", "up", by="ana", now=NOW)
    assert langsmith_payload(up) == {"score": 1, "metadata": {"message_id": "ai-1", "by": "ana"}}
    down = feedback_record("ai-1", "down", "too long")
    assert langsmith_payload(down) == {"score": 0, "comment": "too long",
                                       "metadata": {"message_id": "ai-1"}}


async def test_ratings_are_kept_per_message_in_the_thread(api_url: str) -> None:
    async with AgentClient(api_url) as client:
        thread = await client.threads.create(metadata={"title": "Rated"})
        first = feedback_record("ai-1", "up", by="ana", now=NOW)
        second = feedback_record("ai-2", "down", "Not what I asked", by="bo", now=NOW)
        # Two tabs at the same moment: one metadata key each, nothing is lost.
        await asyncio.gather(save_feedback(client.threads, thread.thread_id, first),
                             save_feedback(client.threads, thread.thread_id, second))
        assert await read_feedback(client.threads, thread.thread_id) == {
            "ai-1": first, "ai-2": second
        }
        changed = feedback_record("ai-1", "down", "On second thought", by="ana", now=NOW)
        await save_feedback(client.threads, thread.thread_id, changed)
        await clear_feedback(client.threads, thread.thread_id, "ai-2")
        assert await read_feedback(client.threads, thread.thread_id) == {"ai-1": changed}
        kept = (await client.threads.get(thread.thread_id)).metadata
        assert kept["title"] == "Rated" and kept["feedback:ai-2"] is None


async def test_feedback_keys_without_langsmith_fail_the_run(api_url: str) -> None:
    """Why `feedback_keys` is opt-in: a server without LangSmith credentials or network
    ends an otherwise successful run with an error event, and the thread is `error`."""
    async with AgentClient(api_url) as client:
        thread = await client.threads.create()
        events = []
        with pytest.raises(RunError) as failed:
            async with client.runs.stream(
                thread.thread_id, "chat",
                input={"messages": [{"type": "human", "content": "hi"}]},
                config=FAST, extra_body=run_body(["user_score"]),
            ) as stream:
                async for part in stream:
                    events.append((part.event, part.data))
        assert events[-1][0] == "values" and events[-1][1]["messages"][-1]["type"] == "ai"
        assert str(failed.value).startswith("LangSmith")
        assert await settled_thread_status(client, thread.thread_id) == "error"


# -- with a LangSmith stand-in ------------------------------------------------------------------


class FakeLangSmith(ThreadingHTTPServer):
    """The two LangSmith endpoints involved: create signed tokens, receive feedback."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", free_port()), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.token_requests: list[Any] = []
        self.tokens: set[str] = set()
        self.feedback: list[tuple[str, dict[str, str], Any]] = []


class _Handler(BaseHTTPRequestHandler):
    server: FakeLangSmith

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"null")
        if self.path == "/feedback/tokens":
            self.server.token_requests.append(body)
            answer = []
            for _ in body:
                token = str(uuid.uuid4())
                self.server.tokens.add(token)
                answer.append({"id": token, "url": f"{self.server.url}/feedback/tokens/{token}",
                               "expires_at": "2099-01-01T00:00:00+00:00"})
            return self._reply(200, answer)
        token = self.path.rsplit("/", 1)[-1]
        if self.path.startswith("/feedback/tokens/") and token in self.server.tokens:
            self.server.feedback.append((token, dict(self.headers), body))
            return self._reply(200, {"id": str(uuid.uuid4())})
        return self._reply(404, {"detail": "Not found"})

    def _reply(self, status: int, data: Any) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def langsmith() -> Iterator[FakeLangSmith]:
    server = FakeLangSmith()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def traced_server(langsmith: FakeLangSmith) -> Iterator[str]:
    """A second Agent Server whose LangSmith is the stand-in."""
    env = {"LANGSMITH_ENDPOINT": langsmith.url, "LANGSMITH_API_KEY": "lsv2_test_key"}
    with AgentServer(config=TESTS / "langgraph.json", jobs=4, env=env) as server:
        yield server.url


async def test_signed_urls_arrive_last_and_take_the_score(
    traced_server: str, langsmith: FakeLangSmith
) -> None:
    async with AgentClient(traced_server) as client:
        thread = await client.threads.create()
        events = []
        async with client.runs.stream(
            thread.thread_id, "chat", input={"messages": [{"type": "human", "content": "hi"}]},
            stream_mode=["values"], config=FAST,
            extra_body=run_body(["user_score", "helpful"]),
        ) as stream:
            run_id = stream.run_id
            async for part in stream:
                events.append(part)
        last = events[-1]
        assert (last.event, last.mode, last.namespace) == (FEEDBACK_EVENT, FEEDBACK_EVENT, ())
        urls = feedback_urls(last.data)
        assert set(urls) == {"user_score", "helpful"}
        assert all(url.startswith(f"{langsmith.url}/feedback/tokens/") for url in urls.values())
        # What the server asked LangSmith for: one token per key, for this run.
        asked = langsmith.token_requests[-1]
        assert [(r["run_id"], r["feedback_key"]) for r in asked] == [
            (run_id, "user_score"), (run_id, "helpful")
        ]
        assert await settled_thread_status(client, thread.thread_id) == "idle"

        answer = events[-2].data["messages"][-1]
        record = feedback_record(answer["id"], "down", "Too vague", by="ana", run_id=run_id)
        await send_to_langsmith(urls["user_score"], record)
        token, headers, body = langsmith.feedback[-1]
        assert urls["user_score"].endswith(token)
        assert body == {"score": 0, "comment": "Too vague",
                        "metadata": {"message_id": answer["id"], "by": "ana"}}
        assert not any(k.lower() == "x-api-key" for k in headers)  # the URL is the credential

        with pytest.raises(FeedbackError, match=r"HTTP 404: link expired"):
            await send_to_langsmith(f"{langsmith.url}/feedback/tokens/unknown", record)
        with pytest.raises(FeedbackError, match="could not be reached"):
            await send_to_langsmith(f"http://127.0.0.1:{free_port()}/feedback/tokens/x", record)
        with pytest.raises(FeedbackError, match="not an http"):
            await send_to_langsmith("file:///etc/passwd", record)
        async with httpx.AsyncClient() as shared:
            await send_to_langsmith(urls["helpful"], feedback_record("m", "up"), client=shared)
        assert langsmith.feedback[-1][2]["score"] == 1


def test_the_answer_of_the_last_run() -> None:
    messages = [{"type": "human", "id": "h1"}, {"type": "ai", "id": "a1"},
                {"type": "human", "id": "h2"}, {"type": "ai", "id": "a2", "tool_calls": [{}]},
                {"type": "tool", "id": "t1"}, {"type": "AIMessageChunk", "id": "a3"}]
    assert answer_ids(messages) == ["a2", "a3"]
    assert answer_ids(messages[:3]) == []
    assert answer_ids([{"type": "ai"}, {"role": "assistant", "id": "x"}]) == ["x"]


async def test_a_thread_stream_keeps_the_urls_of_its_answer(
    traced_server: str, langsmith: FakeLangSmith
) -> None:
    """What the chat does: every run asks for feedback URLs (`extra_body`), the `feedback`
    event reaches `on_feedback_event`, the URLs are kept for the run's answer, and a
    rating of that answer goes to LangSmith with them."""
    made: list[ThreadStream] = []
    stream = ThreadStream("chat", api_url=traced_server, extra_body=run_body(["user_score"]),
                          on_feedback_event=feedback_receiver(lambda: made[0]))
    made.append(stream)
    try:
        await stream.submit("hi", config=FAST)
        assert stream.error is None
        answer = stream.messages[-1]
        run_id, urls = links.get(answer["id"])
        assert run_id == stream.run_id and set(urls) == {"user_score"}
        assert links.get(stream.messages[0]["id"]) == ("", {})  # the question is not rated
        await send_to_langsmith(urls["user_score"], feedback_record(answer["id"], "up"))
        assert langsmith.feedback[-1][2]["score"] == 1
        # A second run: its own URLs, for its own answer.
        await stream.submit("again", config=FAST)
        second = stream.messages[-1]
        assert links.get(second["id"])[1]["user_score"] != urls["user_score"]
        assert links.get(answer["id"])[1] == urls
    finally:
        await stream.aclose()
