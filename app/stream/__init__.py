"""useStream in plain Python: `ThreadStream` follows one thread of an Agent Server.

Where things live:
- `thread_stream`: `ThreadStream`, its public interface, submitting, joining, stopping
  and the run loop (reading a run's events and dispatching them).
- `shown`: what the UI shows (values, messages, send status) and how stream events
  merge into it; `messages`, `values`, `partial_json`: the merge rules themselves.
- `history`, `branches`: reading the thread's history (in pages: older ones on demand,
  kept across runs), its checkpoint tree and branches.
- `queue`: runs submitted while another streams (created, streamed in turn, cancelled).
- `listeners`, `callbacks`: change notifications and the `on_*` callbacks.
- `inputs`, `modes`, `interrupts`, `tools`, `hitl`: what a run sends, which stream modes
  it asks for, pending interrupts and how to answer them (`hitl`, with its typed edit
  forms in `hitl_forms` and errors in `hitl_errors`), tool calls.
No Reflex import here.
"""

from app.stream.thread_stream import StreamChange, ThreadStream

__all__ = ["StreamChange", "ThreadStream"]
