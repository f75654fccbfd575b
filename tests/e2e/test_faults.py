"""Answers survive a flaky network between the app and the Agent Server.

A TCP proxy between the Reflex backend and the Agent Server cuts the answer streams at
seeded random points (every rejoin can be cut again). Each answer the user sees ends
complete, equal to the thread's state on the server, with no doubled or missing
characters; meanwhile the composer at most says "Reconnecting…" for a moment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect

from app.sdk import AgentClient
from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import open_chat, send, wait_for_assistant_text, wait_idle
from tests.fakes.cutting_proxy import CutPlan, CuttingProxy

pytestmark = pytest.mark.e2e
SEED = 20261203
ANSWERS = 3
WORDS = 150


def reply(index: int) -> str:
    return " ".join(f"r{index}w{i}" for i in range(WORDS))


@pytest.fixture(scope="module")
async def flaky(e2e_server, tmp_path_factory) -> AsyncIterator[tuple[ChatApp, CuttingProxy]]:
    async with CuttingProxy(e2e_server.url) as proxy:
        app = start_app(proxy.url, tmp_path_factory.mktemp("flaky-app"))
        try:
            yield app, proxy
        finally:
            stop_app(app)


async def test_answers_stay_whole_when_the_connection_is_cut(browser, flaky, e2e_server):
    app, proxy = flaky
    # Cut points inside the first 40 KB of each answer stream (an answer is ~170 KB of
    # events): several cuts per answer, each rejoin liable to be cut again.
    proxy.plan = CutPlan.seeded(SEED, 4 * ANSWERS, 2_000, 40_000)
    async for tab in open_tab(browser):
        page: Page = tab.page
        await open_chat(page, app.url)
        for index in range(ANSWERS):
            app.say(reply(index), token_delay=0.01)
            await send(page, f"question {index}")
            await wait_for_assistant_text(page, reply(index), within=60)
            await wait_idle(page)
            await expect(page.get_by_role("status").filter(has_text="Reconnecting")
                         ).to_have_count(0)
        thread_id = page.url.rsplit("/", 1)[-1]
    assert len(proxy.cuts) >= ANSWERS, f"only {len(proxy.cuts)} cuts landed"
    async with AgentClient(e2e_server.url) as client:
        state = await client.threads.get_state(thread_id)
    answers = [m["content"] for m in state.values["messages"] if m["type"] == "ai"]
    assert answers == [reply(i) for i in range(ANSWERS)]
    print(f"\n[faults] {len(proxy.cuts)} cuts over {ANSWERS} answers in the browser: "
          f"every answer complete and equal to the server's state")
