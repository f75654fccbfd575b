"""Bad answers from a fake server become clear client errors, never raw exceptions."""

from __future__ import annotations

import pytest

from app.sdk import (
    AgentClient,
    AgentConnectionError,
    MalformedResponseError,
    RunError,
    ServerError,
)
from tests.sdk.fake_server import FakeServer, response, unframed

GOOD_SSE = (
    'event: metadata\r\ndata: {"run_id":"r1","attempt":1}\r\n\r\n'
    'event: values\r\ndata: {"messages":[]}\r\n\r\n'
)


def always(answer):
    return lambda method, path, n: answer


async def test_non_json_body_raises_malformed() -> None:
    async with FakeServer(always(response(200, "hello, not json", "application/json"))) as srv:
        async with AgentClient(srv.url) as client:
            with pytest.raises(MalformedResponseError, match="expected JSON.*hello, not json"):
                await client.threads.get("t1")


async def test_unexpected_json_shape_raises_malformed() -> None:
    async with FakeServer(always(response(200, '{"no_thread_id": true}'))) as srv:
        async with AgentClient(srv.url) as client:
            with pytest.raises(MalformedResponseError, match="unexpected thread.*thread_id"):
                await client.threads.get("t1")
            with pytest.raises(MalformedResponseError, match="where a list of runs"):
                await client.runs.list("t1")


async def test_html_500_raises_server_error_with_text() -> None:
    page = "<html><body><h1>Internal Server Error</h1></body></html>"
    async with FakeServer(always(response(500, page, "text/html"))) as srv:
        async with AgentClient(srv.url) as client:
            with pytest.raises(ServerError) as info:
                await client.threads.create()
    assert info.value.status == 500
    assert "Internal Server Error" in str(info.value.detail)


async def test_stream_with_wrong_content_type_raises_malformed() -> None:
    async with FakeServer(always(response(200, '{"ok": true}'))) as srv:
        async with AgentClient(srv.url) as client:
            with pytest.raises(MalformedResponseError, match="expected an event stream"):
                async with client.runs.stream(None, "chat", input={}) as stream:
                    async for _ in stream:
                        pass


async def test_stream_with_non_json_data_raises_after_good_events() -> None:
    body = GOOD_SSE + "event: values\r\ndata: {broken\r\n\r\n"
    async with FakeServer(always(response(200, body, "text/event-stream"))) as srv:
        async with AgentClient(srv.url) as client:
            seen = []
            with pytest.raises(MalformedResponseError, match="not JSON.*broken"):
                async for part in client.runs.stream(None, "chat", input={}):
                    seen.append(part.event)
    assert seen == ["metadata", "values"]


async def test_stream_ending_mid_event_raises_malformed() -> None:
    body = GOOD_SSE + 'event: messages\r\ndata: [{"content": "par'
    async with FakeServer(always(unframed(200, body, "text/event-stream"))) as srv:
        async with AgentClient(srv.url) as client:
            seen = []
            with pytest.raises(MalformedResponseError, match="middle of an event"):
                async for part in client.runs.stream(None, "chat", input={}):
                    seen.append(part.event)
    assert seen == ["metadata", "values"]


async def test_stream_cut_short_of_its_length_raises_malformed() -> None:
    answer = response(200, GOOD_SSE, "text/event-stream", content_length=len(GOOD_SSE) + 50)
    async with FakeServer(always((answer[0], True))) as srv:
        async with AgentClient(srv.url) as client:
            seen = []
            with pytest.raises(MalformedResponseError, match="cut off"):
                async for part in client.runs.stream(None, "chat", input={}):
                    seen.append(part.event)
    assert seen == ["metadata", "values"]


async def test_stream_error_event_raises_run_error_after_earlier_parts() -> None:
    body = GOOD_SSE + 'event: error\r\ndata: {"error":"ValueError","message":"boom"}\r\n\r\n'
    async with FakeServer(always(response(200, body, "text/event-stream"))) as srv:
        async with AgentClient(srv.url) as client:
            seen = []
            with pytest.raises(RunError) as info:
                async for part in client.runs.stream(None, "chat", input={}):
                    seen.append(part.event)
    assert seen == ["metadata", "values"]
    assert (info.value.error, info.value.message) == ("ValueError", "boom")


async def test_heartbeats_and_empty_events_are_skipped_and_lf_lines_work() -> None:
    body = (
        ": heartbeat\n\nevent: metadata\nid: 5-0\ndata: {}\n\n"
        "event: values\ndata:\n\nevent: custom|child:1\ndata: [1,\ndata: 2]\n\n"
    )
    async with FakeServer(always(response(200, body, "text/event-stream"))) as srv:
        async with AgentClient(srv.url) as client:
            stream = client.runs.stream(None, "chat", input={})
            parts = [part async for part in stream]
    assert [(p.event, p.mode, p.namespace, p.data) for p in parts] == [
        ("metadata", "metadata", (), {}),
        ("custom|child:1", "custom", ("child:1",), [1, 2]),
    ]
    assert parts[0].id == "5-0" and stream.last_event_id == "5-0"
    assert stream.closed


async def test_idempotent_request_is_retried_once_after_a_dropped_connection() -> None:
    # Request 2 reuses the kept-alive connection, which the server drops unanswered.
    def handler(method: str, path: str, n: int):
        return None if n == 2 else response(200, '{"thread_id": "t1"}')

    async with FakeServer(handler) as srv:
        async with AgentClient(srv.url) as client:
            await client.threads.get("t1")
            thread = await client.threads.get("t1")
    assert thread.thread_id == "t1"
    assert len(srv.requests) == 3
    assert srv.requests[0][2] == srv.requests[1][2] != srv.requests[2][2]


async def test_non_idempotent_request_is_not_retried() -> None:
    def handler(method: str, path: str, n: int):
        return None if n == 2 else response(200, '{"thread_id": "t1"}')

    async with FakeServer(handler) as srv:
        async with AgentClient(srv.url) as client:
            await client.threads.create()
            with pytest.raises(AgentConnectionError, match="POST .*/threads"):
                await client.threads.create()
    assert len(srv.requests) == 2


async def test_a_second_drop_is_reported_not_retried_forever() -> None:
    def handler(method: str, path: str, n: int):
        return None if n >= 2 else response(200, '{"thread_id": "t1"}')

    async with FakeServer(handler) as srv:
        async with AgentClient(srv.url) as client:
            await client.threads.get("t1")
            with pytest.raises(AgentConnectionError):
                await client.threads.get("t1")
    assert len(srv.requests) == 3
