"""The `deep` agent in the browser: the plan and the files update live, the two subagent
cards stream apart, the reasoning block streams as "Thinking", folds into "Thought for
N s" and survives a reload, and a file edited in its dialog round-trips through the
thread's state (refused with the reason while the agent waits for a decision)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.helpers import open_chat, send, wait_idle

pytestmark = pytest.mark.e2e

ASK = "Write a short report on tide pools."
THOUGHT = re.compile(r"^Thought for \d+ s$")


async def ask_deep(page: Page, chat_app, token_delay: float) -> None:
    """Talk to the `deep` assistant (what the settings picker stores) and ask for a
    report, its tokens `token_delay` seconds apart."""
    chat_app.say("", token_delay=token_delay)
    await page.add_init_script("localStorage.setItem('lg:assistant', 'deep')")
    await open_chat(page, chat_app.url)
    await send(page, ASK)


def plan(page: Page):
    return page.get_by_role("region", name="Plan")


def subagent(page: Page, kind: str):
    return page.get_by_role("group", name=f"Subagent {kind}")


async def approve(page: Page) -> None:
    waiting = page.get_by_role("region", name="Needs your input")
    await waiting.get_by_role("button", name="Approve", exact=True).click()
    await waiting.get_by_role("button", name="Submit").click()


async def test_plan_subagents_and_reasoning_stream_live(tab, chat_app):
    page = tab.page
    await ask_deep(page, chat_app, 0.03)

    thinking = page.get_by_role("button", name="Thinking", exact=True)
    await expect(thinking).to_be_visible()
    await expect(thinking).to_have_attribute("aria-expanded", "true")  # streams open
    await expect(page.get_by_text("The user wants a report on tide pools.")).to_be_visible()

    await expect(plan(page)).to_contain_text("0 / 4")
    items = plan(page).get_by_role("listitem")
    await expect(items).to_have_count(4)
    await expect(items.first).to_contain_text("Research tide pools (researcher subagent)")
    await expect(items.first).to_contain_text("in progress")
    thought = page.get_by_role("button", name=THOUGHT).first
    await expect(thought).to_have_attribute("aria-expanded", "false")  # folded at the answer

    researcher, analyst = subagent(page, "researcher"), subagent(page, "analyst")
    await expect(researcher).to_have_attribute("data-status", "running")
    await expect(analyst).to_have_attribute("data-status", "running")
    both_live = False
    while await researcher.get_attribute("data-status") == "running":
        mine, theirs = await researcher.inner_text(), await analyst.inner_text()
        assert "Numbers about" not in mine and "Facts about" not in theirs
        both_live = both_live or ("Looking up" in mine and "Looking up" in theirs)
        await page.wait_for_timeout(50)
    assert both_live, "the two cards never streamed at the same time"
    await expect(researcher).to_have_attribute("data-status", "done")
    await expect(analyst).to_have_attribute("data-status", "done")
    await researcher.locator(":scope > summary").click()
    await expect(researcher).to_contain_text("Facts about tide pools")
    await expect(researcher.get_by_role("group", name="Tool call web_search")).to_be_visible()
    assert "Numbers about" not in await researcher.inner_text()
    await expect(page.get_by_role("group", name="Tool call task")).to_have_count(0)

    await expect(plan(page)).to_contain_text("2 / 4")
    files = page.get_by_role("region", name="Files")
    await files.get_by_role("button", name="/report.md").click()
    dialog = page.get_by_role("dialog", name="/report.md")
    await expect(dialog.get_by_role("heading", name="Report: tide pools")).to_be_visible()
    await expect(dialog).to_contain_text("waiting for your decision")
    await expect(dialog.get_by_role("button", name="Edit")).to_be_disabled()
    await expect(dialog.get_by_role("button", name="Save")).to_be_disabled()
    await expect(dialog.get_by_role("button", name="Download")).to_be_enabled()
    await page.keyboard.press("Escape")

    await approve(page)
    await wait_idle(page)
    await expect(plan(page)).to_contain_text("4 / 4")
    await expect(page.get_by_role("button", name=THOUGHT)).to_have_count(2)
    await thought.click()
    await expect(thought).to_have_attribute("aria-expanded", "true")
    await expect(page.get_by_text("The user wants a report on tide pools.")).to_be_visible()
    await expect(page.get_by_label("Usage").last).to_contain_text("tokens/s")
    details = page.get_by_role("region", name="Thread details")
    await expect(details).to_contain_text("6 answers with usage")


async def test_a_file_edit_round_trips_and_the_reasoning_survives_a_reload(tab, chat_app):
    page = tab.page
    await ask_deep(page, chat_app, 0.005)
    await approve(page)
    await wait_idle(page)

    await page.get_by_role("region", name="Files").get_by_role(
        "button", name="/report.md").click()
    dialog = page.get_by_role("dialog", name="/report.md")
    await expect(dialog).to_contain_text("Status: reviewed")
    async with page.expect_download() as download:
        await dialog.get_by_role("button", name="Download").click()
    saved_path = await (await download.value).path()
    text = await asyncio.to_thread(Path(saved_path).read_text, encoding="utf-8")
    assert text.startswith("# Report: tide pools\n")
    await dialog.get_by_role("button", name="Edit").click()
    editor = dialog.get_by_role("textbox", name="File content")
    await expect(editor).to_have_value(re.compile(r"^# Report: tide pools"))
    await editor.fill("# Tide pools\n\nEdited **by hand**.\n")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_role("status")).to_have_text("Saved.")
    await expect(dialog.get_by_role("heading", name="Tide pools")).to_be_visible()
    await expect(dialog.locator("strong")).to_have_text("by hand")
    await page.keyboard.press("Escape")

    await page.reload()
    await expect(plan(page)).to_contain_text("4 / 4")
    thoughts = page.get_by_role("button", name=THOUGHT)
    await expect(thoughts).to_have_count(2)
    await expect(thoughts.first).to_have_attribute("aria-expanded", "false")
    await thoughts.last.click()
    await expect(page.get_by_text("Every todo is completed.")).to_be_visible()
    await expect(subagent(page, "researcher")).to_have_attribute("data-status", "done")
    await expect(subagent(page, "analyst")).to_contain_text("Collect the key numbers")
    await page.get_by_role("region", name="Files").get_by_role(
        "button", name="/report.md").click()
    await expect(page.get_by_role("dialog", name="/report.md")).to_contain_text(
        "Edited by hand.")
