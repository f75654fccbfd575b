"""Attachments: type by content, limits with clear messages, the blocks sent, and every
stored shape read back for display."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from app.stream.attachments import (
    MB,
    Attachment,
    AttachmentError,
    AttachmentLimits,
    add_attachments,
    attachment_view,
    attachment_views,
    clean_name,
    decoded_size,
    format_size,
    message_content,
    sniff_type,
)
from tests.samples import image_bytes, pdf_bytes

PNG = image_bytes("png")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (image_bytes("png"), "image/png"),
        (image_bytes("jpeg"), "image/jpeg"),
        (image_bytes("jpeg", progressive=True), "image/jpeg"),
        (image_bytes("gif"), "image/gif"),
        (image_bytes("webp"), "image/webp"),
        (image_bytes("webp", lossless=True), "image/webp"),
        (pdf_bytes(), "application/pdf"),
        (b"\n\n%PDF-1.7\n...", "application/pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"<html><script>alert(1)</script>", None),
        (b"MZ\x90\x00", None),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_type_comes_from_the_content(data: bytes, expected: str | None) -> None:
    assert sniff_type(data) == expected


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1 KB"), (12_800, "12.5 KB"), (10 * MB, "10 MB"),
     (int(12.3 * MB), "12.3 MB"), (3 * 1024 * MB, "3 GB")],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


def test_too_large_file_names_the_file_and_the_limit() -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * int(12.3 * MB)
    with pytest.raises(AttachmentError) as caught:
        AttachmentLimits().check_file("photo.png", data)
    assert str(caught.value) == "photo.png is 12.3 MB; the limit is 10 MB per file"


def test_unsupported_file_says_what_is_accepted() -> None:
    with pytest.raises(AttachmentError, match="notes.txt is not a supported file: attach PNG"):
        AttachmentLimits().check_file("notes.txt", b"hello")


def test_a_renamed_file_is_judged_by_its_content() -> None:
    kept, errors = add_attachments([], [("report.png", pdf_bytes()), ("page.html", PNG),
                                        ("evil.png", b"<script>alert(1)</script>")])
    assert [(a.name, a.mime_type, a.kind) for a in kept] == [
        ("report.png", "application/pdf", "file"),
        ("page.html", "image/png", "image"),
    ]
    assert errors == ["evil.png is not a supported file: attach PNG, JPEG, GIF or WebP images "
                      "or PDF documents"]


def test_count_and_total_limits() -> None:
    limits = AttachmentLimits(max_file_bytes=MB, max_files=2, max_total_bytes=int(1.5 * MB))
    big = b"%PDF-" + b"x" * (MB - 10)
    kept, errors = add_attachments([], [("a.pdf", big), ("b.png", PNG), ("c.png", PNG)], limits)
    assert [a.name for a in kept] == ["a.pdf", "b.png"]
    assert errors == ["c.png was not added: a message can carry at most 2 files"]
    kept, errors = add_attachments(kept[:1], [("d.pdf", big)], limits)
    assert [a.name for a in kept] == ["a.pdf"]
    assert errors == [
        "d.pdf was not added: the files would add up to 2 MB; the limit is 1.5 MB per message"
    ]


def test_limits_from_environment() -> None:
    assert AttachmentLimits.from_env({}) == AttachmentLimits()
    limits = AttachmentLimits.from_env(
        {"ATTACHMENT_MAX_FILE_MB": "2.5", "ATTACHMENT_MAX_FILES": "3",
         "ATTACHMENT_MAX_TOTAL_MB": " 8 "}
    )
    assert limits == AttachmentLimits(max_file_bytes=int(2.5 * MB), max_files=3,
                                      max_total_bytes=8 * MB)
    for variable, value in [("ATTACHMENT_MAX_FILE_MB", "ten"), ("ATTACHMENT_MAX_FILES", "0"),
                            ("ATTACHMENT_MAX_FILES", "1.5"), ("ATTACHMENT_MAX_TOTAL_MB", "-1")]:
        with pytest.raises(ValueError, match=f"^{variable} must be"):
            AttachmentLimits.from_env({variable: value})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("photo.png", "photo.png"), ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
     ("../../etc/passwd", "passwd"), ("a\x00b\nc.png", "abc.png"), ("", "file"),
     ("x" * 500, "x" * 200)],
)
def test_clean_name(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


def test_blocks_sent_are_standard_content_blocks() -> None:
    kept, _ = add_attachments([], [("cat.png", PNG), ("doc.pdf", pdf_bytes())])
    content = message_content("What is this?", kept)
    assert content == [
        {"type": "text", "text": "What is this?"},
        {"type": "image", "base64": base64.b64encode(PNG).decode(), "mime_type": "image/png",
         "metadata": {"name": "cat.png"}},
        {"type": "file", "base64": base64.b64encode(pdf_bytes()).decode(),
         "mime_type": "application/pdf", "metadata": {"filename": "doc.pdf"}},
    ]
    assert message_content("just text", []) == "just text"
    assert [b["type"] for b in message_content("  ", kept)] == ["image", "file"]


def test_blocks_are_read_by_langchain_core() -> None:
    """The sent blocks are standard: langchain-core's own message class understands them."""
    from langchain_core.messages import HumanMessage

    kept, _ = add_attachments([], [("cat.png", PNG), ("doc.pdf", pdf_bytes())])
    blocks = HumanMessage(content=message_content("hi", kept)).content_blocks
    assert [(b["type"], b.get("mime_type")) for b in blocks] == [
        ("text", None), ("image", "image/png"), ("file", "application/pdf")
    ]


def test_view_before_sending_matches_view_after_reload() -> None:
    attachment = Attachment(name="cat.png", mime_type="image/png", data=PNG)
    assert attachment.view() == attachment_view(attachment.block())
    assert attachment.view()["url"].startswith("data:image/png;base64,iVBORw0KGgo")


