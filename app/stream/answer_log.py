"""How long answers took, kept in the thread's metadata so it survives a reload.

A thread's state holds each answer's reasoning and usage but not how long the model
thought, how soon its first token came or how fast it streamed. After a run that
streamed answers with reasoning or usage, the chat records those figures under
`metadata["answers"]` (`[{"id", "thought_s", "ttft_s", "tokens_per_s", "duration_s"}]`,
the newest `MAX_ANSWERS`); opening a thread whose answers have reasoning or usage reads
them back (one small request, without the thread's values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.stream.thread_metadata import listed, read_metadata, update_list

ANSWERS_KEY = "answers"
MAX_ANSWERS = 100
FIGURES = ("thought_s", "ttft_s", "tokens_per_s", "duration_s")


def answer_entry(message_id: str, figures: Mapping[str, Any]) -> dict[str, Any] | None:
    """One record: the message id and its known figures, rounded (None when none known)."""
    entry: dict[str, Any] = {"id": message_id}
    for name in FIGURES:
        value = figures.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            entry[name] = round(float(value), 3)
    return entry if len(entry) > 1 else None


def recorded_answers(entries: Iterable[Any]) -> dict[str, dict[str, float]]:
    """Message id -> its recorded figures (malformed entries skipped)."""
    found: dict[str, dict[str, float]] = {}
    for item in entries:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue
        entry = answer_entry(item["id"], item)
        if entry is not None:
            found[item["id"]] = {k: v for k, v in entry.items() if k != "id"}
    return found


def with_answers(kept: list[Any], new: Iterable[Mapping[str, Any]],
                 limit: int = MAX_ANSWERS) -> list[Any]:
    """`kept` with the `new` records added last (one record per message id, the newest
    `limit` kept)."""
    added = [dict(item) for item in new]
    ids = {item["id"] for item in added}
    merged = [item for item in kept if not (isinstance(item, Mapping) and item.get("id") in ids)]
    merged.extend(added)
    return merged[-limit:]


async def read_answers(threads: Any, thread_id: str) -> dict[str, dict[str, float]]:
    """The figures recorded on a thread, by message id."""
    return recorded_answers(listed(await read_metadata(threads, thread_id), ANSWERS_KEY))


async def record_answers(threads: Any, thread_id: str,
                         entries: list[dict[str, Any]]) -> None:
    """Add records to the thread's metadata (nothing is written when there are none)."""
    if entries:
        await update_list(threads, thread_id, ANSWERS_KEY,
                          lambda kept: with_answers(kept, entries))
