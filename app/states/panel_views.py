"""A deep agent's plan, files, subagents, reasoning and usage as the small flat dicts the
panels render (pure: no Reflex; the data comes from `ThreadStream` as plain data).

Every text that reaches the browser here is bounded: a subagent message or tool
argument is cut at `MAX_TEXT`, a file's shown text at `MAX_SHOWN` (the rest is
downloaded or edited, never rendered at once), and nothing holds a file's content but
the open file's view.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from app.states.message_view import to_view
from app.stream.messages import content_text, message_type
from app.stream.reasoning import reasoning_text

MAX_TEXT = 4_000  # characters of one subagent message, tool argument or result
MAX_SHOWN = 20_000  # characters of a file rendered in its dialog (highlighted or markdown)
MAX_EDIT = 1_000_000  # characters of a file that can be edited in the browser
STATUS_LABELS = {"pending": "pending", "in_progress": "in progress", "completed": "completed"}
LANGUAGES = {
    "py": "python", "js": "javascript", "jsx": "jsx", "ts": "typescript", "tsx": "tsx",
    "json": "json", "md": "markdown", "markdown": "markdown", "html": "markup", "xml": "markup",
    "css": "css", "sh": "bash", "bash": "bash", "yaml": "yaml", "yml": "yaml", "toml": "toml",
    "sql": "sql", "go": "go", "rs": "rust", "java": "java", "c": "c", "h": "c", "cpp": "cpp",
    "rb": "ruby", "csv": "csv", "ini": "ini", "txt": "text",
}


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """`text` cut to `limit` characters, marked when cut."""
    return text if len(text) <= limit else text[:limit] + "\n… (cut)"


def seconds_label(seconds: float | None) -> str:
    """"4 s", "1 min 5 s" ("" when unknown)."""
    if seconds is None:
        return ""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    return f"{whole // 60} min {whole % 60} s"


def size_label(size: int) -> str:
    """A byte count as people read it: "512 B", "1.2 KB", "3.4 MB"."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# -- plan and files -------------------------------------------------------------------


def plan_view(todos: list[Mapping[str, Any]], progress: Mapping[str, Any]) -> dict[str, Any]:
    """The Plan panel: each todo with its status label, and "done / total"."""
    return {
        "todos": [{"content": str(t["content"]), "status": str(t["status"]),
                   "label": STATUS_LABELS.get(str(t["status"]), str(t["status"]))}
                  for t in todos],
        "done": int(progress["completed"]),
        "total": int(progress["total"]),
    }


def file_kind(path: str) -> tuple[str, str]:
    """How a file is shown: ("markdown", "markdown") or ("code", <language>)."""
    extension = posixpath.splitext(path)[1].lstrip(".").lower()
    language = LANGUAGES.get(extension, "text")
    return ("markdown" if language == "markdown" else "code"), language


def files_view(files: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """The Files panel: one row per path (no content)."""
    return [{"path": path, "size": size_label(int(f["size"]))} for path, f in files.items()]


def open_file_view(path: str, entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """The open file's dialog: its shown text (cut at `MAX_SHOWN`), how to show it and
    whether it can be edited here."""
    if entry is None:
        return {"open_text": "", "open_kind": "missing", "open_language": "text",
                "open_note": "This file is not in the thread's state any more.",
                "open_editable": False}
    kind, language = file_kind(path)
    text = str(entry.get("text") or "")
    note = ""
    if entry.get("binary"):
        kind, note = "binary", f"A binary file ({size_label(int(entry['size']))})."
    elif len(text) > MAX_SHOWN:
        note = (f"Showing the first {size_label(MAX_SHOWN)} of {size_label(int(entry['size']))}:"
                " download the file for all of it.")
    editable = not entry.get("binary") and len(text) <= MAX_EDIT
    return {"open_text": text[:MAX_SHOWN], "open_kind": kind, "open_language": language,
            "open_note": note, "open_editable": editable}


# -- answers ----------------------------------------------------------------------------


def thought_label(seconds: float | None) -> str:
    """The folded reasoning block's name: "Thought for 4 s" (or "Thought")."""
    label = seconds_label(seconds)
    return f"Thought for {label}" if label else "Thought"


def usage_label(details: Mapping[str, Any] | None) -> str:
    """One line under an answer: tokens in/out, time to first token, tokens per second."""
    if not details:
        return ""
    parts: list[str] = []
    usage = details.get("usage")
    if usage:
        parts.append(f"{usage['input_tokens']:,} in · {usage['output_tokens']:,} out tokens")
    ttft = details.get("time_to_first_token")
    if ttft is not None:
        parts.append(f"first token {ttft:.2f} s")
    rate = details.get("tokens_per_second")
    if rate:
        parts.append(f"{rate:,.0f} tokens/s")
    return " · ".join(parts)


def answer_extras(details: Mapping[str, Any] | None) -> dict[str, str]:
    """What a finished answer's bubble adds: its reasoning, the block's name, usage (only
    the fields that are not empty: a plain chat's message views stay as they were)."""
    reasoning = str((details or {}).get("reasoning") or "")
    extras = {"usage": usage_label(details)}
    if reasoning:
        extras.update(reasoning=reasoning,
                      reasoning_label=thought_label((details or {}).get("thought_seconds")))
    return {key: value for key, value in extras.items() if value}


def totals_view(totals: Mapping[str, Any]) -> dict[str, str]:
    """The thread's usage for its details ("" when no answer reported usage)."""
    if not totals.get("answers"):
        return {"tokens": "", "answers": ""}
    return {"tokens": f"{totals['input_tokens']:,} in · {totals['output_tokens']:,} out "
                      f"· {totals['total_tokens']:,} total",
            "answers": f"{totals['answers']} answers with usage"}


# -- subagents ----------------------------------------------------------------------------


def subagent_header(sub: Mapping[str, Any], now: float | None) -> dict[str, str]:
    """A subagent card's header: type, description, status and elapsed time."""
    status = str(sub.get("status") or "pending")
    started, ended = sub.get("started_at"), sub.get("ended_at")
    elapsed = None
    if started is not None:
        end = ended if ended is not None else now
        elapsed = max(0.0, end - started) if end is not None else None
    return {
        "id": str(sub["id"]),
        "type": str(sub.get("subagent_type") or "subagent"),
        "description": cut(str(sub.get("description") or ""), 600),
        "status": status,
        "elapsed": seconds_label(elapsed),
        "ai_message_id": str(sub.get("ai_message_id") or ""),
        "result": cut(str(sub.get("result") or "")) if not sub.get("messages") else "",
    }


def _capped(view: dict[str, Any]) -> dict[str, Any]:
    view["text"] = cut(view["text"])
    for call in view["tool_calls"]:
        call["args"], call["result"] = cut(call["args"]), cut(call["result"])
    return view


def subagent_views(messages: list[Mapping[str, Any]], *, live: bool) -> tuple[
        list[dict[str, Any]], Mapping[str, Any] | None]:
    """A subagent's finished message views (its task prompt left out: the header says it)
    and, when `live`, the message still streaming (its last AI message)."""
    shown = list(messages)
    if shown and message_type(shown[0]) == "human":
        shown = shown[1:]
    streaming = None
    if live and shown and message_type(shown[-1]) == "ai":
        streaming = shown.pop()
    return [_capped(v) for v in to_view(shown)], streaming


def live_text(message: Mapping[str, Any]) -> tuple[str, bool]:
    """What a streaming message shows: its answer text, or its reasoning while it only
    thinks (then True)."""
    text = content_text(message.get("content"))
    if text:
        return text, False
    return reasoning_text(message), True
