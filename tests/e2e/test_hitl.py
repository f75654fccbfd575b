"""Human in the loop in the browser, against the real demo and test graphs.

Each decision type must change what the agent does: approve runs the tool, edit runs it
with the edited (typed) arguments, reject and respond do not run it. Also: the legacy
agent-inbox format, a free-form question answered from the composer, a static
breakpoint continued, two interrupts answered in one resume, and reload survival.
"""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from app.sdk import AgentClient
from tests.e2e.helpers import (
    ASSISTANT,
    open_chat,
    send,
    visitor_owner,
    wait_for_assistant_text,
    wait_idle,
)

pytestmark = pytest.mark.e2e


async def use_assistant(page: Page, graph: str) -> None:
    """Make the app talk to `graph` (the picker stores it in localStorage)."""
    await page.add_init_script(f"localStorage.setItem('lg:assistant', {graph!r})")


def panel(page: Page):
    return page.get_by_role("region", name="Needs your input")


def tool(page: Page, name: str):
    return panel(page).get_by_role("group", name=f"Tool call {name}")


def message_tool_card(page: Page, name: str):
    """The tool card in the conversation (not the review card in the panel)."""
    return page.get_by_role("article", name=ASSISTANT).get_by_role(
        "group", name=f"Tool call {name}").last


async def final_text(page: Page, needle: str, within_ms: float = 30_000) -> str:
    last = page.get_by_role("article", name=ASSISTANT).last
    await expect(last).to_contain_text(needle, timeout=within_ms)
    await expect(panel(page)).to_have_count(0)
    await wait_idle(page)
    return await last.inner_text()


async def start_agent(page: Page, url: str, request: str) -> None:
    await use_assistant(page, "agent")
    await open_chat(page, url)
    await send(page, request)
    await expect(panel(page)).to_be_visible(timeout=30_000)


async def test_approve_runs_the_tool(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "weather in Paris")
    card = tool(page, "get_weather")
    await expect(card).to_contain_text('"city": "Paris"')
    await expect(card.get_by_role("button", name="Edit")).to_have_count(0)  # not allowed
    # The call in the conversation waits for the reviewer: no spinner, "Awaiting review".
    call = message_tool_card(page, "get_weather")
    await expect(call).to_have_attribute("data-status", "awaiting_review")
    await expect(call).to_contain_text("Awaiting review")
    await expect(call.locator(".rt-Spinner")).to_have_count(0)
    submit = panel(page).get_by_role("button", name="Submit")
    await expect(submit).to_be_disabled()
    await card.get_by_role("button", name="Approve").click()
    await expect(card).to_contain_text("Approved")
    await page.screenshot(path="/tmp/e2e-hitl-approved.png")
    await submit.click()
    text = await final_text(page, "get_weather: It is sunny")
    assert "Paris" in text and "not run" not in text
    await expect(message_tool_card(page, "get_weather")).to_have_attribute(
        "data-status", "completed")


async def test_edit_runs_the_tool_with_typed_edited_arguments(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "book a table at Luigi's for 4 at 7pm")
    card = tool(page, "book_table")
    await card.get_by_role("button", name="Edit").click()
    size = card.get_by_role("spinbutton", name="Party size")
    await expect(size).to_have_value("4")
    await size.fill("6")
    await card.get_by_role("textbox", name="Restaurant").fill("Mario's")
    await page.screenshot(path="/tmp/e2e-hitl-edit-form.png")
    await card.get_by_role("button", name="Save edits").click()
    await expect(card).to_contain_text('party_size=6')  # a number, not "6"
    await panel(page).get_by_role("button", name="Submit").click()
    await final_text(page, "book_table: Booked a table for 6 at Mario's at 7pm")


async def test_reject_with_a_reason_does_not_run_the_tool(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "email bob about lunch")
    card = tool(page, "send_email")
    await card.get_by_role("button", name="Reject").click()
    await card.get_by_role("textbox", name="Reason").fill("Bob is on holiday")
    await card.get_by_role("button", name="Confirm reject").click()
    await panel(page).get_by_role("button", name="Submit").click()
    text = await final_text(page, "send_email was not run")
    assert "Email sent" not in text
    call = message_tool_card(page, "send_email")
    await expect(call).to_have_attribute("data-status", "rejected")
    await expect(call).to_contain_text("rejected")


