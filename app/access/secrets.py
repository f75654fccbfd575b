"""The secret that signs the app's cookies when none is configured: generated once and
kept in a file next to the app, so visitors keep their identity across restarts."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

SECRET_FILE = ".langgraph-chat-secret"


def cookie_secret(configured: str | None, folder: Path | None = None) -> str:
    """`configured`, else the secret in `folder/.langgraph-chat-secret` (created with a
    random value, readable by this user only, the first time; several workers starting
    at once all read the one that was written first)."""
    if configured:
        return configured
    path = (folder or Path.cwd()) / SECRET_FILE
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    for _ in range(50):
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.01)  # another worker created it a moment ago and is writing it
    raise RuntimeError(f"{path} is empty: delete it to generate a new secret")
