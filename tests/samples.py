"""Real sample files for attachment tests, made with Pillow: images of a chosen size in
each accepted format, and a PDF."""

from __future__ import annotations

import io

from PIL import Image

FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def image_bytes(fmt: str, width: int = 64, height: int = 48, mode: str = "RGB",
                **options: object) -> bytes:
    """A `width` x `height` image encoded as `fmt` (png, jpeg, gif or webp); `options`
    go to Pillow's encoder (e.g. `lossless=True` for WebP, `progressive=True` for JPEG)."""
    image = Image.new(mode, (width, height), (200, 60, 30))
    for x in range(0, width, 4):  # some detail, so encoders do real work
        image.putpixel((x, x % height), (10, 200, 90))
    buffer = io.BytesIO()
    image.save(buffer, FORMATS[fmt], **options)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    """A small real PDF with `pages` pages."""
    images = [Image.new("RGB", (200, 100), (255, 255, 255)) for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()
