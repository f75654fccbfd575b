"""Files attached to a human message: which ones are accepted, the limits, the content
blocks sent, and how a stored message's attachments are shown again.

Sent inline as langchain-core standard content blocks, so any model integration reads
them: `{"type": "image", "base64", "mime_type", "metadata": {"name"}}` for PNG, JPEG,
GIF and WebP images, `{"type": "file", "base64", "mime_type": "application/pdf",
"metadata": {"filename"}}` for PDFs, after a `{"type": "text"}` block with the typed text.
A file's type is read from its first bytes (its magic number), never from its name or
the browser's guess. Sizes use binary units (1 MB = 1024 * 1024 bytes).

For display, `attachment_views` reads the three image shapes in use (standard,
older `source_type`/`data`, OpenAI `image_url`), standard and OpenAI-style files, and
Anthropic `source` blocks, and gives each as `{"kind", "name", "mime_type", "size",
"size_text", "url"}`; `url` is a data URL only for the four raster image types (never
SVG or HTML), or an http(s) address given as such.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PDF_TYPE = "application/pdf"
ALLOWED_TYPES = (*IMAGE_TYPES, PDF_TYPE)
TYPE_NAMES = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    PDF_TYPE: "PDF",
}
ACCEPT = ".png,.jpg,.jpeg,.gif,.webp,.pdf"
"""For the file picker's `accept` (a hint only: the content is checked)."""
MAX_NAME = 200

