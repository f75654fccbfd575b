"""When a run's stream breaks, rejoin it: which failures are a broken connection (the run
goes on on the server) rather than an answer, and how long to wait between tries.

A rejoin resumes after the last event seen (`Last-Event-ID`), or replays the run from its
start when none was seen; events seen before are skipped (`RunEvents`), and the thread is
re-read when the run ends, so the answer shown equals the server's.
"""

from __future__ import annotations

from app.sdk.errors import AgentConnectionError, StreamCutError

MAX_FAILED_TRIES = 8  # rejoins in a row that bring nothing new before giving up
FIRST_DELAY = 0.05  # seconds before the first rejoin; doubled after each fruitless one
MAX_DELAY = 2.0


def is_lost_connection(error: BaseException | None) -> bool:
    """True for a stream that broke (cut off, connection reset, silent too long): the
    server's run is not known to have ended."""
    return isinstance(error, StreamCutError | AgentConnectionError)


def rejoin_delay(failed_tries: int) -> float:
    """Seconds to wait before a rejoin, after `failed_tries` rejoins that brought nothing."""
    return min(FIRST_DELAY * 2 ** failed_tries, MAX_DELAY)
