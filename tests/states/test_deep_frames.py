"""What a tab sends to the browser while a deep agent works: a subagent's token patches
only its own slot, the bytes per token stay under 1 KB and do not grow with the number
of subagents or files; panels are built from the stream's plain data. Scripted streams
(fake client) for the scaling, the real `deep` agent on the test server for the rest."""

from __future__ import annotations

import json
from typing import Any

from app.states.panel_publisher import PanelPublisher, slot_name
from app.states.panel_views import (
    MAX_SHOWN,
    answer_extras,
    file_kind,
    open_file_view,
    usage_label,
)
from app.states.publisher import Frame
from app.states.tab_sessions import TabSession
from app.stream import ThreadStream
from app.stream.listeners import ACTIVITY
from tests.states.test_session_real_stream import _follow as follow
from tests.stream.deep_fakes import delegation_to, make

ASK = "Write a short report on tide pools."


def frame_bytes(frame: Frame) -> int:
    """The size of what a frame writes (the websocket delta is about this plus names)."""
    return len(json.dumps({"live": frame.live, "panels": frame.panels,
                           "messages": frame.messages}, default=str))


async def scripted_bytes_per_token(subagents: int, files: int = 0) -> float:
    """Bytes of the frames sent after each subagent token, on average (a frame per
    token: the worst case; the pump sends at most one per 50 ms)."""
    stream, client = make(["task"])
    parts, final = delegation_to(subagents, tokens=30, files=files)
    client.runs.scripts = [parts]
    client.threads.state = {**client.threads.state, "values": final}
    session = TabSession(stream=stream, assistant_id="deep")
    stream.subscribe(session.on_change)
    sizes: list[int] = []
    stream.subscribe(lambda change: sizes.append(frame_bytes(session.next_frame()))
                     if change.scope == ACTIVITY else None)
    await stream.join_stream("run-1", "-1")
    tokens = subagents * 30
    return sum(sizes[-tokens:]) / tokens


async def test_bytes_per_subagent_token_do_not_grow_with_subagents_or_files():
    two = await scripted_bytes_per_token(2)
    six = await scripted_bytes_per_token(6)
    two_with_files = await scripted_bytes_per_token(2, files=300)
    assert two < 1024 and six < 1024
    assert six <= two * 1.1
    assert two_with_files <= two * 1.1


async def test_a_subagent_token_patches_only_its_slot():
    stream, client = make(["task"])
    parts, final = delegation_to(3, tokens=5)
    client.runs.scripts = [parts]
    client.threads.state = {**client.threads.state, "values": final}
    session = TabSession(stream=stream, assistant_id="deep")
    stream.subscribe(session.on_change)
    frames: list[Frame] = []
    stream.subscribe(lambda change: frames.append(session.next_frame())
                     if change.scope == ACTIVITY else None)
    await stream.join_stream("run-1", "-1")
    token_frames = frames[-15:]
    for number, frame in enumerate(token_frames):
        slot = slot_name(number % 3)
        assert set(frame.panels) == {slot} and frame.messages is None and not frame.live
        assert frame.panels[slot]["live_tail"].endswith(f"word{number // 3} ")


def test_panel_views_of_files_and_usage():
    assert file_kind("/a/report.md") == ("markdown", "markdown")
    assert file_kind("main.PY") == ("code", "python")
    big = open_file_view("/big.txt", {"text": "x" * (MAX_SHOWN * 3), "size": MAX_SHOWN * 3})
    assert len(big["open_text"]) == MAX_SHOWN and "download" in big["open_note"]
    assert big["open_editable"]
    binary = open_file_view("/a.png", {"text": "", "size": 2048, "binary": True})
    assert (binary["open_kind"], binary["open_editable"]) == ("binary", False)
    assert open_file_view("/gone", None)["open_kind"] == "missing"
    assert usage_label({"usage": {"input_tokens": 1200, "output_tokens": 34},
                        "time_to_first_token": 0.25, "tokens_per_second": 41.6}) == (
        "1,200 in · 34 out tokens · first token 0.25 s · 42 tokens/s")
    assert usage_label({"usage": None, "time_to_first_token": None}) == ""
    assert answer_extras(None) == {}  # a plain chat's message views keep their fields
    assert answer_extras({"reasoning": "Hm.", "thought_seconds": 4.4}) == {
        "reasoning": "Hm.", "reasoning_label": "Thought for 4 s"}


async def test_the_deep_agent_in_a_tab(api_url):
    stream = ThreadStream("deep", api_url)
    session = TabSession(stream=stream, assistant_id="deep")
    stream.subscribe(session.on_change)
    tokens: list[int] = []
    stream.subscribe(lambda change: tokens.append(1) if change.message_id or change.scope
                     else None)
    try:
        frames = await follow(session, stream.submit(
            ASK, config={"configurable": {"token_delay": 0.01}}, stream_resumable=True))
    finally:
        await stream.aclose()
    panels: dict[str, dict[str, Any]] = {}
    slot_texts: dict[str, str] = {}
    for frame in frames:
        for name, patch in frame.panels.items():
            panels.setdefault(name, {}).update(patch)
            if name.startswith("slot") and panels[name].get("card", {}).get("type"):
                kind = panels[name]["card"]["type"]
                text = panels[name].get("live_head", "") + panels[name].get("live_tail", "")
                slot_texts[kind] = slot_texts.get(kind, "") + "|" + text
    assert "Facts about tide pools" in slot_texts["researcher"]
    assert "Numbers about" not in slot_texts["researcher"]
    assert "Numbers about tide pools" in slot_texts["analyst"]
    assert "Facts about" not in slot_texts["analyst"]
    assert panels["plan"]["done"] == 2 and panels["plan"]["total"] == 4
    assert [f["path"] for f in panels["files"]["files"]] == ["/report.md"]
    assert panels["files"]["edit_blocked"].startswith("The agent is waiting")
    cards = panels["cards"]["cards"]
    assert [(c["type"], c["status"]) for c in cards] == [("researcher", "done"),
                                                         ("analyst", "done")]
    assert [m["role"] for m in cards[0]["messages"]] == ["assistant", "assistant"]
    assert all(not panels[slot_name(i)]["card"]["id"] for i in range(2))  # slots freed
    views = [m for f in frames if f.messages for m in f.messages][-6:]
    assert any(v.get("reasoning_label", "").startswith("Thought for") for v in views)
    assert any(v.get("usage") for v in views)
    total = sum(frame_bytes(f) for f in frames)
    assert total / len(tokens) < 1024


async def test_a_reopened_tab_rebuilds_the_panels_from_the_thread(api_url):
    stream = ThreadStream("deep", api_url)
    await stream.submit(ASK, config={"configurable": {"token_delay": 0.0}})
    thread_id = stream.thread_id
    await stream.aclose()
    again = ThreadStream("deep", api_url, thread_id=thread_id)
    session = TabSession(stream=again, assistant_id="deep")
    try:
        await again.load()
        panels = session.next_frame(full=True).panels
    finally:
        await again.aclose()
    assert panels["plan"]["done"] == 2
    assert [c["status"] for c in panels["cards"]["cards"]] == ["done", "done"]
    assert panels["cards"]["cards"][0]["result"].startswith("Facts about tide pools")
    publisher = PanelPublisher()
    publisher.open_path = "/report.md"
    opened = publisher.frame(again, full=True)["files"]
    assert opened["open_kind"] == "markdown" and opened["open_text"].startswith("# Report")