_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)
_DATA_URL = re.compile(r"^data:([\w.+/-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)


def sniff_type(data: bytes) -> str | None:
    """The allowed MIME type `data` starts like, else None (magic numbers)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in data[:1024]:  # PDF readers accept the header anywhere in the first 1 KB
        return PDF_TYPE
    return None


def format_size(size: int) -> str:
    """`512 B`, `12.3 KB`, `10 MB` (binary units, one decimal, `.0` left out)."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


# -- limits --------------------------------------------------------------------------------


LIMIT_VARIABLES = {
    "max_file_bytes": "ATTACHMENT_MAX_FILE_MB",
    "max_files": "ATTACHMENT_MAX_FILES",
    "max_total_bytes": "ATTACHMENT_MAX_TOTAL_MB",
}
"""The environment variable of each limit (see `AttachmentLimits.from_env`)."""


class AttachmentError(ValueError):
    """A file or a set of files the composer refuses; the message says why for the user."""


@dataclass(frozen=True)
class AttachmentLimits:
    """How much one message may carry. Base64 makes the request about 4/3 of the total."""

    max_file_bytes: int = 10 * MB
    max_files: int = 5
    max_total_bytes: int = 20 * MB

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> AttachmentLimits:
        """Limits from `ATTACHMENT_MAX_FILE_MB`, `ATTACHMENT_MAX_FILES` and
        `ATTACHMENT_MAX_TOTAL_MB` (defaults for those unset); a bad value raises
        ValueError naming the variable."""
        values: dict[str, int] = {}
        for field, variable in LIMIT_VARIABLES.items():
            raw = (environ.get(variable) or "").strip()
            if not raw:
                continue
            try:
                number = float(raw) if field != "max_files" else int(raw)
            except ValueError:
                number = 0
            if number <= 0:
                kind = "a whole number" if field == "max_files" else "a number of MB"
                raise ValueError(f"{variable} must be {kind} above 0 (got {raw!r})")
            values[field] = int(number * MB) if field != "max_files" else int(number)
        return cls(**values)

    def check_file(self, name: str, data: bytes) -> str:
        """The file's MIME type, or AttachmentError saying why it cannot be attached."""
        if len(data) > self.max_file_bytes:
            raise AttachmentError(
                f"{name} is {format_size(len(data))}; "
                f"the limit is {format_size(self.max_file_bytes)} per file"
            )
        mime = sniff_type(data)
        if mime is None:
            raise AttachmentError(
                f"{name} is not a supported file: attach PNG, JPEG, GIF or WebP images "
                "or PDF documents"
            )
        return mime


@dataclass(frozen=True)
class Attachment:
    """One accepted file, its type read from its content."""

    name: str
    mime_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def kind(self) -> str:
        """`image` or `file`."""
        return "image" if self.mime_type in IMAGE_TYPES else "file"

    def block(self) -> dict[str, Any]:
        """The standard content block sent to the server."""
        encoded = base64.b64encode(self.data).decode("ascii")
        if self.kind == "image":
            return {"type": "image", "base64": encoded, "mime_type": self.mime_type,
                    "metadata": {"name": self.name}}
        return {"type": "file", "base64": encoded, "mime_type": self.mime_type,
                "metadata": {"filename": self.name}}

    def view(self) -> dict[str, Any]:
        """How the composer shows it before sending (same keys as `attachment_views`)."""
        url = ""
        if self.kind == "image":
            url = f"data:{self.mime_type};base64,{base64.b64encode(self.data).decode('ascii')}"
        return _view(self.kind, self.name, self.mime_type, self.size, url)


def clean_name(name: str, fallback: str = "file") -> str:
    """A file name fit to show: no folders or control characters, capped in length;
    `fallback` when nothing is left."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return (base or fallback)[:MAX_NAME]


def add_attachments(
    current: Sequence[Attachment],
    files: Iterable[tuple[str, bytes]],
    limits: AttachmentLimits = AttachmentLimits(),
) -> tuple[list[Attachment], list[str]]:
    """`current` plus the `(name, content)` files that fit, in order, and one message per
    file refused (too large, not a supported type, one file too many, or over the total)."""
    kept = list(current)
    errors: list[str] = []
    total = sum(a.size for a in kept)
    for raw_name, data in files:
        name = clean_name(raw_name)
        try:
            mime = limits.check_file(name, data)
        except AttachmentError as exc:
            errors.append(str(exc))
            continue
        if len(kept) >= limits.max_files:
            errors.append(
                f"{name} was not added: a message can carry at most {limits.max_files} "
                f"file{'s' if limits.max_files != 1 else ''}"
            )
            continue
        if total + len(data) > limits.max_total_bytes:
            errors.append(
                f"{name} was not added: the files would add up to "
                f"{format_size(total + len(data))}; the limit is "
                f"{format_size(limits.max_total_bytes)} per message"
            )
            continue
        kept.append(Attachment(name=name, mime_type=mime, data=data))
        total += len(data)
    return kept, errors


def message_content(text: str, attachments: Sequence[Attachment]) -> str | list[dict[str, Any]]:
    """A human message's `content`: the text alone when nothing is attached, else a text
    block (when there is text) followed by one block per file."""
    if not attachments:
        return text
    blocks: list[dict[str, Any]] = [{"type": "text", "text": text}] if text.strip() else []
    blocks.extend(attachment.block() for attachment in attachments)
    return blocks


# -- reading stored messages back ----------------------------------------------------------


def _view(kind: str, name: str, mime: str, size: int, url: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "mime_type": mime,
        "size": size,
        "size_text": format_size(size) if size >= 0 else "",
        "url": url,
    }


def decoded_size(encoded: str) -> int:
    """Bytes held by a base64 string, without decoding it."""
    length = len(encoded) - encoded.count("\n") - encoded.count("\r") - encoded.count(" ")
    padding = len(encoded.rstrip()) - len(encoded.rstrip().rstrip("="))
    return max(length * 3 // 4 - padding, 0)


def _name_of(block: Mapping[str, Any], inner: Mapping[str, Any] | None = None) -> str:
    for source in (block.get("metadata"), block, inner):
        if isinstance(source, Mapping):
            for key in ("name", "filename", "title"):
                value = source.get(key)
                if isinstance(value, str) and value.strip():
                    return value
    return ""


def _source(block: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """(mime type, base64 payload, remote url, name) of a non-text block, any shape."""
    kind = block.get("type")
    mime = str(block.get("mime_type") or "")
    if kind == "image_url":  # OpenAI chat form
        inner = block.get("image_url")
        url = inner.get("url") if isinstance(inner, Mapping) else inner
        return _split_url(str(url or ""), mime, _name_of(block))
    if kind == "file" and isinstance(block.get("file"), Mapping):  # OpenAI file form
        inner = block["file"]
        mime, payload, url, _ = _split_url(str(inner.get("file_data") or ""), mime, "")
        return mime or PDF_TYPE, payload, url, _name_of(block, inner)
    source = block.get("source")
    if isinstance(source, Mapping):  # Anthropic form
        mime = str(source.get("media_type") or mime)
        if source.get("type") == "base64":
            return mime, str(source.get("data") or ""), "", _name_of(block)
        return mime, "", str(source.get("url") or ""), _name_of(block)
    payload = block.get("base64")
    if payload is None and block.get("source_type") == "base64":  # older standard form
        payload = block.get("data")
    if isinstance(payload, str):
        return mime, payload, "", _name_of(block)
    url = block.get("url")
    if isinstance(url, str):
        return _split_url(url, mime, _name_of(block))
    return mime, "", "", _name_of(block)


def _split_url(url: str, mime: str, name: str) -> tuple[str, str, str, str]:
    found = _DATA_URL.match(url.strip())
    if found:
        return found.group(1).lower(), found.group(2), "", name
    return mime, "", url.strip(), name


def _head(payload: str, size: int = 1024) -> bytes | None:
    """The first `size` bytes of a base64 payload (None when it is not base64)."""
    prefix = "".join(payload[: size * 2].split())[: (size + 2) // 3 * 4]
    try:
        return base64.b64decode(prefix + "=" * (-len(prefix) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def attachment_view(block: Any) -> dict[str, Any] | None:
    """How one content block is shown in a sent message, or None for text and other
    blocks that are not attachments."""
    if not isinstance(block, Mapping):
        return None
    if block.get("type") not in ("image", "image_url", "file", "document"):
        return None
    mime, payload, remote, name = _source(block)
    mime = mime.lower()
    head = _head(payload) if payload else None
    if head is None:
        payload = ""  # not base64: nothing to show or measure
    sniffed = sniff_type(head) if head else None
    mime = sniffed or mime  # the content decides, as when sending
    is_image = mime in IMAGE_TYPES or (not mime and block.get("type") in ("image", "image_url"))
    kind = "image" if is_image else "file"
    url = ""
    if sniffed in IMAGE_TYPES:  # only real PNG/JPEG/GIF/WebP bytes become an image source
        url = f"data:{sniffed};base64,{payload}"
    elif remote and _HTTP_URL.match(remote):
        url = remote
    size = decoded_size(payload) if payload else -1
    return _view(kind, clean_name(name, kind if kind == "image" else "document"), mime, size, url)


def attachment_views(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The attachments of a message (any of the shapes above), in order."""
    content = message.get("content")
    if not isinstance(content, list):
        return []
    views = (attachment_view(block) for block in content)
    return [view for view in views if view is not None]
