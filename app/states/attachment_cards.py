"""What the browser gets of a message's attachments: small cards, never the files.

A sent image may be megabytes of base64 in the thread's values, and the message list is
resent whenever it changes, so a message view carries, per attachment, only
`{"index", "kind", "name", "mime_type", "size_text", "thumb"}`: `thumb` is a small WebP
data URL (at most `THUMB_PX` pixels a side, a few KB) made once with Pillow and cached;
the whole file is sent only when the person opens or downloads it
(`AttachmentViewState`). PDFs and files Pillow cannot read get no thumbnail (a chip).
"""

from __future__ import annotations

import base64
import binascii
import io
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from PIL import Image, UnidentifiedImageError

from app.stream.attachments import FILE_BLOCK_TYPES, IMAGE_TYPES, attachment_view
from app.stream.messages import content_text

THUMB_PX = 160
MAX_PIXELS = 40_000_000  # larger images get no thumbnail (decompression bombs)
CACHED = 512  # messages whose cards are kept
_cards: OrderedDict[tuple[Any, ...], tuple[str, list[dict[str, Any]]]] = OrderedDict()


def thumbnail(payload: str) -> str:
    """A small WebP data URL of a base64 image ("" when it cannot be read)."""
    try:
        data = base64.b64decode(payload, validate=False)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return ""
            image.draft("RGB", (THUMB_PX * 2, THUMB_PX * 2))  # JPEG: decode smaller
            image.thumbnail((THUMB_PX, THUMB_PX))
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, "WEBP", quality=70)
    except (binascii.Error, ValueError, OSError, UnidentifiedImageError,
            Image.DecompressionBombError):
        return ""
    return "data:image/webp;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _signature(message: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What identifies a message's attachments cheaply (its id and the blocks' sizes);
    None when it has none (a text, or blocks none of which is a file: a streamed answer's
    blocks change with every token and are never cached)."""
    content = message.get("content")
    if not isinstance(content, list) or not any(
            isinstance(block, Mapping) and block.get("type") in FILE_BLOCK_TYPES
            for block in content):
        return None
    sizes = tuple(sum(len(v) for v in block.values() if isinstance(v, str))
                  if isinstance(block, Mapping) else 0 for block in content)
    return (str(message.get("id") or ""), sizes)


def attachment_cards(message: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
    """(the message's text, its attachment cards), or None when it has no attachment."""
    key = _signature(message)
    if key is None:
        return None
    found = _cards.get(key)
    if found is None:
        found = _build(message["content"])
        _cards[key] = found
        while len(_cards) > CACHED:
            _cards.popitem(last=False)
    else:
        _cards.move_to_end(key)
    return found if found[1] else None


def _build(content: list[Any]) -> tuple[str, list[dict[str, Any]]]:
    cards = []
    for block in content:
        view = attachment_view(block)
        if view is None:
            continue
        url = view["url"]
        thumb = ""
        if view["kind"] == "image" and url.startswith("data:") and view["mime_type"] in IMAGE_TYPES:
            thumb = thumbnail(url.partition(",")[2])
        cards.append({"index": len(cards), "kind": view["kind"], "name": view["name"],
                      "mime_type": view["mime_type"], "size_text": view["size_text"],
                      "thumb": thumb, "remote": url if url.startswith("http") else ""})
    return content_text(content), cards
