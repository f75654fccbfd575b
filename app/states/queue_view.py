"""The queued messages shown under the conversation.

A message sent while a run streams becomes a run queued on the Agent Server
(`multitask_strategy="enqueue"`, see `ThreadStream.queue`). After a reload the tab's
stream knows nothing of those runs, so the thread's pending runs are read back from the
server (`runs.list(thread_id, status="pending")`). The view merges both, oldest first:
`[{"key": run id or client id, "text": what the user sent}]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.states.message_view import as_dict, content_text

PENDING_LIMIT = 50


def queued_text(run_input: Any, messages_key: str = "messages") -> str:
    """The text of the last message in a run's input (what the user typed)."""
    if isinstance(run_input, Mapping):
        run_input = run_input.get(messages_key)
    if isinstance(run_input, list | tuple):
        run_input = run_input[-1] if run_input else None
    if run_input is None:
        return ""
    if isinstance(run_input, str):
        return run_input
    message = as_dict(run_input)
    return content_text(message.get("content")) if isinstance(message, Mapping) else ""


def pending_runs(runs: Iterable[Any], messages_key: str = "messages") -> list[dict[str, str]]:
    """Server runs (SDK `Run`s or dicts) that have not started, oldest first, as
    `{"run_id", "text", "created_at"}`."""
    found = []
    for run in runs:
        data = run.model_dump() if hasattr(run, "model_dump") else dict(run)
        if str(data.get("status") or "") != "pending":
            continue
        kwargs = data.get("kwargs") or {}
        found.append({
            "run_id": str(data.get("run_id") or ""),
            "text": queued_text(kwargs.get("input"), messages_key),
            "created_at": str(data.get("created_at") or ""),
        })
    found.sort(key=lambda item: item["created_at"])
    return [item for item in found if item["run_id"]]


def queue_view(stream_queue: Iterable[Mapping[str, Any]],
               server_pending: Iterable[Mapping[str, Any]],
               messages_key: str = "messages") -> list[dict[str, str]]:
    """What the queue list shows: the stream's own queued runs, then pending runs read
    from the server that the stream does not know (after a reload), oldest first."""
    view: list[dict[str, str]] = []
    known: set[str] = set()
    for entry in stream_queue:
        run_id = str(entry.get("run_id") or "")
        key = run_id or str(entry.get("client_id") or "")
        if not key:
            continue
        known.update({key, run_id})
        view.append({"key": key, "text": queued_text(entry.get("input"), messages_key)})
    for run in server_pending:
        run_id = str(run.get("run_id") or "")
        if run_id and run_id not in known:
            known.add(run_id)
            view.append({"key": run_id, "text": str(run.get("text") or "")})
    return view
