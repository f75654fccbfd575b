"""What a fake records about each request it receives (secrets left out)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# Headers whose values never reach a record: only whether they were sent.
SECRET_HEADERS = frozenset({"x-api-key", "authorization", "cookie", "x-service-key"})


def redacted(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names lower-cased, secret values replaced by `<redacted>`."""
    return {
        name.lower(): ("<redacted>" if name.lower() in SECRET_HEADERS else value)
        for name, value in headers.items()
    }


@dataclass
class RecordedRequest:
    """One request as the fake saw it, and how it answered."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any = None
    user: str | None = None  # whom the key belongs to, None when missing or unknown
    status: int | None = None  # filled in once the fake has answered
    refused: str | None = None  # why the fake refused it, if it did

    @property
    def sent_api_key(self) -> bool:
        return "x-api-key" in self.headers


@dataclass
class Recorder:
    """A thread-safe list of RecordedRequest (the fake runs in another thread)."""

    requests: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: RecordedRequest) -> RecordedRequest:
        with self._lock:
            self.requests.append(record)
        return record

    def since(self, mark: int) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests[mark:])

    def __len__(self) -> int:
        with self._lock:
            return len(self.requests)

    @contextmanager
    def capture(self) -> Iterator[list[RecordedRequest]]:
        """The requests received while the block runs (filled in when it ends)."""
        mark = len(self)
        seen: list[RecordedRequest] = []
        try:
            yield seen
        finally:
            seen.extend(self.since(mark))
