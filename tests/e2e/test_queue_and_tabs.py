"""The server-side message queue (visible, cancellable, survives a reload, runs in order),
"New thread" while a run streams, another browser following a live run, and a closed
tab's streaming stopping on the backend."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from playwright.async_api import expect

from app.states.pump import DISCONNECT_GRACE_SECONDS
from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    open_chat,
    send,
    wait_for_assistant_text,
    wait_idle,
)

pytestmark = pytest.mark.e2e

LONG = " ".join(f"word{i}" for i in range(40))


def queued(page):
    return page.get_by_role("list", name="Queued messages")


async def test_queued_messages_survive_a_reload_cancel_and_run_in_order(tab, chat_app):
    page = tab.page
    chat_app.say(LONG, token_delay=0.12)  # ~5 s per answer
    await open_chat(page, chat_app.url)
    await send(page, "first question")
    await expect(page.get_by_role("button", name="Stop")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/threads/"))
    for text in ("second question", "third question", "fourth question"):
        await send(page, text)
        await expect(queued(page)).to_contain_text(text)
    # Cancel one: it leaves the list and never runs.
    third = queued(page).get_by_role("listitem").filter(has_text="third question")
    await third.get_by_role("button", name="Remove queued message").click()
    await expect(queued(page)).not_to_contain_text("third question")
    # The queue lives on the server: a reload lists it again, then it runs in order.
    await page.reload()
    await expect(queued(page)).to_contain_text("second question", timeout=20_000)
    await expect(queued(page)).to_contain_text("fourth question")
    await expect(queued(page)).not_to_contain_text("third question")
    await page.screenshot(path="/tmp/e2e-queue-after-reload.png")
    chat_app.say("short answer", token_delay=0.01)
    users = page.get_by_role("article", name=USER)
    await expect(users).to_have_count(3, timeout=40_000)
    await wait_idle(page)
    await expect(queued(page)).to_have_count(0)
    texts = [t.strip() for t in await users.all_inner_texts()]
    assert [t.split("\n")[0] for t in texts] == [
        "first question", "second question", "fourth question"], texts
    assert await page.get_by_role("article", name=ASSISTANT).count() == 3


async def test_new_thread_while_streaming_sends_the_next_message_at_once(tab, chat_app):
    page = tab.page
    chat_app.say(LONG, token_delay=0.15)  # still streaming when we leave
    await open_chat(page, chat_app.url)
    await send(page, "a long one")
    await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("word2")
    first_url = page.url
    await page.get_by_role("button", name="New thread").click()
    await expect(page).to_have_url(chat_app.url + "/")
    await expect(page.get_by_role("button", name="Send")).to_be_visible()
    # Give the old thread's stream time to flush again (it must not leak into this page).
    await page.wait_for_timeout(1200)
    await expect(page.get_by_role("article")).to_have_count(0)
    await expect(page.get_by_role("button", name="Send")).to_be_visible()
    chat_app.say("fresh answer", token_delay=0.01)
    await send(page, "fresh question")
    await expect(queued(page)).to_have_count(0)
    await expect(page.get_by_role("article", name=ASSISTANT)).to_have_text(
        re.compile("fresh answer"), timeout=20_000)
    await expect(page).to_have_url(re.compile(r"/threads/"))
    assert page.url != first_url
    assert await page.get_by_role("article", name=USER).count() == 1


async def test_another_browser_opening_a_live_thread_follows_the_run(tab, browser, chat_app):
    """A link opened on another device (no shared browser storage) finds the running run
    on the server, replays it from the start and streams the rest."""
    from tests.e2e.conftest import open_tab

    page = tab.page
    chat_app.say(LONG, token_delay=0.12)  # ~5 s
    await open_chat(page, chat_app.url)
    await send(page, "watch this from elsewhere")
    await expect(page).to_have_url(re.compile(r"/threads/"))
    await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("word3")
    async for other in open_tab(browser):
        # The same visitor (its cookie: threads are private to their visitor), none of
        # the first tab's local or session storage.
        await other.page.context.add_cookies(await page.context.cookies())
        await other.page.goto(page.url)
        await expect(other.page.get_by_role("article", name=USER)).to_contain_text(
            "watch this from elsewhere")
        await expect(other.page.get_by_role("button", name="Stop")).to_be_visible()
        await wait_for_assistant_text(other.page, LONG, within=30)
        await wait_idle(other.page)
        assert await other.page.get_by_role("article", name=ASSISTANT).count() == 1
    await wait_for_assistant_text(page, LONG, within=30)


async def test_closing_the_tab_stops_its_backend_stream(browser, chat_app):
    from tests.e2e.conftest import open_tab

    chat_app.say(" ".join(f"w{i}" for i in range(500)), token_delay=0.05)  # ~25 s
    async for record in open_tab(browser):
        page = record.page
        await open_chat(page, chat_app.url)
        # The tab's token is stored once its websocket is connected.
        token = await (await page.wait_for_function(
            "() => window.sessionStorage.getItem('token')")).json_value()
        assert token
        await send(page, "stream for a while")
        await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("w3")
        await page.close()
    gone_line = re.compile(rf"tab {re.escape(token)} gone for [\d.]+s: stopped its stream")
    deadline = time.monotonic() + DISCONNECT_GRACE_SECONDS + 8  # grace + slack
    while time.monotonic() < deadline:
        if gone_line.search(chat_app.log_path.read_text(errors="replace")):
            break
        await asyncio.sleep(0.25)
    else:
        raise AssertionError("the closed tab's stream kept running:\n" + chat_app.log_tail())
    chat_app.say_default()
