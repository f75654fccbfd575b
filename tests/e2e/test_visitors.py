"""A public demo: each browser is a visitor who sees only their own threads.

Two browser contexts are two visitors. What one starts never shows in the other's
sidebar or "Needs input" filter, and its URL opened by the other answers "Thread not
found" (exactly like an id that does not exist). The visitor id lives in an HttpOnly
cookie that page scripts cannot read, survives reloads, and a forged one is replaced.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.async_api import Page, expect

from app.access.visitor import COOKIE_NAME
from tests.e2e.conftest import open_tab
from tests.e2e.helpers import open_chat, send, wait_for_assistant_text, wait_idle

pytestmark = pytest.mark.e2e
THREAD_URL = re.compile(r"/threads/([0-9a-f-]{36})$")


def sidebar(page: Page):
    return page.get_by_role("navigation", name="Threads")


async def _visitor_cookie(page: Page, unlike: str = "", within: float = 15.0) -> dict:
    """The browser's visitor cookie, once it has one (other than `unlike`)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for cookie in await page.context.cookies():
            if cookie["name"] == COOKIE_NAME and cookie["value"] != unlike:
                return cookie
        await page.wait_for_timeout(100)
    raise AssertionError("no (new) visitor cookie")


async def test_two_visitors_never_see_each_others_threads(browser, chat_app):
    chat_app.say("Kept between us.", token_delay=0.005)
    async for alice in open_tab(browser):
        page_a: Page = alice.page
        await open_chat(page_a, chat_app.url)
        await send(page_a, "alpha private plan")
        await wait_for_assistant_text(page_a, "Kept between us.")
        await expect(page_a).to_have_url(THREAD_URL)
        thread_url = page_a.url
        await expect(sidebar(page_a).get_by_role("link", name=re.compile("alpha private plan"))
                     ).to_be_visible()
        cookie = await _visitor_cookie(page_a)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert COOKIE_NAME not in await page_a.evaluate("document.cookie")

        async for bob in open_tab(browser):
            page_b: Page = bob.page
            await open_chat(page_b, chat_app.url)
            await send(page_b, "bravo own question")
            await wait_for_assistant_text(page_b, "Kept between us.")
            links = sidebar(page_b).get_by_role("link")
            await expect(links.filter(has_text="bravo own question")).to_have_count(1)
            await expect(links.filter(has_text="alpha private plan")).to_have_count(0)
            # Alice's link, opened by Bob: the same answer as for a thread that never was.
            await page_b.goto(thread_url)
            await expect(page_b.get_by_role("alert")).to_contain_text("Thread not found")
            await expect(page_b.get_by_text("alpha private plan")).to_have_count(0)
            await page_b.goto(f"{chat_app.url}/threads/{uuid.uuid4()}")
            await expect(page_b.get_by_role("alert")).to_contain_text("Thread not found")

        # Alice, after a reload: still herself, with her thread.
        await page_a.reload()
        await expect(page_a.get_by_role("article", name=re.compile("^User"))).to_have_text(
            "alpha private plan")
        await expect(sidebar(page_a).get_by_role("link", name=re.compile("alpha private plan"))
                     ).to_be_visible()
        assert (await _visitor_cookie(page_a))["value"] == cookie["value"]


async def test_needs_input_lists_only_your_waiting_threads(browser, chat_app):
    async for alice in open_tab(browser):
        page_a: Page = alice.page
        await page_a.add_init_script("localStorage.setItem('lg:assistant', 'question')")
        await open_chat(page_a, chat_app.url)
        await send(page_a, "ask me something")
        await expect(page_a.get_by_role("region", name="Needs your input")).to_be_visible()
        await wait_idle(page_a)
        async for bob in open_tab(browser):
            page_b: Page = bob.page
            await page_b.add_init_script("localStorage.setItem('lg:assistant', 'question')")
            await open_chat(page_b, chat_app.url)
            await page_b.get_by_role("button", name="Needs input").click()
            await expect(sidebar(page_b).get_by_role("link")).to_have_count(0)
        await page_a.get_by_role("button", name="Needs input").click()
        await expect(sidebar(page_a).get_by_role("link", name=re.compile("ask me something"))
                     ).to_be_visible()


async def test_a_forged_visitor_cookie_is_replaced_not_trusted(browser, chat_app):
    chat_app.say("Fresh start.", token_delay=0.005)
    async for tab in open_tab(browser):
        page: Page = tab.page
        await open_chat(page, chat_app.url)
        await send(page, "charlie thread")
        await wait_for_assistant_text(page, "Fresh start.")
        real = await _visitor_cookie(page)
        forged = real["value"][:-4] + ("AAAA" if not real["value"].endswith("AAAA") else "BBBB")
        await page.context.add_cookies([{**real, "value": forged}])
        await open_chat(page, chat_app.url)
        # Treated as a stranger: a new visitor with a new, properly signed cookie.
        fresh = await _visitor_cookie(page, unlike=forged)
        assert fresh["value"] != real["value"]
        await expect(sidebar(page).get_by_role("link", name=re.compile("charlie thread"))
                     ).to_have_count(0)
