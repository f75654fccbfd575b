"""Each error class, from the real server or from a server that is not there."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from agents.server import free_port
from app.sdk import (
    AgentClient,
    AgentConnectionError,
    AgentTimeoutError,
    NotFoundError,
    RequestValidationError,
    ServerError,
)
from tests.sdk.conftest import human, reply_config
from tests.sdk.fake_server import FakeServer, response


async def test_server_down_raises_connection_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with AgentClient(url, timeout=2.0) as client:
        assert await client.ok() is False
        with pytest.raises(AgentConnectionError, match="cannot connect"):
            await client.threads.create()
        with pytest.raises(AgentConnectionError, match="cannot connect"):
            async with client.runs.stream(None, "chat", input=human("hi")):
                pass


async def test_credentials_in_the_url_stay_out_of_error_messages() -> None:
    url = f"http://user:s3cret@127.0.0.1:{free_port()}"
    async with AgentClient(url, timeout=2.0) as client:
        assert "s3cret" not in repr(client)
        with pytest.raises(AgentConnectionError) as request_error:
            await client.threads.get("t1")
        with pytest.raises(AgentConnectionError) as stream_error:
            async with client.runs.stream(None, "chat", input=human("hi")):
                pass
    for error in (request_error.value, stream_error.value):
        assert "s3cret" not in str(error) and "user:" not in str(error)
        assert "127.0.0.1" in str(error)


async def test_unanswered_request_times_out() -> None:
    release = asyncio.Event()

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1000)
        await release.wait()
        writer.close()

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with AgentClient(f"http://127.0.0.1:{port}", timeout=0.3) as client:
            with pytest.raises(AgentTimeoutError, match="timed out"):
                await client.threads.get("t1")
    finally:
        release.set()
        server.close()
        await server.wait_closed()


async def test_silent_stream_times_out_after_stream_read_timeout() -> None:
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    first = b'event: metadata\r\ndata: {"run_id": "r"}\r\n\r\n'
    chunk = f"{len(first):x}\r\n".encode() + first + b"\r\n"
    async with FakeServer(lambda m, p, n: (head + chunk, False)) as srv:
        async with AgentClient(srv.url, stream_read_timeout=0.3) as client:
            seen = []
            with pytest.raises(AgentTimeoutError):
                async for part in client.runs.stream(None, "chat", input={}):
                    seen.append(part.event)
    assert seen == ["metadata"]


async def test_api_key_and_headers_are_sent() -> None:
    async with FakeServer(lambda m, p, n: response(200, '{"ok": true}')) as srv:
        async with AgentClient(srv.url, api_key="secret", headers={"X-Extra": "1"}) as client:
            assert await client.ok()
    assert srv.headers[0]["x-api-key"] == "secret" and srv.headers[0]["x-extra"] == "1"


async def test_invalid_bodies_raise_request_validation_error(client: AgentClient) -> None:
    thread = await client.threads.create()
    with pytest.raises(RequestValidationError) as info:
        await client.runs.create(thread.thread_id, "chat", multitask_strategy="sometimes")
    assert info.value.status == 422 and info.value.detail
    with pytest.raises(RequestValidationError):
        async with client.runs.stream(thread.thread_id, "chat", stream_mode=["nonsense"]):
            pass
    with pytest.raises(RequestValidationError, match="not JSON serializable"):
        await client.runs.create(thread.thread_id, "chat", input={"x": object()})


async def test_unknown_assistant_and_thread_raise_not_found(client: AgentClient) -> None:
    with pytest.raises(NotFoundError):
        async with client.runs.stream(str(uuid.uuid4()), "chat", input=human("hi")):
            pass
    with pytest.raises(NotFoundError):
        await client.runs.create(None, str(uuid.uuid4()), input=human("hi"))
    # A name that is neither a uuid nor a graph is a validation error.
    with pytest.raises(RequestValidationError, match="no_such_graph"):
        await client.runs.create(None, "no_such_graph", input=human("hi"))


async def test_the_client_recovers_after_a_server_500(client: AgentClient) -> None:
    thread = await client.threads.create()
    await client.runs.wait(thread.thread_id, "chat", input=human("hi"), config=reply_config("A."))
    (latest,) = await client.threads.get_history(thread.thread_id, limit=1)
    # This malformed `before` makes the real server fail with a 500 and drop the
    # kept-alive connection; the next requests, even non-idempotent ones, still work.
    body = {"limit": 1, "before": {"checkpoint_id": latest.checkpoint.checkpoint_id}}
    path = f"/threads/{thread.thread_id}/history"
    with pytest.raises(ServerError) as info:
        await client.transport.request_json("POST", path, json_body=body, idempotent=True)
    assert info.value.status == 500
    assert (await client.threads.create()).thread_id
    assert (await client.threads.get(thread.thread_id)).status == "idle"


async def test_a_closed_client_raises_connection_error(api_url: str) -> None:
    client = AgentClient(api_url)
    await client.aclose()
    assert client.closed
    with pytest.raises(AgentConnectionError):
        await client.threads.create()
