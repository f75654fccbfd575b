"""What a `ThreadStream` may do on its backend: the check made before an operation the
backend's `Capabilities` lack (history and forks, join, cancel, queue, resume, dismiss).

The refusal is a `NotSupportedError` whose `detail` names the missing ability, so a UI can
say why in its own words; a UI that asks the capabilities first never meets it.
"""

from __future__ import annotations

from app.sdk.capabilities import Capabilities
from app.sdk.errors import NotSupportedError


def require(capabilities: Capabilities, ability: str, action: str) -> None:
    """Raise `NotSupportedError` (detail: `ability`) unless the backend can `ability`."""
    if not getattr(capabilities, ability):
        raise NotSupportedError(f"{action} is not possible with {capabilities.label}.",
                                detail=ability)


def run_extras(capabilities: Capabilities, *, user_timezone: str | None) -> dict[str, str]:
    """Run-body fields only some backends take: the user's IANA time zone."""
    if capabilities.user_timezone and user_timezone:
        return {"user_timezone": user_timezone}
    return {}
