"""A deep agent's plan (`values.todos`) and files (`values.files`) as plain data.

Todos: a list of `{"content": str, "status": "pending" | "in_progress" | "completed"}`
(some versions add `id`). Bad items are skipped, unknown statuses read as pending.

Files (deepagents' state backend) map a path to one of:
- a string (older versions, and what some UIs write);
- `{"content": [lines], "created_at", "modified_at"}` (older deepagents);
- `{"content": str, "encoding": "utf-8" | "base64", "created_at", "modified_at"}`
  (deepagents 0.7). A `None` value is a deletion marker of the files reducer.
`file_update` builds the `values` update that saves an edited file back in the shape the
agent already uses for it (for `POST /threads/{id}/state`).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

TODO_STATUSES = ("pending", "in_progress", "completed")


def normalize_todos(raw: Any) -> list[dict[str, Any]]:
    """`values.todos` as a clean list of `{"content", "status"}` (plus `id` if given)."""
    if not isinstance(raw, list):
        return []
    todos: list[dict[str, Any]] = []
    for item in raw:
        if isinstance(item, str):
            content, status, todo_id = item, "pending", None
        elif isinstance(item, Mapping):
            content = item.get("content")
            if content is None:
                content = item.get("title") or item.get("task")
            if content is None:
                continue
            status = item.get("status")
            todo_id = item.get("id")
        else:
            continue
        text = str(content).strip()
        if not text:
            continue
        todo: dict[str, Any] = {
            "content": text,
            "status": status if status in TODO_STATUSES else "pending",
        }
        if todo_id is not None:
            todo["id"] = str(todo_id)
        todos.append(todo)
    return todos


def todo_progress(todos: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts of a normalized todo list: completed / in progress / all, and the share done."""
    total = len(todos)
    completed = sum(1 for t in todos if t.get("status") == "completed")
    active = [str(t.get("content")) for t in todos if t.get("status") == "in_progress"]
    return {
        "completed": completed,
        "in_progress": len(active),
        "total": total,
        "fraction": completed / total if total else 0.0,
        "current": active,
    }


def _decoded_size(data: str) -> int | None:
    try:
        return len(base64.b64decode(data, validate=True))
    except (binascii.Error, ValueError):
        return None


def normalize_file(entry: Any) -> dict[str, Any] | None:
    """One file entry as `{"text", "size", "binary", "created_at", "modified_at"}`, or
    None for a deletion marker or an unreadable entry. `size` is in bytes."""
    if entry is None:
        return None
    created = modified = None
    encoding = "utf-8"
    if isinstance(entry, str):
        content: Any = entry
    elif isinstance(entry, Mapping):
        content = entry.get("content", "")
        created, modified = entry.get("created_at"), entry.get("modified_at")
        encoding = str(entry.get("encoding") or "utf-8")
    else:
        return None
    if isinstance(content, list):
        text = "\n".join(str(line) for line in content)
    elif isinstance(content, str):
        text = content
    else:
        return None
    if encoding == "base64":
        size = _decoded_size(text)
        return {
            "text": "",
            "size": size if size is not None else len(text),
            "binary": True,
            "created_at": created,
            "modified_at": modified,
        }
    return {
        "text": text,
        "size": len(text.encode("utf-8")),
        "binary": False,
        "created_at": created,
        "modified_at": modified,
    }


def normalize_files(raw: Any) -> dict[str, dict[str, Any]]:
    """`values.files` as `{path: normalize_file(entry)}`, sorted by path, bad entries out."""
    if not isinstance(raw, Mapping):
        return {}
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(str(p) for p in raw):
        shown = normalize_file(raw.get(path))
        if shown is not None:
            files[path] = shown
    return files


def saved_entry(existing: Any, text: str, now: str) -> Any:
    """The stored form of `text` for a file whose current entry is `existing`.

    Keeps the agent's shape: a string stays a string, a list of lines stays lines, a
    dict keeps `created_at` and gets `modified_at = now`. A new file gets deepagents'
    current shape.
    """
    if isinstance(existing, str):
        return text
    if isinstance(existing, Mapping):
        entry = dict(existing)
        if isinstance(existing.get("content"), list):
            entry["content"] = text.split("\n")
        else:
            entry["content"] = text
            entry["encoding"] = "utf-8"
        entry.setdefault("created_at", now)
        entry["modified_at"] = now
        return entry
    return {"content": text, "encoding": "utf-8", "created_at": now, "modified_at": now}


def file_update(files: Any, path: str, text: str, now: str) -> dict[str, Any]:
    """The state update saving `text` at `path` (`now`: an ISO timestamp from the caller).

    Send it as `values` of `POST /threads/{id}/state`; the files reducer merges by path,
    so only this file is written.
    """
    existing = files.get(path) if isinstance(files, Mapping) else None
    return {"files": {path: saved_entry(existing, text, now)}}


def file_deletion(path: str) -> dict[str, Any]:
    """The state update deleting `path` (the files reducer drops `None` entries)."""
    return {"files": {path: None}}
