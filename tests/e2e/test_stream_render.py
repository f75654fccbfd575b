"""What the browser does while an answer streams: finished markdown blocks render once and
the final render is the whole text's; Stop never flips back to Send while a run starts,
Send is back as soon as the answer is complete; a new answer never resends the thread."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.helpers import ASSISTANT, open_chat, send, wait_idle

pytestmark = pytest.mark.e2e

MARKDOWN = ("First paragraph with **bold** words.\n\n- one item\n- two items\n\n"
            "```py\nx = 1\n\ny = 2\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            + " ".join(f"tail{i}" for i in range(30)) + ".")

# Records, in page order: the composer's button changes ("stop" / "send"), the streaming
# bubble leaving ("live-gone"), the streaming bubble's markdown HTML after each change,
# and whether the first paragraph's element, once finished, survives the whole stream.
PROBE = """
() => {
  const log = window.__log = {events: [], liveHtml: '', firstP: null, firstPKept: true};
  let state = '', live = null;
  const button = () => {
    const form = document.querySelector('textarea[aria-label="Message"]')?.closest('form');
    if (!form) return '';
    if (form.querySelector('button[aria-label="Stop"]')) return 'stop';
    return form.querySelector('button[aria-label="Send"]') ? 'send' : '';
  };
  state = button();
  new MutationObserver(() => {
    const now = button();
    if (now && now !== state) { log.events.push(now); state = now; }
    const streaming = document.querySelector('[aria-label="Assistant message (streaming)"]');
    if (streaming) {
      live = streaming;
      const md = streaming.querySelector('.chat-markdown');
      if (md) log.liveHtml = md.innerHTML;
      // Once the list has started, the first paragraph is finished: keep its element.
      const p = md && md.querySelector('ul') && md.querySelector('p');
      if (p && !log.firstP) log.firstP = p;
      if (log.firstP && !log.firstP.isConnected) log.firstPKept = false;
    } else if (live) { log.events.push('live-gone'); live = null; }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true});
}
"""


async def answer_is(page, text: str) -> None:
    """The last answer's markdown reads `text` (its usage line aside)."""
    answer = page.get_by_role("article", name=ASSISTANT).last.locator(".chat-markdown")
    await expect(answer).to_have_text(text, timeout=30_000)


def _normal(html: str) -> str:
    """Markup without the whitespace between elements (a whole render puts newlines
    between top-level blocks, a block-by-block one does not)."""
    return re.sub(r">\s+<", "><", html).strip()


async def test_markdown_streams_block_by_block_and_ends_as_the_whole_render(tab, chat_app):
    page = tab.page
    chat_app.say(MARKDOWN, token_delay=0.04)
    await open_chat(page, chat_app.url)
    await page.evaluate(PROBE)
    await send(page, "Show me some markdown")
    answer = page.get_by_role("article", name=ASSISTANT).last
    await expect(answer).to_contain_text("tail29.", timeout=30_000)
    await wait_idle(page)
    await expect(answer.locator("strong")).to_have_text("bold")
    await expect(answer.locator("li")).to_have_count(2)
    await expect(answer.locator("table")).to_be_visible()
    log = await page.evaluate("""() => ({html: window.__log.liveHtml, kept: window.__log.firstPKept,
        seen: !!window.__log.firstP, events: window.__log.events})""")
    assert log["seen"] and log["kept"], "the finished first paragraph was rendered again"
    await expect(page.get_by_role("article", name="Assistant message (streaming)")).to_have_count(0)
    finished = await answer.locator(".chat-markdown").first.inner_html()
    assert _normal(log["html"]) == _normal(finished)


