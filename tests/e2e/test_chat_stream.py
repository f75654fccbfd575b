"""Streaming in the browser: token by token, stop, reload mid-stream, queue, API key."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import SECRET
from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    last_assistant_text,
    open_chat,
    send,
    wait_for_assistant_text,
    wait_idle,
)

pytestmark = pytest.mark.e2e

WORDS = " ".join(f"word{i}" for i in range(40))


async def test_streams_token_by_token_and_completes(tab, chat_app):
    page = tab.page
    chat_app.say(WORDS, token_delay=0.05)
    await open_chat(page, chat_app.url)
    await send(page, "Tell me forty words")
    await expect(page.get_by_role("article", name=USER).last).to_contain_text("Tell me forty words")
    await expect(page.get_by_role("button", name="Stop")).to_be_visible()
    seen: list[str] = []
    for _ in range(200):
        text = await last_assistant_text(page)
        if text and (not seen or text != seen[-1]):
            seen.append(text)
        if text == WORDS:
            break
        await page.wait_for_timeout(50)
    assert seen[-1] == WORDS
    partial = [t for t in seen if t != WORDS]
    assert len(partial) >= 4, seen  # it grew in visible steps
    assert all(WORDS.startswith(t.rstrip()) for t in partial)
    await wait_idle(page)
    await expect(page).to_have_url(re.compile(r"/threads/[0-9a-f-]{36}$"))
    await page.screenshot(path="/tmp/e2e-streamed.png")


async def test_stop_ends_the_run_and_keeps_the_input_usable(tab, chat_app):
    page = tab.page
    chat_app.say(WORDS, token_delay=0.15)
    await open_chat(page, chat_app.url)
    await send(page, "Start a long answer")
    await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("word2")
    await page.get_by_role("button", name="Stop").click()
    await wait_idle(page)
    after_stop = await last_assistant_text(page)
    await page.wait_for_timeout(800)
    assert await last_assistant_text(page) == after_stop  # nothing streams any more
    assert after_stop != WORDS
    await expect(page.get_by_role("alert")).to_have_count(0)
    # The thread still works after a stop.
    chat_app.say("after stop", token_delay=0.01)
    await send(page, "again")
    await wait_for_assistant_text(page, "after stop")


async def test_reload_mid_stream_resumes_without_doubling(tab, chat_app):
    page = tab.page
    chat_app.say(WORDS, token_delay=0.1)
    await open_chat(page, chat_app.url)
    await send(page, "Long answer, then I reload")
    await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("word3")
    await expect(page).to_have_url(re.compile(r"/threads/"))
    url = page.url
    await page.reload()
    assert page.url == url
    await expect(page.get_by_role("article", name=USER)).to_contain_text("Long answer")
    # The rejoined stream keeps going (Stop is offered) and ends with the complete text.
    await expect(page.get_by_role("button", name="Stop")).to_be_visible()
    await wait_for_assistant_text(page, WORDS, within=30)
    await wait_idle(page)
    assert await page.get_by_role("article", name=ASSISTANT).count() == 1


async def test_message_sent_during_a_run_is_queued_then_answered(tab, chat_app):
    page = tab.page
    chat_app.say("first answer " + WORDS[:60], token_delay=0.08)
    await open_chat(page, chat_app.url)
    await send(page, "first question")
    await expect(page.get_by_role("button", name="Stop")).to_be_visible()
    await send(page, "second question")
    queued = page.get_by_role("list", name="Queued messages")
    await expect(queued).to_contain_text("second question")
    await expect(page.get_by_role("article", name=USER).last).to_contain_text(
        "second question", timeout=30_000
    )
    await wait_idle(page)
    await expect(queued).to_have_count(0)
    assert await page.get_by_role("article", name=ASSISTANT).count() == 2


async def test_api_key_never_reaches_the_browser(tab, chat_app):
    page = tab.page
    chat_app.say("key check", token_delay=0.01)
    await open_chat(page, chat_app.url)
    await send(page, "hello")
    await wait_for_assistant_text(page, "key check")
    await page.get_by_role("button", name="Settings").click()
    await page.wait_for_timeout(500)
    html = await page.content()
    storage = await page.evaluate("() => JSON.stringify(localStorage) + document.cookie")
    assert SECRET not in html and SECRET not in storage
    assert tab.frames_in, "websocket traffic was recorded"
    assert all(SECRET not in frame for frame in tab.frames_in + tab.frames_out)
