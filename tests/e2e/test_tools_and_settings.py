"""Assistant picker (settings), tool-call cards and the "Hide tool calls" switch,
and the layout at phone width in dark mode."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.helpers import ASSISTANT, open_chat, send, wait_idle

pytestmark = pytest.mark.e2e


async def test_pick_assistant_then_tool_cards_and_hide_switch(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    await page.get_by_role("button", name="Settings").click()
    await expect(page.get_by_role("dialog")).to_contain_text(chat_app.url.split(":")[0])
    await page.get_by_role("combobox", name="Assistant").click()
    await page.get_by_role("option", name="slow_tool").click()
    await page.keyboard.press("Escape")
    await expect(page).to_have_url(re.compile(r"/$"))

    await send(page, "write a document please")
    card = page.get_by_role("group", name=re.compile("Tool call write_document"))
    await expect(card).to_be_visible(timeout=30_000)
    await wait_idle(page)
    await expect(card).to_have_attribute("data-status", "completed")
    await card.locator("summary").click()
    await expect(card).to_contain_text("Arguments")
    await expect(card).to_contain_text("Paragraph 20")
    await expect(card).to_contain_text("Result")
    await page.screenshot(path="/tmp/e2e-tools.png")

    switch = page.get_by_role("switch", name="Hide tool calls")
    await switch.click()
    await expect(card).to_have_count(0)
    await expect(page.get_by_role("article", name=ASSISTANT).last).to_be_visible()
    await switch.click()
    await expect(card).to_be_visible()


async def test_phone_width_dark_mode(browser, chat_app):
    from tests.e2e.conftest import open_tab

    chat_app.say("Short **dark** answer.\n\n```js\nconsole.log(1)\n```", token_delay=0.005)
    async for tab in open_tab(browser):
        page = tab.page
        await page.set_viewport_size({"width": 390, "height": 760})
        await page.emulate_media(color_scheme="dark")
        await open_chat(page, chat_app.url)
        await send(page, "hello from a phone")
        await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("dark answer")
        await wait_idle(page)
        width = await page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390  # nothing overflows sideways
        await page.screenshot(path="/tmp/e2e-phone-dark.png")
        await page.get_by_role("button", name="Open threads").click()
        await expect(page.get_by_role("navigation", name="Threads").last).to_contain_text(
            "hello from a phone"
        )
        await page.wait_for_timeout(600)  # let the drawer finish sliding in
        await page.screenshot(path="/tmp/e2e-phone-drawer.png")


async def test_failed_run_shows_alert_and_keeps_the_text(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    await page.get_by_role("button", name="Settings").click()
    await page.get_by_role("combobox", name="Assistant").click()
    await page.get_by_role("option", name="failing").click()
    await page.keyboard.press("Escape")
    await send(page, "please fail")
    alert = page.get_by_role("alert").filter(has=page.get_by_role("button", name="Retry"))
    await expect(alert).to_contain_text("The run failed")
    await expect(alert).to_contain_text("demo failure")
    await wait_idle(page)
    await expect(page.get_by_role("textbox", name="Message")).to_have_value("please fail")
    # Retry runs it again (and fails the same way, visibly, without duplicating the text).
    await alert.get_by_role("button", name="Retry").click()
    await expect(alert).to_contain_text("demo failure")
    await expect(page.get_by_role("textbox", name="Message")).to_have_value("please fail")
