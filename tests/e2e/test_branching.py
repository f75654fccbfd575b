"""Branching in the browser: edit a human message, regenerate an AI message, switch
branches with Previous / Next, and keep the chosen branch across a reload."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    open_chat,
    send,
    visitor_owner,
    wait_for_assistant_text,
    wait_idle,
)

pytestmark = pytest.mark.e2e


def switcher(article):
    return article.get_by_role("group", name="Branches")


async def first_exchange(page: Page, chat_app) -> None:
    """Open the chat and get "The first answer." to "hello"."""
    chat_app.say("The first answer.", token_delay=0.01)
    await open_chat(page, chat_app.url)
    await send(page, "hello")
    await wait_for_assistant_text(page, "The first answer.")
    await wait_idle(page)


async def test_edit_forks_and_switching_back_shows_the_original_answer(tab, chat_app):
    page: Page = tab.page
    await first_exchange(page, chat_app)

    chat_app.say("The answer to the edit.", token_delay=0.01)
    user = page.get_by_role("article", name=USER).first
    await user.get_by_role("button", name="Edit").click()
    editor = user.get_by_role("textbox", name="Edit message")
    await expect(editor).to_have_value("hello")
    await editor.fill("hello, edited")
    await user.get_by_role("button", name="Save edit").click()
    await wait_for_assistant_text(page, "The answer to the edit.")
    await wait_idle(page)
    await expect(page.get_by_role("article", name=USER)).to_have_count(1)
    user = page.get_by_role("article", name=USER).first
    await expect(user).to_contain_text("hello, edited")
    await expect(switcher(user)).to_contain_text("2 / 2")
    await expect(page).to_have_url(re.compile(r"\?branch="))
    await page.screenshot(path="/tmp/e2e-branch-edited.png")

    await switcher(user).get_by_role("button", name="Previous branch").click()
    user = page.get_by_role("article", name=USER).first
    await expect(user).to_contain_text("hello")
    await expect(user).not_to_contain_text("edited")
    await expect(switcher(user)).to_contain_text("1 / 2")
    await wait_for_assistant_text(page, "The first answer.")

    await page.reload()  # the chosen branch survives (it is in the URL)
    user = page.get_by_role("article", name=USER).first
    await expect(switcher(user)).to_contain_text("1 / 2")
    await wait_for_assistant_text(page, "The first answer.")
    await switcher(user).get_by_role("button", name="Next branch").click()
    await wait_for_assistant_text(page, "The answer to the edit.")


async def test_regenerate_gives_two_of_two_on_the_ai_message(tab, chat_app):
    page: Page = tab.page
    await open_chat(page, chat_app.url)
    await send(page, "tell me something")
    ai = page.get_by_role("article", name=ASSISTANT).last
    await expect(ai).to_contain_text("demo reply", ignore_case=True, timeout=20_000)
    await wait_idle(page)
    first = (await ai.inner_text()).strip()
    await ai.get_by_role("button", name="Regenerate").click()
    await expect(ai).to_contain_text("attempt 2", timeout=20_000)
    await wait_idle(page)
    ai = page.get_by_role("article", name=ASSISTANT).last
    await expect(switcher(ai)).to_contain_text("2 / 2")
    await expect(page.get_by_role("article", name=ASSISTANT)).to_have_count(1)
    await page.screenshot(path="/tmp/e2e-branch-regenerated.png")
    await switcher(ai).get_by_role("button", name="Previous branch").click()
    await expect(switcher(ai)).to_contain_text("1 / 2")
    await expect(ai).not_to_contain_text("attempt 2")
    assert first.split("\n")[0] in (await ai.inner_text())


async def test_editing_an_early_message_of_a_long_thread_forks_there(tab, chat_app, e2e_server):
    """The fork point is found even when the message is older than the fetched history."""
    from app.sdk import AgentClient
    from app.stream.fork_log import read_forks

    page: Page = tab.page
    await open_chat(page, chat_app.url)
    owner = await visitor_owner(page)  # the same person, starting it from another client
    async with AgentClient(e2e_server.url) as client:
        thread = await client.threads.create(metadata={"owner": owner})
        for turn in range(12):
            await client.runs.wait(
                thread.thread_id, "chat",
                input={"messages": [{"type": "human", "content": f"turn {turn}"}]},
                config={"configurable": {"reply": f"answer {turn}", "token_delay": 0}},
            )
    await page.goto(f"{chat_app.url}/threads/{thread.thread_id}")
    users = page.get_by_role("article", name=USER)
    await expect(users).to_have_count(12)
    chat_app.say("answer to the new start", token_delay=0.005)
    first = users.first
    await first.get_by_role("button", name="Edit").click()
    await first.get_by_role("textbox", name="Edit message").fill("a new start")
    await first.get_by_role("button", name="Save edit").click()
    await wait_for_assistant_text(page, "answer to the new start")
    await wait_idle(page)
    await expect(users).to_have_count(1)
    await expect(users.first).to_contain_text("a new start")
    await expect(page.get_by_role("article", name=ASSISTANT)).to_have_count(1)
    async with AgentClient(e2e_server.url) as client:  # the fork point is recorded
        assert len(await read_forks(client.threads, thread.thread_id)) == 1


async def test_a_fork_older_than_the_fetched_history_shows_its_switcher(tab, chat_app, e2e_server):
    """First message edited (the fork recorded as the chat records its own edits), then
    14 turns: the fork is far older than the newest history page, yet "2 / 2" shows on
    the first message and switching works."""
    from app.sdk import AgentClient
    from app.stream.fork_log import record_fork

    page: Page = tab.page
    fast = {"configurable": {"reply": "an answer", "token_delay": 0}}
    await open_chat(page, chat_app.url)
    owner = await visitor_owner(page)
    async with AgentClient(e2e_server.url) as client:
        thread = (await client.threads.create(metadata={"owner": owner})).thread_id
        await client.runs.wait(thread, "chat", config=fast,
                               input={"messages": [{"type": "human", "content": "original"}]})
        history = await client.threads.get_history(thread, limit=20)
        first = next(s for s in reversed(history) if (s.values or {}).get("messages"))
        await client.runs.wait(thread, "chat", config=fast, checkpoint=first.parent_checkpoint,
                               input={"messages": [{"type": "human", "content": "edited"}]})
        await record_fork(client.threads, thread, first.parent_checkpoint.checkpoint_id)
        for turn in range(14):
            await client.runs.wait(thread, "chat", config=fast, input={
                "messages": [{"type": "human", "content": f"turn {turn}"}]})
    await page.goto(f"{chat_app.url}/threads/{thread}")
    users = page.get_by_role("article", name=USER)
    await expect(users).to_have_count(15)
    await expect(switcher(users.first)).to_contain_text("2 / 2")
    await switcher(users.first).get_by_role("button", name="Previous branch").click()
    await expect(users).to_have_count(1)
    await expect(users.first).to_contain_text("original")
    await expect(switcher(users.first)).to_contain_text("1 / 2")
    await switcher(users.first).get_by_role("button", name="Next branch").click()
    await expect(users).to_have_count(15)
    await expect(users.first).to_contain_text("edited")


async def test_forking_while_an_answer_streams_waits_and_says_so(tab, chat_app):
    """During a run the earlier messages' buttons stay as they are (a run starting and
    ending restyles nothing in them); Regenerate clicked meanwhile starts nothing and
    says why."""
    page: Page = tab.page
    await first_exchange(page, chat_app)

    slow = " ".join(f"slow{i}" for i in range(80))
    chat_app.say(slow, token_delay=0.05)
    await send(page, "and now slowly")
    await expect(page.get_by_role("button", name="Stop")).to_be_visible()
    first = page.get_by_role("article", name=ASSISTANT).first
    await first.hover()
    await first.get_by_role("button", name="Regenerate").click()
    await expect(page.get_by_text("The agent is answering")).to_be_visible()
    await expect(page.get_by_role("button", name="Stop")).to_be_visible()  # still streaming
    await wait_for_assistant_text(page, slow)
    await wait_idle(page)
    await expect(page.get_by_role("article", name=ASSISTANT)).to_have_count(2)
    await expect(switcher(page.get_by_role("article", name=ASSISTANT).first)).to_have_count(0)
    await expect(page.get_by_role("article", name=ASSISTANT).first).to_contain_text(
        "The first answer.")
