"""Starter prompts shown on an empty chat, per assistant.

From configuration, `LANGGRAPH_STARTERS` (JSON): a list for every assistant, or an object
keyed by assistant id or graph id ("*" for the rest), e.g.
`{"chat": ["Tell me a joke", {"label": "Plan a trip", "prompt": "Plan 3 days in Porto"}]}`.
Or from the assistant itself: `metadata.starters`, a list of the same form (set when
the assistant is created or updated on the server).

Which list applies: configuration for the assistant id, then for its graph id, then the
assistant's metadata, then configuration "*"; else none. Each starter is
`{"label", "prompt"}` (a plain string is both; a missing label is the prompt,
shortened). At most `MAX_STARTERS` are kept; a bad configuration raises ValueError naming
the variable, while bad entries in an assistant's metadata are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

STARTERS_ENV = "LANGGRAPH_STARTERS"
METADATA_KEY = "starters"
ANY_ASSISTANT = "*"
MAX_STARTERS = 6
MAX_LABEL = 80
MAX_PROMPT = 2000

Starter = dict[str, str]


def _label_of(prompt: str) -> str:
    flat = " ".join(prompt.split())
    return flat if len(flat) <= MAX_LABEL else flat[: MAX_LABEL - 1].rstrip() + "…"


def starter(entry: Any) -> Starter | None:
    """One starter as `{"label", "prompt"}`, or None when `entry` is not one."""
    if isinstance(entry, str):
        prompt, label = entry, ""
    elif isinstance(entry, Mapping):
        prompt = entry.get("prompt") if isinstance(entry.get("prompt"), str) else ""
        label = entry.get("label") if isinstance(entry.get("label"), str) else ""
    else:
        return None
    prompt = prompt.strip()
    if not prompt or len(prompt) > MAX_PROMPT:
        return None
    label = " ".join(label.split())[:MAX_LABEL] or _label_of(prompt)
    return {"label": label, "prompt": prompt}


def starter_list(entries: Any) -> list[Starter]:
    """The valid starters of a list (others skipped), each prompt once, at most
    `MAX_STARTERS`."""
    found: list[Starter] = []
    seen: set[str] = set()
    for entry in entries if isinstance(entries, list) else ():
        item = starter(entry)
        if item is not None and item["prompt"] not in seen:
            seen.add(item["prompt"])
            found.append(item)
    return found[:MAX_STARTERS]


def starters_from_env(environ: Mapping[str, str]) -> dict[str, list[Starter]]:
    """`LANGGRAPH_STARTERS` as {assistant or graph id or "*": starters} ({} when unset);
    ValueError names the variable when it is not valid."""
    raw = (environ.get(STARTERS_ENV) or "").strip()
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise ValueError(
            f"{STARTERS_ENV} must be JSON: a list of prompts, or an object mapping "
            'assistant ids to lists (e.g. {"chat": ["Tell me a joke"]})'
        ) from None
    if isinstance(parsed, list):
        parsed = {ANY_ASSISTANT: parsed}
    if not isinstance(parsed, dict):
        raise ValueError(f"{STARTERS_ENV} must be a JSON list or object")
    found: dict[str, list[Starter]] = {}
    for key, entries in parsed.items():
        if not isinstance(entries, list):
            raise ValueError(f"{STARTERS_ENV}: the starters of {key!r} must be a list")
        kept = starter_list(entries)
        if len(kept) < min(len(entries), MAX_STARTERS):
            raise ValueError(
                f"{STARTERS_ENV}: each starter of {key!r} must be a non-empty prompt of at "
                f"most {MAX_PROMPT} characters, or {{\"label\", \"prompt\"}}"
            )
        found[str(key)] = kept
    return found


def starters_for(
    configured: Mapping[str, list[Starter]],
    *,
    assistant_id: str = "",
    graph_id: str = "",
    metadata: Mapping[str, Any] | None = None,
) -> list[Starter]:
    """The starters to show for an assistant (see the module doc for the order)."""
    for key in (assistant_id, graph_id):
        if key and key in configured:
            return list(configured[key])
    from_metadata = starter_list((metadata or {}).get(METADATA_KEY))
    if from_metadata:
        return from_metadata
    return list(configured.get(ANY_ASSISTANT, []))
