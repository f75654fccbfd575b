"""useStream in plain Python: `ThreadStream` follows one thread of an Agent Server.

Where things live:
- `thread_stream`: `ThreadStream`, the policy: opening a thread (history back to recorded
  forks, then its running and queued runs), submitting, forking (edit, regenerate),
  joining, stopping, and the run loop; `thread_view`: what it shows, read-only.
- `run_events`: where a run's events go (dedupe across reconnects, routing by mode).
- `shown`: the shown values and messages and how events merge into them; the merge rules
  themselves in `chunks` (streamed chunks), `messages` (types, text, the list),
  `values` (values events and interrupts).
- `history`, `branches`: the fetched states, checkpoint tree and branches;
  `history_loader`: reading them (in pages, older ones on demand, back to the forks
  recorded by `fork_log`).
- `queue`: runs waiting on the server behind the running one (a list with an injected
  drain).
- `thread_answers`: answering interrupts (resume with a value, or dismiss where the
  backend only resolves them); `abilities`: the check made before what the backend's
  capabilities lack (`app.sdk.capabilities`).
- `listeners`, `callbacks`: change notifications and the `on_*` callbacks.
- `inputs`, `modes`, `interrupts`, `tools`: what a run sends, which stream modes it asks
  for, pending interrupts and how to resume them, tool calls and their results.
- `hitl` (+ `hitl_models`, `hitl_decisions`, `hitl_legacy`, `hitl_forms`, `hitl_errors`):
  interrupt payloads of every format, normalized, and the answers that resume them.
- `thread_activity` (read by `ThreadStream`): a deep agent's plan, files, subagents,
  reasoning and usage as plain data, and saving a file; fed by `agent_activity` from the
  run's events (`subagents` + `namespaces`, `reasoning`, `answer_clock`, `usage`,
  `tool_progress`), shaped by `deep_values`; `subagent_modes`: when runs stream their
  subgraphs.
- `thread_metadata`, `fork_log`, `decision_log`, `answer_log`: what the chat keeps in
  thread metadata.
- `plain`: SDK and LangChain objects as plain data.
No Reflex import here.
"""

from app.stream.listeners import StreamChange
from app.stream.thread_stream import ThreadStream

__all__ = ["StreamChange", "ThreadStream"]
