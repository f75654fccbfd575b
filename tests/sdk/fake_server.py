"""A tiny HTTP/1.1 server on loopback that answers each request with canned raw bytes.

Used to send what a real Agent Server never should: non-JSON bodies, wrong content
types, cut-off event streams, connections dropped after a keep-alive response.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

# What to do with one request: bytes to send, then whether to close the connection.
# Returning None closes the connection without answering.
Handler = Callable[[str, str, int], tuple[bytes, bool] | None]


def response(
    status: int,
    body: bytes | str,
    content_type: str = "application/json",
    *,
    close: bool = False,
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
) -> tuple[bytes, bool]:
    """Raw bytes of an HTTP response (`content_length` may lie, to cut a body short)."""
    data = body.encode() if isinstance(body, str) else body
    lines = [
        f"HTTP/1.1 {status} X",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(data) if content_length is None else content_length}",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data, close


def unframed(status: int, body: bytes | str, content_type: str) -> tuple[bytes, bool]:
    """A response whose body simply ends when the connection closes (no length)."""
    data = body.encode() if isinstance(body, str) else body
    head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n"
    return head.encode() + data, True


@dataclass
class FakeServer:
    """`async with FakeServer(handler) as server:` serves on `server.url`."""

    handler: Handler
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def __aenter__(self) -> FakeServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = id(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode().split("\r\n")
                method, path, _ = request_line.split(" ", 2)
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", 0))
                self.headers.append(headers)
                if length:
                    await reader.readexactly(length)
                self.requests.append((method, path, connection))
                answer = self.handler(method, path, len(self.requests))
                if answer is None:
                    break
                data, close = answer
                writer.write(data)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
