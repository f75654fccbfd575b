"""Small helpers shared by the browser tests."""

from __future__ import annotations

import re
import time

from itsdangerous import URLSafeTimedSerializer
from playwright.async_api import Page, expect

from app.access.owners import visitor_owner as visitor_owner_id
from app.access.visitor import COOKIE_NAME as VISITOR_COOKIE
from app.access.visitor import SALT as VISITOR_SALT

ASSISTANT = re.compile(r"^Assistant")
USER = re.compile(r"^User")


async def open_chat(page: Page, url: str) -> None:
    """Open the chat as a person does: ready to type once the composer takes input (the
    page copes with a message sent before its websocket is connected)."""
    await page.goto(url)
    await expect(page.get_by_role("textbox", name="Message")).to_be_editable(timeout=30_000)


async def send(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Message")
    await box.fill(text)
    await box.press("Enter")


async def last_assistant_text(page: Page) -> str:
    """What the last answer says, without its usage line ("first token 0.05 s · ...")."""
    articles = page.get_by_role("article", name=ASSISTANT)
    if await articles.count() == 0:
        return ""
    answer = articles.last
    text = await answer.inner_text()
    for usage in await answer.locator(".usage-line").all_inner_texts():
        text = text.replace(usage, "")
    return text.strip()


async def wait_for_assistant_text(page: Page, expected: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    text = ""
    while time.monotonic() < deadline:
        text = await last_assistant_text(page)
        if text == expected:
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"assistant said {text!r}, expected {expected!r}")


async def wait_idle(page: Page) -> None:
    await expect(page.get_by_role("button", name="Send")).to_be_visible(timeout=20_000)


async def visitor_owner(page: Page, within: float = 20.0) -> str:
    """The owner id of the visitor this page's browser is (read from its HttpOnly cookie,
    as another client of the same person would know it): threads made outside the browser
    carry it so this visitor may open them. Open the chat first."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for cookie in await page.context.cookies():
            if cookie["name"] == VISITOR_COOKIE:
                _, visitor_id = URLSafeTimedSerializer("-", salt=VISITOR_SALT).loads_unsafe(
                    cookie["value"])
                return visitor_owner_id(str(visitor_id))
        await page.wait_for_timeout(100)
    raise AssertionError("the page never got a visitor cookie")


async def answer_steps(page: Page, expected: str, within: float = 20.0) -> list[str]:
    """Every distinct text the last assistant message showed until it said `expected`
    (its last item): how an answer grew on screen."""
    deadline = time.monotonic() + within
    seen: list[str] = []
    while time.monotonic() < deadline:
        text = await last_assistant_text(page)
        if text and (not seen or text != seen[-1]):
            seen.append(text)
        if text == expected:
            return seen
        await page.wait_for_timeout(30)
    raise AssertionError(f"assistant said {seen[-1:]!r}, expected {expected!r}")


async def pick_assistant(page: Page, label_start: str) -> None:
    """Choose another assistant (or agent) in Settings; the chat starts a new thread."""
    await page.get_by_role("button", name="Settings").click()
    await page.get_by_role("combobox", name="Assistant").click()
    await page.get_by_role("option", name=re.compile(f"^{re.escape(label_start)}")).click()
    await page.keyboard.press("Escape")
    await expect(page).to_have_url(re.compile(r"/$"))
