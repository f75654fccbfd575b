"""`chat` on the real server answers about attached files; the blocks the client builds
survive the round trip and read back for display after a reload."""

from __future__ import annotations

from app.stream.attachments import add_attachments, attachment_views, message_content
from tests.samples import image_bytes, pdf_bytes


def test_chat_describes_what_it_received(wire) -> None:
    photo, scan, report = image_bytes("jpeg", 640, 480), image_bytes("webp", 120, 90), pdf_bytes(2)
    attachments, errors = add_attachments(
        [], [("photo.jpg", photo), ("scan.webp", scan), ("report.pdf", report)]
    )
    assert errors == []
    thread = wire.thread()
    message = {"type": "human", "content": message_content("What did I send?", attachments)}
    run = wire.stream(thread, "chat", input={"messages": [message]})
    reply = run.final_text
    assert reply.startswith(
        f'I received 3 attachments: "photo.jpg" (JPEG image, image/jpeg, {len(photo)} bytes, '
        f'640×480 pixels), "scan.webp" (WebP image, image/webp, {len(scan)} bytes, '
        f'120×90 pixels) and "report.pdf" (PDF document, application/pdf, {len(report)} bytes).'
    )
    assert reply.endswith('You said: "What did I send?".')
    assert "".join(run.tokens()) == reply  # streamed token by token like any answer

    stored = wire.state(thread)["values"]["messages"][0]
    assert stored["content"] == message["content"]  # blocks are kept exactly as sent
    views = attachment_views(stored)
    assert [(v["kind"], v["name"], v["mime_type"], v["size"]) for v in views] == [
        ("image", "photo.jpg", "image/jpeg", len(photo)),
        ("image", "scan.webp", "image/webp", len(scan)),
        ("file", "report.pdf", "application/pdf", len(report)),
    ]
    assert views[0]["url"].startswith("data:image/jpeg;base64,/9j/") and views[2]["url"] == ""


def test_chat_with_only_an_image_and_no_text(wire) -> None:
    gif = image_bytes("gif", 33, 22)
    attachments, _ = add_attachments([], [("anim.gif", gif)])
    message = {"type": "human", "content": message_content("", attachments)}
    run = wire.stream(wire.thread(), "chat", input={"messages": [message]})
    assert run.final_text == (
        f'I received 1 attachment: "anim.gif" (GIF image, image/gif, {len(gif)} bytes, '
        "33×22 pixels). This is a demo reply (no real model)."
    )


def test_plain_text_reply_is_unchanged(wire) -> None:
    run = wire.ask(wire.thread(), "chat", "no files here")
    assert run.final_text == 'This is a demo reply (no real model). You said: "no files here".'
