"""Starter prompts: configuration, assistant metadata (real server), order, validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.sdk import AgentClient
from app.stream.starters import (
    MAX_STARTERS,
    starter,
    starter_list,
    starters_for,
    starters_from_env,
)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Tell me a joke", {"label": "Tell me a joke", "prompt": "Tell me a joke"}),
        ({"label": "Trip", "prompt": "Plan 3 days in Porto"},
         {"label": "Trip", "prompt": "Plan 3 days in Porto"}),
        ({"prompt": "  Summarise\nthis  "},
         {"label": "Summarise this", "prompt": "Summarise\nthis"}),
        ("word " * 40, {"label": ("word " * 16).strip() + "…", "prompt": ("word " * 40).strip()}),
        ({"label": "no prompt"}, None),
        ("   ", None),
        ("x" * 2001, None),
        (42, None),
        ({"label": 3, "prompt": "ok"}, {"label": "ok", "prompt": "ok"}),
    ],
)
def test_starter(entry: Any, expected: dict[str, str] | None) -> None:
    assert starter(entry) == expected


def test_starter_list_skips_repeats_and_caps() -> None:
    entries = ["a", "a", None, *[f"p{i}" for i in range(10)]]
    assert [s["prompt"] for s in starter_list(entries)] == ["a", "p0", "p1", "p2", "p3", "p4"]
    assert len(starter_list(entries)) == MAX_STARTERS
    assert starter_list("not a list") == []


def test_configuration_from_env() -> None:
    assert starters_from_env({}) == {}
    assert starters_from_env({"LANGGRAPH_STARTERS": '["Hi"]'}) == {
        "*": [{"label": "Hi", "prompt": "Hi"}]
    }
    env = {"LANGGRAPH_STARTERS": json.dumps(
        {"chat": ["Hi", {"label": "Weather", "prompt": "Weather in Porto?"}], "*": ["Help"]})}
    configured = starters_from_env(env)
    assert [s["label"] for s in configured["chat"]] == ["Hi", "Weather"]
    for bad, message in [
        ("{not json", "must be JSON"),
        ('"just a string"', "must be a JSON list or object"),
        ('{"chat": "Hi"}', "the starters of 'chat' must be a list"),
        ('{"chat": ["ok", ""]}', "each starter of 'chat' must be"),
    ]:
        with pytest.raises(ValueError, match=f"^LANGGRAPH_STARTERS.*{message}"):
            starters_from_env({"LANGGRAPH_STARTERS": bad})


def test_which_list_applies() -> None:
    configured = {
        "asst-1": [{"label": "by id", "prompt": "by id"}],
        "agent": [{"label": "by graph", "prompt": "by graph"}],
        "*": [{"label": "default", "prompt": "default"}],
    }
    meta = {"starters": ["from metadata"]}

    def labels(**kwargs: Any) -> list[str]:
        return [s["label"] for s in starters_for(configured, **kwargs)]

    assert labels(assistant_id="asst-1", graph_id="agent", metadata=meta) == ["by id"]
    assert labels(assistant_id="asst-2", graph_id="agent", metadata=meta) == ["by graph"]
    assert labels(assistant_id="asst-2", graph_id="chat", metadata=meta) == ["from metadata"]
    assert labels(assistant_id="asst-2", graph_id="chat") == ["default"]
    assert labels(assistant_id="x", metadata={"starters": [5, ""]}) == ["default"]
    assert starters_for({}, assistant_id="x") == []


async def test_starters_from_an_assistants_metadata(api_url: str) -> None:
    prompts = ["What is the weather in Porto?", {"label": "Rome", "prompt": "Weather in Rome"}]
    async with AgentClient(api_url) as client:
        created = (await client.transport.request_json("POST", "/assistants", json_body={
            "graph_id": "genui", "name": "Weather helper", "metadata": {"starters": prompts},
        }))["assistant_id"]
        assistant = await client.assistants.get(created)
        shown = starters_for(starters_from_env({}), assistant_id=assistant.assistant_id,
                             graph_id=assistant.graph_id, metadata=assistant.metadata)
        assert shown == [
            {"label": "What is the weather in Porto?", "prompt": "What is the weather in Porto?"},
            {"label": "Rome", "prompt": "Weather in Rome"},
        ]
        configured = starters_from_env({"LANGGRAPH_STARTERS": '{"genui": ["Configured"]}'})
        assert [s["prompt"] for s in starters_for(
            configured, assistant_id=assistant.assistant_id, graph_id=assistant.graph_id,
            metadata=assistant.metadata)] == ["Configured"]
