"""HTTP transport: one pooled `httpx.AsyncClient`, error mapping and retry-once.

Every httpx failure is turned into an `AgentServerError` subclass here, so callers only
ever see the client's own errors.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypedDict
from urllib.parse import quote

import httpx

from app.sdk.errors import (
    AgentConnectionError,
    AgentServerError,
    AgentTimeoutError,
    MalformedResponseError,
    RequestValidationError,
    error_for_status,
)

# Reads that are safe to send twice. Some reads are POSTs (search, history, state at a
# checkpoint): callers mark those with `idempotent=True`.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})

# Failures of a pooled keep-alive connection the server already closed (it does so
# silently after a 500): worth one retry for idempotent requests.
_STALE_CONNECTION_ERRORS = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)

# The server sends a heartbeat every 5 s on event streams, so a stream that is silent
# for this long is dead. Keep it well above 5 s.
DEFAULT_STREAM_READ_TIMEOUT = 60.0


def segment(value: str) -> str:
    """A path segment, quoted so that an id can never change the URL's path."""
    if not isinstance(value, str) or not value:
        raise RequestValidationError(f"expected a non-empty id string, got {value!r}")
    return quote(value, safe="")


def snippet(text: str | bytes, limit: int = 200) -> str:
    """The start of a body, for error messages."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "..."


def shown_url(url: httpx.URL | str) -> str:
    """A URL for messages and logs: credentials written into it (`user:pass@`) left out."""
    url = httpx.URL(url)
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


def connection_error(exc: Exception, method: str, url: str) -> AgentServerError:
    """The client error for an httpx transport failure."""
    if isinstance(exc, httpx.TimeoutException):
        kind = type(exc).__name__
        return AgentTimeoutError(f"{method} {url} timed out ({kind})")
    if isinstance(exc, httpx.ConnectError):
        return AgentConnectionError(f"cannot connect to the Agent Server at {url}: {exc}")
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(f"{method} {url}: cannot decode the response: {exc}")
    return AgentConnectionError(f"{method} {url} failed: {type(exc).__name__}: {exc}")


def error_detail(response: httpx.Response) -> Any:
    """The server's `detail` from an error response, or its text."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return snippet(response.content, 500) or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        return body["detail"]
    return body


def encode_json(body: Any) -> bytes:
    try:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    except (TypeError, ValueError) as exc:
        raise RequestValidationError(f"request body is not JSON serializable: {exc}") from None


class TransportOptions(TypedDict, total=False):
    """How to reach a server: `api_key` is sent as `X-Api-Key`, `headers` on every
    request; `timeout` bounds ordinary requests, while event streams only time out after
    `stream_read_timeout` seconds of silence (the server sends a heartbeat every 5 s);
    `http_transport` replaces httpx's (tests count or fake requests with it)."""

    api_key: str | None
    headers: Mapping[str, str] | None
    timeout: float
    stream_read_timeout: float
    http_transport: httpx.AsyncBaseTransport | None


class Transport:
    """Sends requests to one Agent Server over a shared connection pool (options: see
    `TransportOptions`)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        stream_read_timeout: float = DEFAULT_STREAM_READ_TIMEOUT,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        base_url = base_url.strip().rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"api_url must start with http:// or https:// (got {base_url!r})")
        self.base_url = base_url
        default_headers = {"Accept": "application/json", **(headers or {})}
        if api_key:
            default_headers["X-Api-Key"] = api_key
        self.timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self.stream_timeout = httpx.Timeout(
            timeout, connect=min(timeout, 10.0), read=stream_read_timeout
        )
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers=default_headers,
            timeout=self.timeout,
            transport=http_transport,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    @property
    def closed(self) -> bool:
        return self._client.is_closed

    async def aclose(self) -> None:
        await self._client.aclose()

    def _build(
        self,
        method: str,
        path: str,
        *,
        json_body: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        timeout: httpx.Timeout,
    ) -> httpx.Request:
        content = None
        all_headers = dict(headers or {})
        if json_body is not None:
            content = encode_json(json_body)
            all_headers["Content-Type"] = "application/json"
        if params:
            params = {k: _param(v) for k, v in params.items() if v is not None}
        try:
            return self._client.build_request(
                method,
                path,
                content=content,
                params=params or None,
                headers=all_headers,
                timeout=timeout,
            )
        except httpx.InvalidURL as exc:
            raise RequestValidationError(f"invalid request URL {path!r}: {exc}") from None

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send a request and read the whole response; raise on HTTP errors."""
        request = self._build(
            method, path, json_body=json_body, params=params, headers=headers, timeout=self.timeout
        )
        retry = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            try:
                response = await self._client.send(request)
                break
            except _STALE_CONNECTION_ERRORS as exc:
                if attempt + 1 < attempts:
                    continue
                raise connection_error(exc, method, shown_url(request.url)) from None
            except httpx.HTTPError as exc:
                raise connection_error(exc, method, shown_url(request.url)) from None
            except RuntimeError as exc:  # the client was closed
                raise AgentConnectionError(f"{method} {path}: {exc}") from None
        await self._check(response, method, path)
        return response

    async def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request and return its JSON body (None for an empty body)."""
        response = await self.request(method, path, **kwargs)
        return parse_json(response, method, path)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Open an event stream; the response is closed when the block exits."""
        all_headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
        all_headers.update(headers or {})
        request = self._build(
            method,
            path,
            json_body=json_body,
            params=params,
            headers=all_headers,
            timeout=self.stream_timeout,
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise connection_error(exc, method, shown_url(request.url)) from None
        except RuntimeError as exc:
            raise AgentConnectionError(f"{method} {path}: {exc}") from None
        try:
            if response.status_code >= 400:
                try:
                    await response.aread()
                except httpx.HTTPError as exc:
                    raise connection_error(exc, method, shown_url(request.url)) from None
                await self._check(response, method, path)
            content_type = response.headers.get("content-type", "")
            if "text/event-stream" not in content_type:
                body = await _read_some(response)
                raise MalformedResponseError(
                    f"{method} {path}: expected an event stream (text/event-stream), got "
                    f"{content_type or 'no content type'} with HTTP {response.status_code}: "
                    f"{snippet(body)!r}",
                    status=response.status_code,
                )
            yield response
        finally:
            await response.aclose()

    async def _check(self, response: httpx.Response, method: str, path: str) -> None:
        if response.status_code < 400:
            return
        if response.status_code >= 500:
            # The server drops its side of the connection after a 500 without saying so:
            # forget idle pooled connections so the next request opens a fresh one.
            await response.aclose()
            await self._drop_idle_connections()
        raise error_for_status(
            response.status_code, error_detail(response), method=method, path=path
        )

    async def _drop_idle_connections(self) -> None:
        pool = getattr(getattr(self._client, "_transport", None), "_pool", None)
        for connection in list(getattr(pool, "connections", ())):
            try:
                if connection.is_idle():
                    await connection.aclose()
            except Exception:  # best effort: a retry covers what this misses
                pass


def parse_json(response: httpx.Response, method: str, path: str) -> Any:
    """The JSON body of a successful response, or a MalformedResponseError."""
    if not response.content:
        return None
    content_type = response.headers.get("content-type", "")
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        raise MalformedResponseError(
            f"{method} {path}: expected JSON, got {content_type or 'no content type'} "
            f"with HTTP {response.status_code}: {snippet(response.content)!r}",
            status=response.status_code,
        ) from None


async def _read_some(response: httpx.Response, limit: int = 2000) -> bytes:
    data = b""
    try:
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) >= limit:
                break
    except httpx.HTTPError:
        pass
    return data


def _param(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