PNG64 = base64.b64encode(PNG).decode()
PDF64 = base64.b64encode(pdf_bytes()).decode()
SVG64 = base64.b64encode(b"<svg onload='alert(1)'/>").decode()
HTML64 = base64.b64encode(b"<script>alert(1)</script>").decode()

VIEW_CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = [
    ("standard image",
     {"type": "image", "base64": PNG64, "mime_type": "image/png", "metadata": {"name": "a.png"}},
     {"kind": "image", "name": "a.png", "mime_type": "image/png", "size": len(PNG),
      "url": f"data:image/png;base64,{PNG64}"}),
    ("older image form",
     {"type": "image", "source_type": "base64", "data": PNG64, "mime_type": "image/png"},
     {"kind": "image", "name": "image", "mime_type": "image/png", "size": len(PNG),
      "url": f"data:image/png;base64,{PNG64}"}),
    ("openai image_url data URL",
     {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG64}"}},
     {"kind": "image", "name": "image", "mime_type": "image/png", "size": len(PNG),
      "url": f"data:image/png;base64,{PNG64}"}),
    ("openai image_url remote",
     {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
     {"kind": "image", "name": "image", "mime_type": "", "size": -1,
      "url": "https://example.com/cat.jpg"}),
    ("openai image_url as a plain string",
     {"type": "image_url", "image_url": "https://example.com/dog.jpg"},
     {"kind": "image", "name": "image", "mime_type": "", "size": -1,
      "url": "https://example.com/dog.jpg"}),
    ("standard url image",
     {"type": "image", "url": "https://example.com/x.webp", "mime_type": "image/webp"},
     {"kind": "image", "name": "image", "mime_type": "image/webp", "size": -1,
      "url": "https://example.com/x.webp"}),
    ("standard pdf",
     {"type": "file", "base64": PDF64, "mime_type": "application/pdf",
      "metadata": {"filename": "r.pdf"}},
     {"kind": "file", "name": "r.pdf", "mime_type": "application/pdf",
      "size": len(pdf_bytes()), "url": ""}),
    ("older file form",
     {"type": "file", "source_type": "base64", "data": PDF64, "mime_type": "application/pdf",
      "filename": "old.pdf"},
     {"kind": "file", "name": "old.pdf", "mime_type": "application/pdf",
      "size": len(pdf_bytes()), "url": ""}),
    ("openai file",
     {"type": "file", "file": {"filename": "o.pdf",
                               "file_data": f"data:application/pdf;base64,{PDF64}"}},
     {"kind": "file", "name": "o.pdf", "mime_type": "application/pdf",
      "size": len(pdf_bytes()), "url": ""}),
    ("anthropic image",
     {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG64}},
     {"kind": "image", "name": "image", "mime_type": "image/png", "size": len(PNG),
      "url": f"data:image/png;base64,{PNG64}"}),
    ("anthropic document",
     {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                     "data": PDF64}, "title": "Spec"},
     {"kind": "file", "name": "Spec", "mime_type": "application/pdf",
      "size": len(pdf_bytes()), "url": ""}),
    ("svg is never an image source",
     {"type": "image", "base64": SVG64, "mime_type": "image/svg+xml"},
     {"kind": "file", "name": "document", "mime_type": "image/svg+xml",
      "size": 24, "url": ""}),
    ("a claimed png holding html gets no url",
     {"type": "image", "base64": HTML64, "mime_type": "image/png", "metadata": {"name": "x.png"}},
     {"kind": "image", "name": "x.png", "mime_type": "image/png", "size": 25, "url": ""}),
    ("javascript url is dropped",
     {"type": "image_url", "image_url": {"url": "javascript:alert(1)"}},
     {"kind": "image", "name": "image", "mime_type": "", "size": -1, "url": ""}),
    ("data url of html is dropped",
     {"type": "image_url", "image_url": {"url": f"data:text/html;base64,{HTML64}"}},
     {"kind": "file", "name": "document", "mime_type": "text/html", "size": 25, "url": ""}),
    ("broken base64",
     {"type": "image", "base64": "***not base64***", "mime_type": "image/png"},
     {"kind": "image", "name": "image", "mime_type": "image/png", "size": -1, "url": ""}),
    ("text block", {"type": "text", "text": "hi"}, None),
    ("tool use block", {"type": "tool_use", "id": "t"}, None),
]


@pytest.mark.parametrize(("block", "expected"), [c[1:] for c in VIEW_CASES],
                         ids=[c[0] for c in VIEW_CASES])
def test_attachment_view(block: dict[str, Any], expected: dict[str, Any] | None) -> None:
    view = attachment_view(block)
    if expected is None:
        assert view is None
        return
    assert view is not None
    size_text = view.pop("size_text")
    assert view == expected
    assert size_text == (format_size(expected["size"]) if expected["size"] >= 0 else "")


def test_attachment_views_of_a_message() -> None:
    message = {"type": "human", "content": [
        {"type": "text", "text": "look"},
        {"type": "image", "base64": PNG64, "mime_type": "image/png", "metadata": {"name": "a"}},
        "a bare string",
        {"type": "file", "base64": PDF64, "mime_type": "application/pdf"},
    ]}
    assert [v["name"] for v in attachment_views(message)] == ["a", "document"]
    assert attachment_views({"type": "human", "content": "plain"}) == []


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 1000, 1001, 1002])
def test_decoded_size(size: int) -> None:
    encoded = base64.b64encode(b"x" * size).decode()
    assert decoded_size(encoded) == size
    assert decoded_size(base64.encodebytes(b"x" * size).decode()) == size  # with newlines
