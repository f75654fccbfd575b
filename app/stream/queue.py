"""The submission queue: runs submitted while another was in flight (strategy `enqueue`).

Each entry is a run the server already accepted and will start after the current one;
the UI lists them and can cancel any of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class QueuedRun:
    """A queued submission: the server's run id (None until the server answered), what it
    sends, and a client id to find it before the run id is known."""

    client_id: str
    input: Any = None
    command: Any = None
    run_id: str | None = None
    thread_id: str | None = None
    created_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SubmissionQueue:
    """Queued runs, oldest first."""

    entries: list[QueuedRun] = field(default_factory=list)

    def add(self, entry: QueuedRun) -> None:
        self.entries.append(entry)

    def find(self, key: str) -> QueuedRun | None:
        """The entry whose run id or client id is `key`."""
        for entry in self.entries:
            if key in (entry.run_id, entry.client_id):
                return entry
        return None

    def remove(self, key: str) -> QueuedRun | None:
        entry = self.find(key)
        if entry is not None:
            self.entries.remove(entry)
        return entry

    def clear(self) -> list[QueuedRun]:
        dropped, self.entries = self.entries, []
        return dropped

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[QueuedRun]:
        return iter(self.entries)

    def to_json(self) -> list[dict[str, Any]]:
        return [entry.to_json() for entry in self.entries]
