"""A Managed Deep Agent in the browser: the app is configured with three variables (the
API URL ending in /v1/deepagents, a LangSmith API key and the agent id) and talks to the
fake Managed Deep Agents API (every request checked against the documented shapes; real
graphs on the e2e Agent Server underneath).

Send and stream, the server's thread list and titles (rename included), a tool call, an
interrupt answered the way the API allows (Dismiss, which says what it does), and what
the API lacks shown as such: Stop disabled with the reason, no Edit or Regenerate.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.async_api import expect

from agents.server import AgentServer
from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    answer_steps,
    open_chat,
    pick_assistant,
    send,
    wait_idle,
)
from tests.fakes.deepagents_api import DeepAgentsAPI, serve_deepagents_api
from tests.fakes.recording import RecordedRequest

pytestmark = pytest.mark.e2e
KEY = "lsv2_sk_e2e-MANAGED-key-marker-41d7"
USER_ID = "managed-e2e-user"
ZONE = "Asia/Tokyo"
THREAD_URL = re.compile(r"/threads/[0-9a-f-]{36}$")


@dataclass
class Managed:
    api: DeepAgentsAPI
    app: ChatApp
    agents: dict[str, str]  # graph -> agent id

    def calls(self, since: int = 0) -> list[RecordedRequest]:
        return self.api.recorder.since(since)


@pytest.fixture(scope="module")
def managed(e2e_server: AgentServer, tmp_path_factory) -> Iterator[Managed]:
    with serve_deepagents_api(e2e_server.url) as api:
        api.add_key(KEY, USER_ID)
        tag = uuid.uuid4().hex[:6]
        agents = {graph: asyncio.run(api.add_agent(graph, USER_ID, f"{graph}-{tag}"))
                  for graph in ("chat", "agent", "slow_tool")}
        app = start_app(api.url, tmp_path_factory.mktemp("managed-app"), extra_env={
            "LANGGRAPH_API_KEY": KEY,
            "LANGGRAPH_ASSISTANT_ID": agents["chat"],
        })
        try:
            yield Managed(api, app, agents)
        finally:
            stop_app(app)




async def test_send_streams_lists_titles_and_renames(browser, managed: Managed):
    said = "hello managed deep agent, please answer with many words: " + " ".join(
        f"w{i}" for i in range(40))
    reply = f'This is a demo reply (no real model). You said: "{said}".'
    mark = len(managed.api.recorder)
    async for tab in open_tab(browser, timezone_id=ZONE):
        page = tab.page
        await open_chat(page, managed.app.url)
        await send(page, said)
        await expect(page.get_by_role("article", name=USER).last).to_contain_text(said)
        stop = page.get_by_role("button", name="Stop")
        await expect(stop).to_be_disabled()  # no cancel in this API: shown, with the reason
        assert "cannot cancel a run" in (await stop.get_attribute("title") or "")
        await expect(page.get_by_text("Stop is not available")).to_be_visible()
        # Nor can it queue a message behind the answer: the box keeps it and says why.
        await expect(page.get_by_role("button", name="Queue message")).to_be_disabled()
        await send(page, "and then?")
        await expect(page.get_by_text("cannot queue messages")).to_be_visible()
        await expect(page.get_by_role("textbox", name="Message")).to_have_value("and then?")
        seen = await answer_steps(page, reply)
        assert len(seen) >= 4, seen  # it grew token by token
        await wait_idle(page)
        await expect(page).to_have_url(THREAD_URL)
        await page.get_by_role("textbox", name="Message").fill("")
        thread_id = page.url.rsplit("/", 1)[-1]
        # No checkpoints here: nothing offers to edit or regenerate.
        await expect(page.get_by_role("button", name="Regenerate")).to_have_count(0)
        await expect(page.get_by_role("button", name="Edit")).to_have_count(0)

        # The sidebar is the server's thread list, with the server's title.
        nav = page.get_by_role("navigation", name="Threads")
        await expect(nav.get_by_role("link", name=re.compile("hello managed"))).to_be_visible()
        await nav.get_by_role("button", name="Thread actions").first.click()
        await page.get_by_role("menuitem", name="Rename").click()
        await page.get_by_role("textbox", name="Thread title").fill("Tokyo plans")
        await page.get_by_role("button", name="Save").click()
        await expect(nav.get_by_role("link", name=re.compile("Tokyo plans"))).to_be_visible()
        await page.reload()
        await expect(page.get_by_role("article", name=ASSISTANT).last.locator(".chat-markdown")
                     ).to_have_text(reply)
        await expect(nav.get_by_role("link", name=re.compile("Tokyo plans"))).to_be_visible()

        row = nav.get_by_role("listitem").filter(has_text="Tokyo plans")
        await row.get_by_role("button", name="Thread actions").click()
        await page.get_by_role("menuitem", name="Delete").click()
        await page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
        await expect(nav.get_by_role("link", name=re.compile("Tokyo plans"))).to_have_count(0)
        await expect(page).to_have_url(re.compile(r"/$"))

        html = await page.content()
        storage = await page.evaluate("() => JSON.stringify(localStorage) + document.cookie")
        assert KEY not in html and KEY not in storage
        assert tab.frames_in and all(KEY not in f for f in tab.frames_in + tab.frames_out)

    calls = managed.calls(mark)
    assert all(c.sent_api_key and c.user == USER_ID for c in calls)
    assert all(c.status is not None and c.status < 400 for c in calls), [
        (c.method, c.path, c.status, c.refused) for c in calls if (c.status or 0) >= 400]
    create = next(c for c in calls if c.method == "POST" and c.path.endswith("/threads"))
    assert create.body == {"agent_id": managed.agents["chat"]}
    stamps = [c.body for c in calls if c.method == "PATCH" and c.path.endswith(thread_id)]
    assert stamps[0]["metadata"]["owner"].startswith("visitor:")  # stamped right after
    assert {"title": "Tokyo plans"} in [{k: v for k, v in b.items() if k == "title"}
                                        for b in stamps]
    (run,) = [c for c in calls if c.path.endswith("/runs/stream")]
    assert run.body["agent_id"] == managed.agents["chat"] and "assistant_id" not in run.body
    assert run.body["input"] == {"messages": [{"role": "user", "content": said}]}
    assert run.body["stream_subgraphs"] is True and run.body["user_timezone"] == ZONE
    assert any(c.method == "DELETE" and c.path.endswith(thread_id) for c in calls)
    assert thread_id not in managed.api.threads
    listed = [c for c in calls if c.method == "GET" and c.path.endswith("/threads")]
    assert listed and all(f"agent_id={managed.agents['chat']}" in c.query for c in listed)


async def test_tool_call_interrupt_needs_input_and_dismiss(browser, managed: Managed):
    mark = len(managed.api.recorder)
    async for tab in open_tab(browser, timezone_id=ZONE):
        page = tab.page
        await open_chat(page, managed.app.url)
        await page.get_by_role("button", name="Settings").click()
        await expect(page.get_by_role("dialog")).to_contain_text("Managed Deep Agents")
        await page.keyboard.press("Escape")
        await pick_assistant(page, "agent-")
        await send(page, "email bob about lunch")
        panel = page.get_by_role("region", name="Needs your input")
        await expect(panel).to_be_visible(timeout=30_000)
        await expect(panel.get_by_role("group", name="Tool call send_email")).to_contain_text(
            "bob@example.com")
        await expect(panel).to_contain_text("cannot take your answer")
        await expect(panel).to_contain_text("without your decision")
        await expect(panel.get_by_role("button", name="Approve")).to_have_count(0)
        # The tool call shows in the conversation as for an Agent Server.
        await expect(page.get_by_role("group", name=re.compile("Tool call send_email")).first
                     ).to_be_visible()
        # The composer cannot answer either: it says so and keeps the text.
        await send(page, "yes, send it")
        await expect(panel.get_by_role("alert")).to_contain_text("Dismiss")
        await expect(page.get_by_role("textbox", name="Message")).to_have_value("yes, send it")

        nav = page.get_by_role("navigation", name="Threads")
        await page.get_by_role("button", name="Needs input").click()
        await expect(nav.get_by_role("link", name=re.compile("email bob about lunch"))
                     ).to_be_visible()
        await page.get_by_role("button", name="Dismiss").click()
        await expect(panel).to_have_count(0)
        await expect(nav.get_by_text("No thread needs input.")).to_be_visible()
        await page.get_by_role("button", name="Needs input").click()

    calls = managed.calls(mark)
    (resolve,) = [c for c in calls if c.path.endswith("/resolve-interrupt")]
    assert resolve.status == 204 and resolve.body is None
    needs_input = [c for c in calls if c.method == "GET" and "requires_attention=true" in c.query]
    assert needs_input
    assert not any(c.path.endswith("/runs/stream") and "yes, send it" in str(c.body)
                   for c in calls)


async def test_a_tool_call_runs_and_completes(browser, managed: Managed):
    async for tab in open_tab(browser, timezone_id=ZONE):
        page = tab.page
        await open_chat(page, managed.app.url)
        await pick_assistant(page, "slow_tool-")
        await send(page, "write the report")
        card = page.get_by_role("group", name=re.compile("Tool call write_document"))
        await expect(card).to_be_visible(timeout=30_000)
        await wait_idle(page)
        await expect(card).to_have_attribute("data-status", "completed")
        await expect(page.get_by_role("article", name=ASSISTANT).last).to_contain_text(
            "Done: Saved 'Streamed report'")