async def test_respond_returns_a_message_instead_of_running_the_tool(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "weather in Oslo")
    card = tool(page, "get_weather")
    await card.get_by_role("button", name="Respond").click()
    await card.get_by_role("textbox", name="Response").fill("It is snowing in Oslo.")
    await card.get_by_role("button", name="Save response").click()
    await panel(page).get_by_role("button", name="Submit").click()
    text = await final_text(page, "get_weather: It is snowing in Oslo.")
    assert "sunny" not in text


async def test_batch_needs_every_decision_then_sends_them_in_order(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url,
                      "weather in Rome and book a table at Luigi's for 2 at 8pm")
    await expect(panel(page)).to_contain_text("Review 2 tool calls")
    submit = panel(page).get_by_role("button", name="Submit")
    await tool(page, "book_table").get_by_role("button", name="Approve").click()
    await expect(submit).to_be_disabled()
    weather = tool(page, "get_weather")
    await weather.get_by_role("button", name="Reject").click()
    await weather.get_by_role("button", name="Confirm reject").click()
    await expect(submit).to_be_enabled()
    await page.screenshot(path="/tmp/e2e-hitl-batch.png")
    await submit.click()
    text = await final_text(page, "book_table: Booked a table for 2")
    assert "get_weather was not run" in text


async def test_approve_all_and_the_decision_is_recorded_after_reload(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "weather in Lima and weather in Quito")
    await panel(page).get_by_role("button", name="Approve all").click()
    await final_text(page, "It is sunny")
    await expect(page).to_have_url(re.compile(r"/threads/"))
    await page.reload()
    notes = page.get_by_role("list", name="Decisions")
    await expect(notes.first).to_contain_text("get_weather: Approved", timeout=20_000)
    await expect(notes.first).to_contain_text(re.compile(r"reviewer-\w+, \d{4}-\d\d-\d\d"))


async def test_reload_and_thread_switch_keep_the_pending_card(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "email ann about the report")
    await expect(page).to_have_url(re.compile(r"/threads/"))
    url = page.url
    await page.reload()
    await expect(tool(page, "send_email")).to_be_visible()
    await page.get_by_role("link", name=re.compile("New thread")).click()
    await expect(panel(page)).to_have_count(0)
    await page.goto(url)
    card = tool(page, "send_email")
    await expect(card).to_contain_text("ann@example.com")
    await card.get_by_role("button", name="Approve").click()
    await panel(page).get_by_role("button", name="Submit").click()
    await final_text(page, "Email sent to ann@example.com")


async def test_sending_while_a_review_waits_does_not_start_a_new_run(tab, chat_app):
    page = tab.page
    await start_agent(page, chat_app.url, "weather in Bern")
    await send(page, "hello?")
    await expect(panel(page).get_by_role("alert")).to_contain_text("waiting for your decision")
    await expect(page.get_by_role("textbox", name="Message")).to_have_value("hello?")
    assert await page.get_by_role("article", name=re.compile("^User")).count() == 1


async def test_legacy_human_interrupt(tab, chat_app):
    page = tab.page
    await use_assistant(page, "legacy_review")
    await open_chat(page, chat_app.url)
    await send(page, "please review")
    card = tool(page, "send_email")
    await expect(card).to_be_visible(timeout=30_000)
    for name in ("Accept", "Edit", "Respond", "Ignore"):
        await expect(card.get_by_role("button", name=name)).to_be_visible()
    await card.get_by_role("button", name="Edit").click()
    await card.get_by_role("textbox", name="Subject").fill("Dinner")
    await card.get_by_role("button", name="Save edits").click()
    await panel(page).get_by_role("button", name="Submit").click()
    await final_text(page, 'Edited. Sent email to bob@example.com with subject "Dinner".')


async def test_legacy_ignore(tab, chat_app):
    page = tab.page
    await use_assistant(page, "legacy_review")
    await open_chat(page, chat_app.url)
    await send(page, "please review")
    card = tool(page, "send_email")
    await card.get_by_role("button", name="Ignore").click()  # one click: no reason to give
    await expect(card.get_by_role("textbox", name="Reason")).to_have_count(0)
    await expect(card).to_contain_text("Ignored")
    await panel(page).get_by_role("button", name="Submit").click()
    await final_text(page, "Ignored; nothing was sent.")


