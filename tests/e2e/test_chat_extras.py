"""What people expect from a chat UI, in the browser: starter prompts (the demo's tour and
an assistant's own), thread search over hundreds of threads, export as Markdown and JSON
(what the thread holds), feedback that survives a reload, the floating launcher on a page
of its own, and keyboard shortcuts with their help popover."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.async_api import Page, expect

from app.access.owners import owner_metadata
from app.sdk import AgentClient
from app.stream.feedback import feedback_from_metadata
from app.stream.thread_search import first_message_update
from tests.e2e.helpers import ASSISTANT, open_chat, send, visitor_owner, wait_idle

pytestmark = pytest.mark.e2e
THREAD_URL = re.compile(r"/threads/([0-9a-f-]{36})$")


def answer(page: Page):
    return page.get_by_role("article", name=ASSISTANT).last


def starters(page: Page):
    return page.get_by_role("group", name="Starter prompts")


async def test_the_demo_tour_leads_to_each_capability(tab, chat_app):
    page = tab.page
    await open_chat(page, chat_app.url)
    tour = starters(page).get_by_role("button")
    await expect(tour).to_have_text(["Show rich markdown", "Approve a tool call",
                                     "Answer the agent's question", "Watch a deep agent work",
                                     "See a live weather card", "Ask about an image"])
    await starters(page).get_by_role("button", name="Show rich markdown").click()
    await expect(answer(page).get_by_role("table")).to_be_visible(timeout=20_000)
    await expect(answer(page).get_by_role("button", name="Copy code")).to_be_visible()
    await expect(starters(page)).to_have_count(0)  # not on a thread with messages
    await wait_idle(page)

    # A starter for another assistant switches the chat to it and sends its prompt.
    await page.get_by_role("link", name="New thread").click()
    await starters(page).get_by_role("button", name="See a live weather card").click()
    await expect(answer(page).get_by_role("region", name="Weather in Porto")).to_be_visible(
        timeout=20_000)
    assert await page.evaluate("localStorage.getItem('lg:assistant')") == "genui"
    await wait_idle(page)
    await page.get_by_role("link", name="New thread").click()
    await expect(starters(page).get_by_role("button")).to_have_text(
        ["What is the weather in Porto?", "What is the weather in Reykjavik?"])

    # "Ask about an image" types its prompt and opens the file chooser.
    await page.evaluate("localStorage.setItem('lg:assistant', 'chat')")
    await page.reload()
    async with page.expect_file_chooser() as chooser:
        await starters(page).get_by_role("button", name="Ask about an image").click()
    assert (await chooser.value).is_multiple()
    await expect(page.get_by_role("textbox", name="Message")).to_have_value(
        "What is in this image?")


async def test_an_assistants_own_starters_from_its_metadata(tab, chat_app, e2e_server):
    page = tab.page
    async with AgentClient(e2e_server.url) as client:
        assistant = await client.transport.request_json("POST", "/assistants", json_body={
            "graph_id": "chat", "name": "Helpdesk", "metadata": {"starters": [
                {"label": "Reset my password", "prompt": "How do I reset my password?"}]}})
    await page.add_init_script(
        f"localStorage.setItem('lg:assistant', {assistant['assistant_id']!r})")
    await open_chat(page, chat_app.url)
    button = starters(page).get_by_role("button", name="Reset my password")
    await expect(button).to_be_visible()
    await button.click()
    await expect(answer(page)).to_contain_text('You said: "How do I reset my password?"',
                                               timeout=20_000)


async def test_search_finds_threads_by_title_and_first_message(tab, chat_app, e2e_server):
    page = tab.page
    chat_app.say("Noted.", token_delay=0.005)
    await open_chat(page, chat_app.url)
    owner = await visitor_owner(page)
    topics = ["invoice", "holiday", "garden", "recipe", "python", "bicycle"]
    async with AgentClient(e2e_server.url) as client:
        for index in range(300):
            topic = topics[index % len(topics)]
            metadata = {"graph_id": "chat", **first_message_update(
                f"Question {index} about my {topic}")}
            if index == 123:
                metadata["title"] = "Lisbon tram notes"
            await client.threads.create(metadata=owner_metadata(owner, metadata))
    # A thread started here keeps its first message for the search.
    await send(page, "Zebra crossings near the Café")
    await expect(page).to_have_url(THREAD_URL, timeout=20_000)
    await wait_idle(page)

    search = page.get_by_role("textbox", name="Search threads")
    results = page.get_by_role("navigation", name="Search results").get_by_role("link")
    started = time.monotonic()
    await search.fill("lisbon TRAM")
    await expect(results).to_have_count(1)
    first_search = time.monotonic() - started
    await expect(results).to_contain_text(["Lisbon tram notes"])
    await expect(results.first).to_contain_text("Question 123 about my recipe")

    started = time.monotonic()
    await search.fill("cafe zebra")  # any order, accents folded
    await expect(results).to_have_count(1)
    second_search = time.monotonic() - started
    await expect(results.first).to_contain_text("Zebra crossings near the Café")
    await search.fill("bicycle")
    await expect(results).to_have_count(50)  # the first 50 of 50 matching threads
    await search.fill("no such words anywhere")
    await expect(page.get_by_role("status").filter(has_text="No thread matches.")).to_be_visible()
    # Over 301 threads: the first search reads the rows, later ones match in memory.
    assert first_search < 5 and second_search < 2, (first_search, second_search)

    await search.fill("lisbon tram")
    await results.first.click()
    await expect(page).to_have_url(THREAD_URL)
    await page.get_by_role("button", name="Clear search").click()
    await expect(page.get_by_role("navigation", name="Threads")).to_be_visible()


async def test_feedback_is_kept_in_the_thread_and_survives_a_reload(tab, chat_app, e2e_server):
    page = tab.page
    chat_app.say("A helpful answer.", token_delay=0.005)
    await open_chat(page, chat_app.url)
    await send(page, "Help me")
    await expect(answer(page)).to_contain_text("A helpful answer.", timeout=20_000)
    await wait_idle(page)
    good = answer(page).get_by_role("button", name="Good answer")
    await good.click()
    await expect(good).to_have_attribute("aria-pressed", "true")
    comment = page.get_by_role("textbox", name="Feedback comment")
    await comment.fill("Short and clear")
    await comment.press("Enter")
    await expect(answer(page).get_by_label("Your feedback")).to_have_text("Short and clear")

    await page.reload()
    good = answer(page).get_by_role("button", name="Good answer")
    await expect(good).to_have_attribute("aria-pressed", "true")
    await expect(answer(page).get_by_role("button", name="Bad answer")).to_have_attribute(
        "aria-pressed", "false")
    await expect(answer(page).get_by_label("Your feedback")).to_have_text("Short and clear")

    thread_id = THREAD_URL.search(page.url).group(1)
    async with AgentClient(e2e_server.url) as client:
        kept = feedback_from_metadata((await client.threads.get(thread_id)).metadata)
    (record,) = kept.values()
    assert record["rating"] == "up" and record["comment"] == "Short and clear"
    assert record["by"] == "Visitor" and record["langsmith"] is False

    # Changed to a thumbs down, then taken back: gone after a reload too.
    bad = answer(page).get_by_role("button", name="Bad answer")
    await bad.click()
    await expect(bad).to_have_attribute("aria-pressed", "true")
    await page.get_by_role("button", name="Skip comment").click()
    await bad.click()
    await expect(bad).to_have_attribute("aria-pressed", "false")
    await page.reload()
    await expect(answer(page).get_by_role("button", name="Bad answer")).to_have_attribute(
        "aria-pressed", "false")
    await expect(answer(page).get_by_role("button", name="Good answer")).to_have_attribute(
        "aria-pressed", "false")


async def test_export_downloads_what_the_thread_holds(tab, chat_app, e2e_server):
    page = tab.page
    chat_app.say("Here is a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |", token_delay=0.005)
    await open_chat(page, chat_app.url)
    await expect(page.get_by_role("button", name="Export")).to_be_disabled()
    await send(page, "Export me")
    await expect(answer(page).get_by_role("table")).to_be_visible(timeout=20_000)
    await wait_idle(page)
    await answer(page).get_by_role("button", name="Bad answer").click()
    await page.get_by_role("textbox", name="Feedback comment").fill("Needs more rows")
    await page.get_by_role("button", name="Add comment").click()
    await expect(answer(page).get_by_label("Your feedback")).to_have_text("Needs more rows")

    async def export(item: str):
        await page.get_by_role("button", name="Export").click()
        async with page.expect_download() as download:
            await page.get_by_role("menuitem", name=item).click()
        got = await download.value
        return got.suggested_filename, (await got.path()).read_text()

    name, markdown = await export("Markdown")
    assert name == "export-me.md"
    assert markdown.startswith("# Export me\n")
    assert "## User\n\nExport me" in markdown
    assert "## Assistant\n\nHere is a table:\n\n| a | b |" in markdown
    assert '> Feedback: 👎 not helpful "Needs more rows"' in markdown

    name, text = await export("JSON")
    assert name == "export-me.json"
    exported = json.loads(text)
    thread_id = THREAD_URL.search(page.url).group(1)
    async with AgentClient(e2e_server.url) as client:
        state = await client.threads.get_state(thread_id)
    assert exported["thread_id"] == thread_id
    assert exported["messages"] == state.values["messages"]  # exactly what the thread holds
    (record,) = exported["feedback"].values()
    assert record["rating"] == "down" and record["comment"] == "Needs more rows"


async def test_the_launcher_opens_the_chat_on_another_page(tab, chat_app):
    page = tab.page
    chat_app.say("Hello from the corner.", token_delay=0.005)
    await page.goto(f"{chat_app.url}/launcher")
    await expect(page.get_by_role("heading", name="Your own page")).to_be_visible()
    await page.get_by_role("button", name="Open chat").click()
    chat = page.get_by_role("dialog", name="Chat")
    box = chat.get_by_role("textbox", name="Message")
    await expect(box).to_be_editable()
    await box.fill("Hi there")
    await box.press("Enter")
    await expect(chat.get_by_role("article", name=ASSISTANT)).to_have_text(
        re.compile("Hello from the corner."), timeout=20_000)
    await expect(page).to_have_url(re.compile(r"/launcher/?$"))  # the page stays itself
    await chat.get_by_role("button", name="Close chat").click()
    await expect(chat).to_have_count(0)
    await page.get_by_role("button", name="Open chat").click()
    await expect(page.get_by_role("dialog", name="Chat").get_by_role(
        "article", name="User message")).to_have_text(re.compile("Hi there"))


async def test_keyboard_shortcuts(tab, chat_app):
    page = tab.page
    chat_app.say(" ".join(f"word{i}" for i in range(400)), token_delay=0.05)
    await open_chat(page, chat_app.url)
    await page.get_by_role("button", name="Keyboard shortcuts").click()
    help_ = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(help_).to_contain_text("Stop the answer")
    await expect(help_).to_contain_text("Edit your last message")
    await expect(help_).to_contain_text("New thread")
    await page.keyboard.press("Escape")  # closes the popover
    await expect(help_).to_have_count(0)

    await send(page, "Talk for a long time")
    await expect(page.get_by_role("button", name="Stop")).to_be_visible(timeout=20_000)
    await expect(page.get_by_role("article", name="Assistant message (streaming)")
                 ).to_contain_text("word3", timeout=20_000)
    await page.keyboard.press("Escape")  # stops the run
    await wait_idle(page)
    await expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    await expect(page).to_have_url(THREAD_URL)

    await page.keyboard.press("Control+Shift+O")  # a new thread
    await expect(page).to_have_url(re.compile(r"/$"))
    await expect(starters(page)).to_be_visible()
