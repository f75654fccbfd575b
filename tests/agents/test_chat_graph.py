"""`chat` on the real server: token streaming, configurable reply, regenerate."""

from __future__ import annotations

import json
from pathlib import Path

from agents.chat import MARKDOWN_SHOWCASE
from agents.starters import starters_json
from app.stream.starters import STARTERS_ENV, starters_from_env

ROOT = Path(__file__).resolve().parents[2]


def test_chat_streams_a_demo_reply_quoting_the_user(wire) -> None:
    thread = wire.thread()
    run = wire.ask(thread, "chat", "Hello there")
    tokens = run.tokens()
    reply = run.final_text
    assert len(tokens) > 5
    assert "".join(tokens) == reply
    assert "demo" in reply and '"Hello there"' in reply
    streamed_ids = {m["id"] for m, _ in run.named("messages")}
    assert streamed_ids == {run.last_values["messages"][-1]["id"]}
    assert {meta["langgraph_node"] for _, meta in run.named("messages")} == {"model"}
    assert run.events[0][0] == "metadata"


def test_chat_streams_the_configured_reply_and_token_count(wire) -> None:
    run = wire.ask(wire.thread(), "chat", "hi", configurable={"reply": "Exactly this text."})
    assert run.tokens() == ["Exactly ", "this ", "text."]
    assert run.final_text == "Exactly this text."
    long_run = wire.ask(wire.thread(), "chat", "hi", configurable={"tokens": 40, "token_delay": 0})
    assert len(long_run.tokens()) == 40
    stamped = wire.ask(wire.thread(), "chat", "hi",
                       configurable={"tokens": 3, "token_delay": 0, "stamp_tokens": True})
    assert [t.split("@")[0] for t in stamped.tokens()] == ["Long#0", "demo#1", "words.#2"]


def test_regenerate_gives_a_different_answer(wire) -> None:
    thread = wire.thread()
    first = wire.ask(thread, "chat", "Tell me something").final_text
    before_model = next(s for s in wire.history(thread) if s["next"] == ["model"])
    checkpoint = before_model["checkpoint"]["checkpoint_id"]
    second = wire.stream(thread, "chat", input=None, checkpoint={"checkpoint_id": checkpoint})
    assert second.final_text != first
    assert '"Tell me something"' in second.final_text and "attempt 2" in second.final_text
    third = wire.stream(thread, "chat", input=None, checkpoint={"checkpoint_id": checkpoint})
    assert "attempt 3" in third.final_text


def test_edited_message_branch_answers_the_new_text(wire) -> None:
    thread = wire.thread()
    wire.ask(thread, "chat", "first version")
    root = [s for s in wire.history(thread) if s["next"] == ["__start__"]][-1]
    checkpoint = root["checkpoint"]["checkpoint_id"]
    edited = wire.ask(thread, "chat", "second version", checkpoint={"checkpoint_id": checkpoint})
    texts = [m["content"] for m in edited.last_values["messages"]]
    assert texts[0] == "second version" and len(texts) == 2
    assert '"second version"' in texts[1] and "attempt" not in texts[1]


def test_asked_about_markdown_chat_shows_a_rich_sample(wire) -> None:
    run = wire.ask(wire.thread(), "chat", "Show me some markdown: a code block and a table.")
    reply = run.final_text
    assert reply == MARKDOWN_SHOWCASE
    assert "```python\n" in reply and "\n| demo assistant | what it shows |\n|---|---|\n" in reply
    assert "".join(run.tokens()) == reply  # streamed token by token, newlines kept


def test_the_demo_tour_is_valid_and_names_only_demo_graphs() -> None:
    configured = starters_from_env({STARTERS_ENV: starters_json()})
    graphs = set(json.loads((ROOT / "langgraph.json").read_text())["graphs"])
    assert set(configured) <= graphs
    tour = configured["chat"]
    assert {s.get("assistant") for s in tour} - {None} == {"agent", "question", "deep", "genui"}
    assert [s for s in tour if s.get("attach")] == [
        {"label": "Ask about an image", "prompt": "What is in this image?", "attach": True}]
    assert any("markdown" in s["prompt"] for s in tour)