async def test_free_form_questions_answered_from_the_composer_and_the_card(tab, chat_app):
    page = tab.page
    await use_assistant(page, "question")
    await open_chat(page, chat_app.url)
    await send(page, "hi")
    await expect(panel(page)).to_contain_text("What is your name?", timeout=30_000)
    await send(page, "Ada")  # the composer answers the question: no new run
    await wait_for_assistant_text(page, "Hello, Ada! Nice to meet you.")
    await expect(panel(page)).to_contain_text("Which colour do you like, Ada?")
    await expect(panel(page)).to_contain_text('"choices"')
    await page.screenshot(path="/tmp/e2e-hitl-question.png")
    await panel(page).get_by_role("textbox", name="Answer").fill('{"choice": "green"}')
    await panel(page).get_by_role("button", name="Submit").click()
    await final_text(page, "Green it is.")
    assert await page.get_by_role("article", name=re.compile("^User")).count() == 1


async def test_two_interrupts_answered_in_one_resume(tab, chat_app):
    page = tab.page
    await use_assistant(page, "parallel_interrupts")
    await open_chat(page, chat_app.url)
    await send(page, "go")
    answers = panel(page).get_by_role("textbox", name="Answer")
    await expect(answers).to_have_count(2, timeout=30_000)
    await expect(panel(page)).to_contain_text("alpha: what is your favourite number?")
    await expect(panel(page)).to_contain_text("beta: pick a fruit")
    submit = panel(page).get_by_role("button", name="Submit")
    await answers.nth(0).fill("7")
    await expect(submit).to_be_disabled()
    await answers.nth(1).fill("pear")
    await submit.click()
    await final_text(page, 'Answers: {"alpha": "7", "beta": "pear"}')


async def test_breakpoint_continue(tab, chat_app, e2e_server):
    page = tab.page
    await open_chat(page, chat_app.url)
    owner = await visitor_owner(page)  # the same person, starting it from another client
    async with AgentClient(e2e_server.url) as client:
        thread = await client.threads.create(metadata={"graph_id": "pipeline", "owner": owner})
        await client.runs.wait(
            thread.thread_id, "pipeline",
            input={"messages": [{"type": "human", "content": "stop before you answer"}]},
            interrupt_before=["respond"],
        )
    await use_assistant(page, "pipeline")
    await page.goto(f"{chat_app.url}/threads/{thread.thread_id}")
    card = panel(page)
    await expect(card).to_contain_text("Paused at a breakpoint", timeout=30_000)
    await card.get_by_role("button", name="Continue").click()
    await final_text(page, 'Pipeline reply to "stop before you answer".')


async def test_sidebar_badges_waiting_threads_and_filters_them(tab, chat_app):
    page = tab.page
    await use_assistant(page, "agent")
    await open_chat(page, chat_app.url)
    await send(page, "hello there")  # no tool: the agent just answers
    await final_text(page, "I am a demo agent")
    await page.get_by_role("link", name=re.compile("New thread")).click()
    await send(page, "weather in Tallinn")
    await expect(panel(page)).to_be_visible(timeout=30_000)
    threads = page.get_by_role("navigation", name="Threads")
    waiting = threads.get_by_role("listitem").filter(has_text="weather in Tallinn")
    await expect(waiting).to_contain_text("Needs input")
    await page.get_by_role("button", name="Needs input").click()
    await expect(page.get_by_role("button", name="Needs input")).to_have_attribute(
        "aria-pressed", "true")
    await expect(waiting).to_be_visible()
    await expect(threads.get_by_role("listitem").filter(has_text="hello there")).to_have_count(0)
    rows = threads.get_by_role("listitem")
    for index in range(await rows.count()):
        await expect(rows.nth(index)).to_contain_text("Needs input")
    await page.screenshot(path="/tmp/e2e-hitl-filter.png")


async def test_cards_in_dark_mode(tab, chat_app):
    page = tab.page
    await page.emulate_media(color_scheme="dark")
    await start_agent(page, chat_app.url,
                      "email bob about lunch and book a table at Luigi's for 4 at 7pm")
    await tool(page, "book_table").get_by_role("button", name="Edit").click()
    await tool(page, "send_email").get_by_role("button", name="Approve").click()
    await expect(tool(page, "send_email")).to_contain_text("Approved")
    card = panel(page).locator(".hitl-card").first
    colours = await card.evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
    await page.screenshot(path="/tmp/e2e-hitl-dark.png")

    def luminance(css: str) -> float:
        r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    background, text = colours
    assert luminance(background) < 0.3 < luminance(text), colours
