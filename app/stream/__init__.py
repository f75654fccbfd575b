"""useStream in plain Python: `ThreadStream` follows one thread of an Agent Server.

The pure helpers (chunk merging, values/interrupt merging, branches, queue) live in their
own modules so they can be tested without a server. No Reflex import here.
"""

from app.stream.thread_stream import StreamChange, ThreadStream

__all__ = ["StreamChange", "ThreadStream"]
