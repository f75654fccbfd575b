"""Stream-level pieces of the chat features: attachments kept through an edit and read back
one by one, sizes checked before reading, file-only messages' text and titles, starters
that switch assistant or ask for a file, and stream modes learned once per server."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from app.sdk import AgentClient
from app.stream import ThreadStream
from app.stream.attachments import (
    MB,
    Attachment,
    AttachmentError,
    AttachmentLimits,
    attachment_blocks,
    attachment_payload,
    message_content,
    with_text,
)
from app.stream.messages import content_text, thread_title
from app.stream.starters import starter, starter_list, starters_from_env
from app.stream.ui_messages import custom_event_handler
from tests.samples import image_bytes, pdf_bytes
from tests.stream.conftest import chat_config

PHOTO = image_bytes("png", 30, 20)
FILES = [Attachment("photo.png", "image/png", PHOTO),
         Attachment("doc.pdf", "application/pdf", pdf_bytes())]


def test_size_is_checked_before_the_file_is_read() -> None:
    limits = AttachmentLimits(max_file_bytes=2 * MB)
    limits.check_size("small.png", 2 * MB)
    with pytest.raises(AttachmentError, match=r"^big.png is 2 MB; the limit is 2 MB per file"):
        limits.check_size("big.png", 2 * MB + 1)  # "2 MB" rounded: the limit still says why


def test_an_edit_keeps_the_attachments() -> None:
    content = message_content("Look at these", FILES)
    assert [b["type"] for b in attachment_blocks(content)] == ["image", "file"]
    edited = with_text(content, "Look again")
    assert edited[0] == {"type": "text", "text": "Look again"}
    assert edited[1:] == content[1:]
    assert with_text(content, "  ") == content[1:]  # only the files
    assert with_text("plain text", "new") == "new"
    assert attachment_blocks("plain") == [] and attachment_blocks([{"type": "text"}]) == []


def test_attachments_are_read_back_one_by_one() -> None:
    message = {"type": "human", "content": message_content("x", FILES)}
    view, payload = attachment_payload(message, 0)
    assert view["name"] == "photo.png" and base64.b64decode(payload) == PHOTO
    view, payload = attachment_payload(message, 1)
    assert view["mime_type"] == "application/pdf" and base64.b64decode(payload)[:5] == b"%PDF-"
    assert attachment_payload(message, 2) is None
    remote = {"content": [{"type": "image", "url": "https://example.com/a.png"}]}
    assert attachment_payload(remote, 0)[1] == ""  # not stored in the thread


def test_files_are_not_text_but_name_a_title() -> None:
    content = message_content("", FILES)
    assert content_text(content) == ""
    assert content_text(message_content("Hi", FILES)) == "Hi"
    assert thread_title([{"type": "human", "content": content}]) == "photo.png, doc.pdf"
    assert thread_title([{"type": "human", "content": message_content("Hi", FILES)}]) == "Hi"


def test_starters_may_switch_assistant_or_ask_for_a_file() -> None:
    assert starter({"label": "Weather", "prompt": "Weather in Porto?", "assistant": "genui"}) \
        == {"label": "Weather", "prompt": "Weather in Porto?", "assistant": "genui"}
    assert starter({"prompt": "What is in this image?", "attach": True}) == {
        "label": "What is in this image?", "prompt": "What is in this image?", "attach": True}
    assert starter({"prompt": "x", "attach": "yes"}) == {"label": "x", "prompt": "x"}
    assert starter({"prompt": "x", "assistant": "not an id!"}) is None
    assert starter_list([{"prompt": "x", "assistant": 3}, "y"]) == [
        {"label": "y", "prompt": "y"}]
    with pytest.raises(ValueError, match="optional \"assistant\" id"):
        starters_from_env({"LANGGRAPH_STARTERS": '[{"prompt": "x", "assistant": "a b"}]'})


async def test_stream_modes_are_learned_once_per_server(api_url: str) -> None:
    """Every chat tab asks for `custom` (generative UI): the server's modes are read from
    its OpenAPI once, not once per tab."""
    async with AgentClient(api_url) as client:
        asked: list[str] = []
        real = client.transport.request_json

        async def counting(method: str, path: str, **options: Any) -> Any:
            asked.append(path)
            return await real(method, path, **options)

        client.transport.request_json = counting  # type: ignore[method-assign]
        for _ in range(3):
            stream = ThreadStream("chat", client=client, on_custom_event=custom_event_handler())
            await stream.submit("hi", config=chat_config("ok"))
            assert stream.messages[-1]["content"] == "ok"
        assert asked.count("/openapi.json") == 1
