"""The Transport for Managed Deep Agents: the service's two error body shapes, mapped.

The auth layer answers 401 `{"error": "Unauthorized"}` (no key) and 403
`{"error": "Forbidden"}` (a bad key, or one without workspace access); everything else
answers `{"type", "code", "detail", "status"}`. Both become the usual AgentServerError
subclasses (by status), with the detail text in the message and `code` set.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.sdk.errors import AgentServerError
from app.sdk.http import Transport

_AUTH_MEANING = {
    401: "the LangSmith API key is missing or was not accepted",
    403: "the LangSmith API key is invalid or has no access to this workspace",
}


def managed_error(
    response: httpx.Response, error: AgentServerError, method: str, path: str
) -> AgentServerError:
    """`error` (made from the status alone) restated with what the body says."""
    try:
        body: Any = response.json()
    except (ValueError, UnicodeDecodeError):
        return error
    if not isinstance(body, dict):
        return error
    status = response.status_code
    cls = type(error)
    if "error" in body and "code" not in body:
        said = str(body["error"])
        meaning = _AUTH_MEANING.get(status, said)
        return cls(
            f"{method} {path}: {meaning} (HTTP {status} {said})",
            status=status,
            detail=said,
            code=said.lower(),
        )
    if "code" in body or "detail" in body:
        detail = str(body.get("detail") or "")
        code = str(body["code"]) if body.get("code") is not None else None
        label = f" [{code}]" if code else ""
        return cls(
            f"{method} {path} failed with HTTP {status}{label}: {detail}",
            status=status,
            detail=detail,
            code=code,
        )
    return error


class DeepAgentsTransport(Transport):
    """A Transport whose HTTP errors carry the Managed Deep Agents body's meaning."""

    async def _check(self, response: httpx.Response, method: str, path: str) -> None:
        try:
            await super()._check(response, method, path)
        except AgentServerError as error:
            raise managed_error(response, error, method, path) from None
