"""A message typed before the page is connected is never lost.

Users type as soon as the composer shows, which on a busy machine is before the page's
websocket is up. The chat must say it is connecting, keep (queue) what was sent, and the
first run of the new thread must show its messages. Two ways in: a freshly started app
(cold backend, each tab sending the moment the composer is editable), and a websocket held
back by the test until the user has sent (deterministic: every event of the page load and
the send reach the backend together, in the order that used to lose the message).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from playwright.async_api import Page, WebSocketRoute, expect

from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import ASSISTANT, USER, wait_for_assistant_text

pytestmark = pytest.mark.e2e
THREAD_URL = re.compile(r"/threads/[0-9a-f-]{36}$")


@pytest.fixture(scope="module")
def cold_app(e2e_server, tmp_path_factory) -> Iterator[ChatApp]:
    """An app started for this module alone: its first page loads meet a cold backend."""
    app = start_app(e2e_server.url, tmp_path_factory.mktemp("cold-app"))
    try:
        yield app
    finally:
        stop_app(app)


async def _send_at_once(page: Page, text: str) -> None:
    """Type and press Enter the moment the composer takes input (no waiting for more)."""
    box = page.get_by_role("textbox", name="Message")
    await expect(box).to_be_editable()
    await box.fill(text)
    await box.press("Enter")


async def test_first_messages_after_an_app_start_are_answered(browser, cold_app):
    cold_app.say("Here from the start.", token_delay=0.005)
    for attempt in range(4):
        async for tab in open_tab(browser):
            page: Page = tab.page
            await page.goto(cold_app.url, wait_until="commit")
            await _send_at_once(page, f"first words {attempt}")
            await expect(page.get_by_role("article", name=USER)).to_have_text(
                f"first words {attempt}")
            await wait_for_assistant_text(page, "Here from the start.")
            await expect(page).to_have_url(THREAD_URL)
            await expect(page.get_by_role("article", name=ASSISTANT)).to_have_count(1)


async def test_a_message_sent_before_the_socket_connects_is_kept_and_sent(browser, cold_app):
    cold_app.say("Queued until connected, then answered.", token_delay=0.005)
    release = asyncio.Event()

    async def hold(ws: WebSocketRoute) -> None:
        await release.wait()
        ws.connect_to_server()

    async for tab in open_tab(browser):
        page: Page = tab.page
        await page.route_web_socket(re.compile(r".*/_event.*"), hold)
        await page.goto(cold_app.url)
        status = page.get_by_role("status").filter(has_text="Connecting…")
        await expect(status).to_be_visible()
        await _send_at_once(page, "typed while connecting")
        await expect(status).to_be_visible()  # nothing pretends to have been sent
        release.set()
        await expect(status).to_have_count(0)
        await expect(page.get_by_role("article", name=USER)).to_have_text(
            "typed while connecting")
        await wait_for_assistant_text(page, "Queued until connected, then answered.")
        await expect(page).to_have_url(THREAD_URL)


@pytest.mark.parametrize("how", ["Enter", "Send"])
async def test_a_message_sent_before_the_page_is_interactive_is_sent(browser, cold_app, how):
    """The page's HTML shows the message box before its scripts have run: a message sent
    then (a slow first load) goes once they have, instead of Enter adding a line or Send
    reloading the page."""
    cold_app.say("Sent once the page woke up.", token_delay=0.005)
    release = asyncio.Event()

    async def late_scripts(route) -> None:
        await release.wait()
        await route.continue_()

    async for tab in open_tab(browser):
        page: Page = tab.page
        await page.route(re.compile(r".*\.js(\?.*)?$"), late_scripts)
        await page.goto(cold_app.url, wait_until="domcontentloaded")
        box = page.get_by_role("textbox", name="Message")
        await box.fill(f"typed before the scripts ran ({how})")
        if how == "Enter":
            await box.press("Enter")
        else:
            await page.get_by_role("button", name="Send").click()
        release.set()
        await expect(page.get_by_role("article", name=USER)).to_have_text(
            f"typed before the scripts ran ({how})", timeout=20_000)
        await wait_for_assistant_text(page, "Sent once the page woke up.")
        await expect(box).to_have_value("")
