"""`TransportHolder`: what every client of this package shares around its `Transport`
(one connection pool): `closed`, `aclose`, `async with`, and a repr without credentials.
`PooledClient` opens that transport from a URL and `TransportOptions`; `AgentClient` and
`DeepAgentsClient` add their endpoints, and `DeepAgentsBackend` holds its client's."""

from __future__ import annotations

from types import TracebackType
from typing import ClassVar, Self, Unpack

from app.sdk.http import Transport, TransportOptions, shown_url


class TransportHolder:
    transport: Transport
    api_url: str

    @property
    def closed(self) -> bool:
        return self.transport.closed

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({shown_url(self.api_url)!r})"


class PooledClient(TransportHolder):
    transport_class: ClassVar[type[Transport]] = Transport

    def __init__(self, api_url: str, **options: Unpack[TransportOptions]) -> None:
        self.transport = self.transport_class(api_url, **options)
        self.api_url = self.transport.base_url
