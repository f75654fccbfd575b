"""A TCP proxy that cuts connections at planned points (fault injection).

`CuttingProxy` listens on 127.0.0.1 (a free port) and forwards every connection to an
upstream server (the Agent Server). It watches HTTP/1.1 requests go by: when a request
whose request line matches `match` (by default, event streams: `/stream`) starts, it
takes the next offset from its `CutPlan`; once the server has sent that many bytes of the
answer, the proxy forwards exactly those bytes and closes both sides, as a network
failure would. Every request and every cut is recorded.

A request starts when the client sends data after the server has answered something
(HTTP/1.1 without pipelining, which is what httpx does), so keep-alive connections are
followed request by request. An offset the answer never reaches goes back to the front
of the plan for the next matching request.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class CutPlan:
    """The byte offsets to cut matching answers at, used in order."""

    def __init__(self, offsets: Iterable[int] = ()) -> None:
        self._offsets: deque[int] = deque(int(o) for o in offsets)
        if any(o < 0 for o in self._offsets):
            raise ValueError("offsets must be >= 0")

    @classmethod
    def seeded(cls, seed: int, points: int, low: int, high: int) -> CutPlan:
        """`points` offsets drawn uniformly from [low, high] by a seeded generator."""
        rng = random.Random(seed)
        return cls(rng.randint(low, high) for _ in range(points))

    @property
    def remaining(self) -> int:
        return len(self._offsets)

    def offsets(self) -> list[int]:
        return list(self._offsets)

    def take(self) -> int | None:
        return self._offsets.popleft() if self._offsets else None

    def give_back(self, offset: int) -> None:
        self._offsets.appendleft(offset)


@dataclass
class RequestRecord:
    """One request through the proxy: its request line, how many bytes of answer the
    client got, and the offset it was cut at (None: not cut)."""

    connection: int
    request_line: str
    planned_cut: int | None = None
    delivered: int = 0
    cut: bool = False
    head_bytes: int | None = None  # size of the response head (status line + headers)
    _head: bytes = field(default=b"", repr=False)

    def count(self, data: bytes) -> None:
        """Note `data` as delivered to the client."""
        if self.head_bytes is None:
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end >= 0:
                self.head_bytes = end + 4
                self._head = b""
        self.delivered += len(data)


@dataclass(eq=False)
class _Connection:
    number: int
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    current: RequestRecord | None = None
    answered: bool = True  # the server sent something since the client last did
    closed: bool = False


@dataclass
class CuttingProxy:
    """Forwards 127.0.0.1:<port> to `upstream` (a URL or host:port); cuts per `plan`."""

    upstream: str
    plan: CutPlan = field(default_factory=CutPlan)
    match: str = r"/stream\b"
    requests: list[RequestRecord] = field(default_factory=list)
    _server: asyncio.AbstractServer | None = None
    _connections: int = 0
    _tasks: set[asyncio.Task] = field(default_factory=set)
    _open: set[_Connection] = field(default_factory=set)

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the proxy first"
        return self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def cuts(self) -> list[RequestRecord]:
        return [r for r in self.requests if r.cut]

    def _upstream_address(self) -> tuple[str, int]:
        target = self.upstream if "://" in self.upstream else f"tcp://{self.upstream}"
        parts = urlsplit(target)
        if not parts.hostname or not parts.port:
            raise ValueError(f"upstream needs a host and a port: {self.upstream!r}")
        return parts.hostname, parts.port

    async def start(self) -> CuttingProxy:
        self._upstream_address()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def settle(self) -> None:
        """Wait until every connection the proxy handles has ended."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for conn in list(self._open):
                await self._close(conn)
            await self.settle()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> CuttingProxy:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _accept(self, client_reader: asyncio.StreamReader,
                      client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        host, port = self._upstream_address()
        try:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        self._connections += 1
        conn = _Connection(self._connections, client_writer, server_writer)
        self._open.add(conn)
        try:
            await asyncio.gather(self._client_to_server(conn, client_reader),
                                 self._server_to_client(conn, server_reader))
        finally:
            self._end_request(conn)
            await self._close(conn)
            self._open.discard(conn)
            if task is not None:
                self._tasks.discard(task)

    async def _client_to_server(self, conn: _Connection, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while not conn.closed:
                data = await reader.read(65536)
                if not data:
                    break
                if conn.answered:
                    self._begin_request(conn, data)
                    conn.answered = False
                conn.server.write(data)
                await conn.server.drain()
        with contextlib.suppress(OSError, RuntimeError):
            if not conn.closed and conn.server.can_write_eof():
                conn.server.write_eof()

    def _end_request(self, conn: _Connection) -> None:
        """An answer ended before its planned offset: the offset goes back to the plan."""
        record = conn.current
        if record is not None and record.planned_cut is not None and not record.cut:
            self.plan.give_back(record.planned_cut)
            record.planned_cut = None

    def _begin_request(self, conn: _Connection, data: bytes) -> None:
        self._end_request(conn)
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        record = RequestRecord(conn.number, line)
        if re.search(self.match, line.split(" ")[1] if " " in line else line):
            record.planned_cut = self.plan.take()
        self.requests.append(record)
        conn.current = record

    async def _server_to_client(self, conn: _Connection, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while not conn.closed:
                data = await reader.read(65536)
                if not data:
                    break
                conn.answered = True
                record = conn.current
                if record is not None and record.planned_cut is not None:
                    left = record.planned_cut - record.delivered
                    if len(data) >= left:
                        conn.client.write(data[:left])
                        record.count(data[:left])
                        record.cut = True
                        await self._close(conn)
                        return
                if record is not None:
                    record.count(data)
                conn.client.write(data)
                await conn.client.drain()
        with contextlib.suppress(OSError, RuntimeError):
            if not conn.closed and conn.client.can_write_eof():
                conn.client.write_eof()

    async def _close(self, conn: _Connection) -> None:
        """Close both sides (buffered bytes are still sent, then FIN)."""
        if conn.closed:
            return
        conn.closed = True
        for writer in (conn.client, conn.server):
            writer.close()
        for writer in (conn.client, conn.server):
            with contextlib.suppress(OSError, ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
