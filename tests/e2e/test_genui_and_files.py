"""Generative UI and attachments in the browser, against the real demo graphs.

A weather card (a Reflex component registered by name) appears inside the answer while
it streams, fills in day by day, loses its status card, and is still there after a
reload; an unknown name shows a neutral JSON card whose hostile props stay text. Files
attached by the button, a paste or a drop are previewed, sent as content blocks, shown
in the sent message (thumbnail that opens larger, PDF chip that downloads) after a
reload too, kept through Edit and Regenerate; a refused file keeps the typed text.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time

import pytest
from playwright.async_api import Page, expect

from tests.e2e.helpers import ASSISTANT, open_chat, send, wait_idle
from tests.samples import image_bytes, pdf_bytes

pytestmark = pytest.mark.e2e

MB = 1024 * 1024


async def use_assistant(page: Page, graph: str) -> None:
    await page.add_init_script(f"localStorage.setItem('lg:assistant', {graph!r})")


def answer(page: Page):
    return page.get_by_role("article", name=ASSISTANT).last


def user_message(page: Page):
    return page.get_by_role("article", name="User message").last


def composer(page: Page):
    return page.get_by_role("textbox", name="Message")


async def attach(page: Page, files: list[tuple[str, str, bytes]]) -> None:
    """Pick files with the "Attach files" button, as a person does."""
    async with page.expect_file_chooser() as chooser:
        await page.get_by_role("button", name="Attach files").click()
    await (await chooser.value).set_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, mime, data in files])


async def hand_over(page: Page, how: str, name: str, mime: str, data: bytes) -> None:
    """Paste a file into the composer, or drop it on the composer box (the browser's own
    events, with a DataTransfer holding the file)."""
    await page.evaluate(
        """([how, name, mime, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const moved = new DataTransfer();
            moved.items.add(new File([bytes], name, {type: mime}));
            const box = document.getElementById('composer');
            if (how === 'paste') {
              box.focus();
              box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: moved,
                                                             bubbles: true}));
            } else {
              const zone = box.closest('.composer-drop-zone');
              for (const type of ['dragenter', 'dragover', 'drop']) {
                zone.dispatchEvent(new DragEvent(type, {dataTransfer: moved, bubbles: true,
                                                        cancelable: true}));
              }
            }
        }""",
        [how, name, mime, base64.b64encode(data).decode()],
    )


async def test_weather_card_fills_in_while_the_answer_streams(tab, chat_app):
    page = tab.page
    chat_app.config_file.write_text(json.dumps({"configurable": {"token_delay": 0.1}}))
    await use_assistant(page, "genui")
    await open_chat(page, chat_app.url)
    await send(page, "What is the weather in Porto?")

    # Watch the page while the answer streams: the card inside the streamed message,
    # its rows, and the unlinked status card.
    seen: list[tuple[int, bool]] = []
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        found = await page.evaluate("""() => {
            const live = document.querySelector('[aria-label="Assistant message (streaming)"]');
            const card = live && live.querySelector('[aria-label="Weather in Porto"]');
            const status = [...document.querySelectorAll('[role=status]')].some(
                (el) => el.textContent.includes('Looking up Porto'));
            return [live ? 1 : 0, card ? card.querySelectorAll('.weather-row').length : -1,
                    status]; }""")
        live, rows, status = found
        if live and rows >= 0 and (not seen or seen[-1] != (rows, status)):
            seen.append((rows, status))
        if not live and seen:
            break  # the answer finished streaming
        await page.wait_for_timeout(30)
    rows_seen = [rows for rows, _ in seen]
    # The card updated live (merge=True pushes) while the text streamed around it, next
    # to the status card.
    assert rows_seen[0] < 3 and len(set(rows_seen)) >= 3, seen
    assert rows_seen == sorted(rows_seen), seen
    assert any(status for _, status in seen), seen

    await wait_idle(page)
    done = answer(page).get_by_role("region", name="Weather in Porto")
    await expect(done.locator(".weather-row")).to_have_count(3)
    await expect(done).to_contain_text("done")
    await expect(page.get_by_text("Looking up Porto")).to_have_count(0)  # removed
    await expect(answer(page)).to_contain_text("Here is the forecast for Porto")

    await page.reload()
    reloaded = answer(page).get_by_role("region", name="Weather in Porto")
    await expect(reloaded.locator(".weather-row")).to_have_count(3)
    await expect(page.get_by_text("Looking up Porto")).to_have_count(0)


async def test_unknown_component_shows_its_props_as_text(tab, chat_app):
    page = tab.page
    hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>'
    chat_app.config_file.write_text(json.dumps({"configurable": {
        "token_delay": 0.01, "ui_name": "trip_plan", "extra_props": {"note": hostile}}}))
    await use_assistant(page, "genui")
    await open_chat(page, chat_app.url)
    await send(page, "What is the weather in Lisbon?")
    card = answer(page).get_by_role("group", name="UI: trip_plan")
    await expect(card).to_contain_text('"city": "Lisbon"', timeout=20_000)
    await wait_idle(page)
    await expect(card).to_contain_text(hostile.replace('"', '\\"'))
    assert await card.locator("img, b").count() == 0
    assert await page.evaluate("window.__pwned") is None


async def test_files_round_trip_and_survive_a_reload(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    # The chooser "Attach files" opens offers the accepted types only.
    assert await page.locator("#composer-drop input[type=file]").get_attribute("accept") == \
        "image/png,image/jpeg,image/gif,image/webp,application/pdf"
    photo, report = image_bytes("png", 64, 48), pdf_bytes()
    await attach(page, [("photo.png", "image/png", photo),
                        ("report.pdf", "application/pdf", report)])
    pending = page.get_by_role("list", name="Attachments")
    await expect(pending.get_by_role("listitem")).to_have_count(2)
    await expect(pending.get_by_role("button", name="Remove attachment")).to_have_count(2)
    await send(page, "What did I send?")
    await expect(pending).to_have_count(0)

    said = (f'I received 2 attachments: "photo.png" (PNG image, image/png, {len(photo)} bytes, '
            f'64×48 pixels) and "report.pdf" (PDF document, application/pdf, {len(report)} '
            'bytes).')
    await expect(answer(page)).to_contain_text(said, timeout=20_000)
    await wait_idle(page)

    async def check_message() -> None:
        sent = user_message(page)
        await expect(sent).to_contain_text("What did I send?")
        thumb = sent.get_by_role("button", name="Open photo.png")
        await expect(thumb.get_by_role("img", name="photo.png")).to_be_visible()
        src = await thumb.get_by_role("img").get_attribute("src")
        assert src.startswith("data:image/webp;base64,") and len(src) < 8000  # a thumbnail
        await expect(sent.get_by_role("button", name="Download report.pdf")).to_be_visible()

    await check_message()
    await page.reload()
    await check_message()

    await user_message(page).get_by_role("button", name="Open photo.png").click()
    dialog = page.get_by_role("dialog", name="photo.png")
    large = dialog.get_by_role("img", name="photo.png")
    await expect(large).to_be_visible()
    full = await large.get_attribute("src")
    assert base64.b64decode(full.partition(",")[2]) == photo  # the file itself, not a copy
    await dialog.get_by_role("button", name="Close").click()
    await expect(dialog).to_have_count(0)

    async with page.expect_download() as download:
        await user_message(page).get_by_role("button", name="Download report.pdf").click()
    got = await download.value
    assert got.suggested_filename == "report.pdf"
    assert (await got.path()).read_bytes() == report


async def test_a_refused_file_keeps_the_typed_text(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    box = composer(page)
    await box.fill("Here is my holiday photo")
    big = image_bytes("png", 16, 16) + b"\0" * int(10.5 * MB)
    await attach(page, [("big.png", "image/png", big)])
    alert = page.get_by_role("alert").filter(has_text="big.png")
    await expect(alert).to_contain_text("big.png is 10.5 MB; the limit is 10 MB per file")
    await expect(box).to_have_value("Here is my holiday photo")
    await expect(page.get_by_role("list", name="Attachments")).to_have_count(0)

    # A type the chooser does not offer, dropped on the box: refused by name and type.
    await hand_over(page, "drop", "notes.txt", "text/plain", b"just text")
    await expect(page.get_by_role("alert").filter(has_text="notes.txt")).to_contain_text(
        "not a supported file")
    await expect(box).to_have_value("Here is my holiday photo")

    # A pasted image and a dropped PDF are attached; the text is still there.
    await hand_over(page, "paste", "pasted.png", "image/png", image_bytes("png", 20, 10))
    await hand_over(page, "drop", "dropped.pdf", "application/pdf", pdf_bytes())
    items = page.get_by_role("list", name="Attachments").get_by_role("listitem")
    await expect(items).to_have_count(2)
    await expect(items.first).to_have_accessible_name("pasted.png")
    await expect(items.last).to_have_accessible_name("dropped.pdf")
    await expect(box).to_have_value("Here is my holiday photo")
    await items.first.get_by_role("button", name="Remove attachment").click()
    await expect(items).to_have_count(1)
    await box.press("Enter")
    await expect(answer(page)).to_contain_text('I received 1 attachment: "dropped.pdf"',
                                               timeout=20_000)


async def test_a_message_sent_while_its_file_uploads_waits_for_it(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)

    async def slow_network(route):
        await asyncio.sleep(1.5)
        await route.continue_()

    await page.route("**/_upload", slow_network)
    await attach(page, [("late.png", "image/png", image_bytes("png", 12, 12))])
    await composer(page).fill("Here it comes")
    await composer(page).press("Enter")  # before the file has reached the backend
    await expect(answer(page)).to_contain_text('I received 1 attachment: "late.png"',
                                               timeout=20_000)
    await expect(user_message(page).get_by_role("button", name="Open late.png")
                 ).to_be_visible()
    await expect(composer(page)).to_have_value("")


async def test_a_message_sent_with_the_button_is_not_held_for_files(tab, chat_app):
    """Typing then clicking Send blurs the box, which fires its `change` event; that is
    no file on its way, so the message goes at once (it was held 1.6 s for uploads)."""
    page = tab.page
    await open_chat(page, chat_app.url)
    await page.evaluate("""() => {
        window.__submits = [];
        window.addEventListener('submit', () => window.__submits.push(performance.now()),
                                true);
    }""")
    await composer(page).fill("No files with this one")
    await page.get_by_role("button", name="Send").click()
    await expect(answer(page)).to_contain_text("No files with this one", timeout=20_000)
    # One submit: held messages are submitted a second time when their files are in.
    assert len(await page.evaluate("() => window.__submits")) == 1


async def test_edit_and_regenerate_keep_the_files(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    photo = image_bytes("jpeg", 40, 30)
    await attach(page, [("cat.jpg", "image/jpeg", photo)])
    await send(page, "Look at this")
    await expect(answer(page)).to_contain_text('"cat.jpg" (JPEG image', timeout=20_000)
    await wait_idle(page)

    # Up in the empty composer edits the last message (keyboard shortcut).
    await composer(page).focus()
    await composer(page).press("ArrowUp")
    editor = page.get_by_role("textbox", name="Edit message")
    await expect(editor).to_be_visible()
    await editor.fill("Look at this again")
    await page.get_by_role("button", name="Save edit").click()
    await expect(user_message(page)).to_contain_text("Look at this again", timeout=20_000)
    await expect(user_message(page).get_by_role("button", name="Open cat.jpg")).to_be_visible()
    await expect(answer(page)).to_contain_text('"cat.jpg" (JPEG image', timeout=20_000)
    await expect(answer(page)).to_contain_text('You said: "Look at this again"')
    await wait_idle(page)

    await answer(page).hover()
    await answer(page).get_by_role("button", name="Regenerate").click()
    await expect(answer(page)).to_contain_text(re.compile(r"attempt 2"), timeout=20_000)
    await expect(answer(page)).to_contain_text('"cat.jpg" (JPEG image')
    await expect(user_message(page).get_by_role("button", name="Open cat.jpg")).to_be_visible()