async def test_stop_shows_from_the_click_and_send_returns_with_the_complete_answer(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    await page.evaluate(PROBE)
    for round_ in range(2):  # a new thread, then a run on the existing one
        reply = " ".join(f"r{round_}w{i}" for i in range(25))
        chat_app.say(reply, token_delay=0.02)
        await page.evaluate("() => { window.__log.events = []; }")
        await send(page, f"Question {round_}")
        await answer_is(page, reply)
        await wait_idle(page)
        await expect(page.get_by_role("article", name="Assistant message (streaming)")
                     ).to_have_count(0)
        events = await page.evaluate("() => window.__log.events")
        buttons = [event for event in events if event != "live-gone"]
        assert buttons == ["stop", "send"], events
        # Send is back no later than the streamed bubble joins the list (that waits for
        # the re-read of the thread after the run).
        assert events.index("send") < events.index("live-gone"), events


async def test_a_new_answer_does_not_resend_the_thread(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    for i in range(3):
        chat_app.say(f"Earlier answer number {i} with words", token_delay=0.0)
        await send(page, f"Earlier question {i}")
        await answer_is(page, f"Earlier answer number {i} with words")
        await wait_idle(page)
    await page.wait_for_timeout(300)
    since = len(tab.frames_in)
    chat_app.say("The newest answer", token_delay=0.01)
    await send(page, "Newest question")
    await answer_is(page, "The newest answer")
    await wait_idle(page)
    await page.wait_for_timeout(500)
    later = "".join(tab.frames_in[since:])
    assert "Newest question" in later and "The newest answer" in later
    for i in range(3):
        assert f"Earlier answer number {i}" not in later
    # (The first question is the thread's title in the sidebar, which is refreshed.)
    assert "Earlier question 1" not in later and "Earlier question 2" not in later
    # What the page shows is still the whole thread, in order.
    texts = [t.strip() for t in
             await page.locator("[role=article] .user-text, [role=article] .chat-markdown"
                                ).all_inner_texts()]
    assert len(texts) == 8
    assert texts[0] == "Earlier question 0" and texts[-2:] == ["Newest question",
                                                               "The newest answer"]


async def test_the_list_follows_a_long_answer_until_the_reader_scrolls_up(tab, chat_app):
    """Taller than the window: the newest line stays in view while the reader is at the
    bottom, a reload opens the thread at its end, and once the reader scrolls up while
    an answer streams the list stays where they put it; sending brings them down."""
    page = tab.page
    lines = [f"Line {i} of a long answer." for i in range(1, 61)]
    chat_app.say("\n\n".join(lines), token_delay=0.01)
    await open_chat(page, chat_app.url)
    await send(page, "Tell me a lot")
    answer = page.get_by_role("article", name=ASSISTANT).last
    await expect(answer).to_contain_text(lines[-1], timeout=30_000)
    await wait_idle(page)
    await expect(answer.get_by_text(lines[-1])).to_be_in_viewport()
    await expect(answer.get_by_text(lines[0])).not_to_be_in_viewport()

    await page.reload()
    await expect(page.get_by_role("textbox", name="Message")).to_be_editable(timeout=30_000)
    answer = page.get_by_role("article", name=ASSISTANT).last
    await expect(answer.get_by_text(lines[-1])).to_be_in_viewport()

    await send(page, "Tell me a lot again")
    streaming = page.get_by_role("article", name="Assistant message (streaming)")
    await expect(streaming).to_contain_text(lines[15], timeout=30_000)
    scroller = page.locator("#message-scroll")
    area = await scroller.bounding_box()
    await page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    top = await scroller.evaluate("(box) => box.scrollTop")
    await page.mouse.wheel(0, -1500)  # up, away from the answer, while it streams
    await wait_idle(page)
    answer = page.get_by_role("article", name=ASSISTANT).last
    await expect(answer).to_contain_text(lines[-1])
    await expect(answer.get_by_text(lines[-1])).not_to_be_in_viewport()
    assert await scroller.evaluate("(box) => box.scrollTop") <= top - 1000

    chat_app.say("A short answer.", token_delay=0.0)
    await send(page, "One more")
    await answer_is(page, "A short answer.")
    await expect(page.get_by_role("article", name=ASSISTANT).last).to_be_in_viewport()
