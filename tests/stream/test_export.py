"""Thread export as Markdown and JSON: a hand-written thread (exact output) and real
threads read from the server (attachments, tool calls, feedback)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from app.sdk import AgentClient
from app.stream.attachments import add_attachments, message_content
from app.stream.export import export_filename, thread_json, thread_markdown
from app.stream.feedback import feedback_record, save_feedback, save_update
from tests.samples import image_bytes, pdf_bytes

NOW = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
PNG = image_bytes("png", 8, 8)
PNG64 = base64.b64encode(PNG).decode()

THREAD = [
    {"type": "human", "id": "h1", "content": [
        {"type": "text", "text": "Weather in Porto?"},
        {"type": "image", "base64": PNG64, "mime_type": "image/png",
         "metadata": {"name": "sky.png"}},
    ]},
    {"type": "ai", "id": "a1", "content": "", "tool_calls": [
        {"id": "c1", "name": "get_weather", "args": {"city": "Porto"}, "type": "tool_call"}]},
    {"type": "tool", "id": "t1", "name": "get_weather", "tool_call_id": "c1",
     "content": "```sunny```, 24 °C"},
    {"type": "ai", "id": "a2", "content": "It is **sunny** in Porto."},
]
METADATA = {
    "graph_id": "chat",
    **save_update(feedback_record("a2", "down", "Too short", by="ana", now=NOW)),
}


def test_markdown_of_a_thread() -> None:
    text = thread_markdown("Porto weather", THREAD, thread_id="t-1", metadata=METADATA,
                           exported_at=NOW)
    assert text == f"""# Porto weather

Thread `t-1` · Exported 2026-05-01T12:30:00+00:00

## User

Weather in Porto?

Attachments:
- sky.png (image/png, {len(PNG)} B)

## Assistant

Tool call `get_weather`:

```json
{{
  "city": "Porto"
}}
```

## Tool result: `get_weather`

````
```sunny```, 24 °C
````

## Assistant

It is **sunny** in Porto.

> Feedback: 👎 not helpful "Too short" (ana, 2026-05-01T12:30:00+00:00)
"""


def test_json_of_a_thread_with_and_without_files() -> None:
    full = json.loads(thread_json("Porto weather", THREAD, thread_id="t-1", metadata=METADATA,
                                  ui=[{"type": "ui", "id": "u1", "name": "weather",
                                       "props": {}, "metadata": {"message_id": "a2"}}],
                                  exported_at=NOW))
    assert full["format"] == "langgraph-reflex-chat/thread" and full["version"] == 1
    assert (full["thread_id"], full["title"], full["exported_at"]) == (
        "t-1", "Porto weather", "2026-05-01T12:30:00+00:00")
    assert full["messages"] == THREAD
    assert full["feedback"]["a2"]["comment"] == "Too short" and list(full["feedback"]) == ["a2"]
    assert full["ui"][0]["id"] == "u1"
    slim = json.loads(thread_json("x", THREAD, include_files=False))
    assert slim["messages"][0]["content"][1] == {
        "type": "image", "base64": {"omitted_bytes": len(PNG)}, "mime_type": "image/png",
        "metadata": {"name": "sky.png"}}
    assert slim["messages"][1:] == THREAD[1:]
    assert slim["feedback"] == {} and slim["ui"] == []


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG64}"}},
        {"type": "image_url", "image_url": f"data:image/png;base64,{PNG64}"},
        {"type": "image", "source_type": "base64", "data": PNG64, "mime_type": "image/png"},
        {"type": "file",
         "file": {"filename": "a.png", "file_data": f"data:image/png;base64,{PNG64}"}},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG64}},
    ],
)
def test_json_without_files_drops_every_payload_shape(block: dict) -> None:
    slim = thread_json("x", [{"type": "human", "id": "h", "content": [block]}],
                       include_files=False)
    assert PNG64 not in slim and f'"omitted_bytes": {len(PNG)}' in slim


@pytest.mark.parametrize(
    ("title", "name"),
    [("Weather in Porto?", "weather-in-porto.md"), ("Čau, světe!", "cau-svete.md"),
     ("", "chat.md"), ("../../etc", "etc.md"), ("x" * 100, "x" * 60 + ".md")],
)
def test_export_filename(title: str, name: str) -> None:
    assert export_filename(title, "md") == name


async def test_export_real_threads(api_url: str) -> None:
    async with AgentClient(api_url) as client:
        thread = await client.threads.create(metadata={"title": "Files and tools"})
        tid = thread.thread_id
        files, _ = add_attachments([], [("scan.pdf", pdf_bytes()), ("sky.png", PNG)])
        message = {"type": "human", "content": message_content("What are these?", files)}
        async with client.runs.stream(tid, "chat", input={"messages": [message]},
                                      config={"configurable": {"token_delay": 0}}) as stream:
            async for _ in stream:
                pass
        state = await client.threads.get_state(tid)
        answer = state.values["messages"][-1]
        await save_feedback(client.threads, tid,
                            feedback_record(answer["id"], "up", "Spot on", by="bo", now=NOW))
        metadata = (await client.threads.get(tid)).metadata

        text = thread_markdown("Files and tools", state.values["messages"], thread_id=tid,
                               metadata=metadata)
        assert "## User\n\nWhat are these?\n\nAttachments:\n- scan.pdf (application/pdf, " in text
        assert "- sky.png (image/png, " in text and PNG64 not in text
        assert f"## Assistant\n\n{answer['content']}" in text
        assert '> Feedback: 👍 helpful "Spot on" (bo, 2026-05-01T12:30:00+00:00)' in text
        exported = json.loads(thread_json("Files and tools", state.values["messages"],
                                          thread_id=tid, metadata=metadata))
        assert exported["messages"] == state.values["messages"]
        assert exported["feedback"][answer["id"]]["rating"] == "up"

        # A thread with a tool call and its result.
        tool_thread = (await client.threads.create()).thread_id
        async with client.runs.stream(tool_thread, "slow_tool",
                                      input={"messages": [{"type": "human", "content": "go"}]},
                                      config={"configurable": {"token_delay": 0}}) as stream:
            async for _ in stream:
                pass
        values = (await client.threads.get_state(tool_thread)).values
        text = thread_markdown("Tools", values["messages"])
        assert "Tool call `write_document`:\n\n```json\n{" in text
        assert "## Tool result: `write_document`" in text
