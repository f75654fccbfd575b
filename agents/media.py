"""What the demo agents say about files attached to a human message: name, type, size
and, for images, the pixel size read from the file header (PNG, GIF, JPEG, WebP).

Blocks are read through langchain-core's `content_blocks`, which turns every supported
shape (standard `base64`, older `source_type`, OpenAI `image_url` / `file`) into standard
blocks. Only the first bytes of an image are decoded to find its size.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage

HEADER_BYTES = 64 * 1024
"""Decoded to find an image's size (a JPEG's frame header follows its EXIF/ICC data)."""
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_KINDS = {
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "application/pdf": "PDF document",
}


@dataclass(frozen=True)
class Received:
    """One attachment as the agent sees it."""

    name: str
    mime_type: str
    size: int | None
    """Bytes, when the content was sent inline."""
    dimensions: tuple[int, int] | None
    """(width, height) in pixels, for images whose header could be read."""

    def describe(self) -> str:
        """`"cat.png" (PNG image, image/png, 1234 bytes, 64×48 pixels)`."""
        parts = [_KINDS.get(self.mime_type, "file"), self.mime_type or "unknown type"]
        parts.append(f"{self.size} bytes" if self.size is not None else "size unknown")
        if self.dimensions:
            parts.append(f"{self.dimensions[0]}×{self.dimensions[1]} pixels")
        elif self.mime_type.startswith("image/"):
            parts.append("dimensions unreadable")
        return f'"{self.name}" ({", ".join(parts)})'


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF, JPEG or WebP header; None when not readable."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        if data.startswith((b"GIF87a", b"GIF89a")):
            return struct.unpack("<HH", data[6:10])
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
    except struct.error:  # cut short
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments up to the first frame header (SOFn)."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended: 24-bit canvas size minus one
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L" and data[20] == 0x2F:  # lossless: 14-bit sizes minus one
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy key frame
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _name(block: Mapping[str, Any]) -> str:
    for source in (block.get("metadata"), block.get("extras"), block):
        if isinstance(source, Mapping):
            for key in ("name", "filename", "title"):
                if isinstance(source.get(key), str) and source[key].strip():
                    return source[key].strip()
    return "unnamed"


def _decoded(payload: str, limit: int | None = None) -> bytes | None:
    text = "".join(payload.split())
    if limit is not None:
        text = text[: (limit + 2) // 3 * 4]
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _size(payload: str) -> int | None:
    text = "".join(payload.split())
    if _decoded(text[:4096]) is None:
        return None
    return len(text) * 3 // 4 - (len(text) - len(text.rstrip("=")))


def received_files(message: BaseMessage) -> list[Received]:
    """The images and files attached to `message`, in order."""
    found = []
    for block in message.content_blocks:
        if block.get("type") not in ("image", "file"):
            continue
        payload = block.get("base64")
        mime = str(block.get("mime_type") or "")
        size = dimensions = None
        if isinstance(payload, str):
            size = _size(payload)
            if block["type"] == "image":
                head = _decoded(payload, HEADER_BYTES)
                dimensions = image_size(head) if head else None
        found.append(Received(_name(block), mime, size, dimensions))
    return found


def received_summary(message: BaseMessage) -> str:
    """One sentence listing what was attached ("" when nothing was)."""
    files = received_files(message)
    if not files:
        return ""
    described = [item.describe() for item in files]
    listed = described[0] if len(described) == 1 else (
        ", ".join(described[:-1]) + " and " + described[-1]
    )
    noun = "attachment" if len(files) == 1 else "attachments"
    return f"I received {len(files)} {noun}: {listed}."
