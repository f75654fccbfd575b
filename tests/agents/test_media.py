"""The demo agents' reading of attachments: image sizes from real files of every format."""

from __future__ import annotations

import base64

import pytest
from langchain_core.messages import HumanMessage
from PIL import Image

from agents.media import Received, image_size, received_files, received_summary
from tests.samples import image_bytes, pdf_bytes

EXIF = Image.Exif()
EXIF[0x010E] = "x" * 3000  # a long description pushes the JPEG frame header further in


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (image_bytes("png", 321, 123), (321, 123)),
        (image_bytes("gif", 17, 300), (17, 300)),
        (image_bytes("jpeg", 640, 480), (640, 480)),
        (image_bytes("jpeg", 99, 77, progressive=True), (99, 77)),
        (image_bytes("jpeg", 50, 40, exif=EXIF), (50, 40)),
        (image_bytes("webp", 301, 199), (301, 199)),  # lossy (VP8)
        (image_bytes("webp", 300, 201, lossless=True), (300, 201)),  # VP8L
        (image_bytes("webp", 4000, 3, mode="RGBA"), (4000, 3)),  # extended (VP8X)
    ],
)
def test_image_size_of_real_files(data: bytes, size: tuple[int, int]) -> None:
    assert image_size(data) == size


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n", b"GIF89a\x01", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"RIFF1234WEBPVP8 ",
     pdf_bytes(), b"plain text"],
)
def test_image_size_of_cut_or_other_files_is_none(data: bytes) -> None:
    assert image_size(data) is None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_received_files_in_every_shape() -> None:
    png, pdf = image_bytes("png", 10, 20), pdf_bytes()
    message = HumanMessage(content=[
        {"type": "text", "text": "look"},
        {"type": "image", "base64": b64(png), "mime_type": "image/png",
         "metadata": {"name": "a.png"}},
        {"type": "image", "source_type": "base64", "data": b64(png), "mime_type": "image/png"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64(png)}"}},
        {"type": "file", "base64": b64(pdf), "mime_type": "application/pdf",
         "metadata": {"filename": "r.pdf"}},
        {"type": "file", "file": {"filename": "o.pdf",
                                  "file_data": f"data:application/pdf;base64,{b64(pdf)}"}},
    ])
    assert received_files(message) == [
        Received("a.png", "image/png", len(png), (10, 20)),
        Received("unnamed", "image/png", len(png), (10, 20)),
        Received("unnamed", "image/png", len(png), (10, 20)),
        Received("r.pdf", "application/pdf", len(pdf), None),
        Received("o.pdf", "application/pdf", len(pdf), None),
    ]


def test_summary_sentence() -> None:
    png = image_bytes("png", 64, 48)
    message = HumanMessage(content=[
        {"type": "image", "base64": b64(png), "mime_type": "image/png",
         "metadata": {"name": "cat.png"}},
        {"type": "image", "base64": b64(b"not an image"), "mime_type": "image/webp",
         "metadata": {"name": "odd.webp"}},
    ])
    assert received_summary(message) == (
        f'I received 2 attachments: "cat.png" (PNG image, image/png, {len(png)} bytes, '
        '64×48 pixels) and "odd.webp" (WebP image, image/webp, 12 bytes, '
        "dimensions unreadable)."
    )
    assert received_summary(HumanMessage(content="no files")) == ""
