"""A lost websocket never loses an answer: the tab reconnects (same page, no reload) and
shows the thread from its URL, rejoining a live run, complete and not doubled.

Two ways to lose the socket: Chromium goes offline for a moment (DevTools Protocol), and
the harsher one, the app's backend process is restarted mid-conversation.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.async_api import Page, expect

from tests.e2e.app_process import _wait_ready
from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    open_chat,
    send,
    wait_for_assistant_text,
    wait_idle,
)

pytestmark = pytest.mark.e2e

WORDS = " ".join(f"piece{i}" for i in range(40))
THREAD_URL = re.compile(r"/threads/[0-9a-f-]{36}$")


@dataclass
class Sockets:
    """The page's websockets: how many opened and how many closed."""

    opened: int = 0
    closed: int = 0
    urls: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        def on_ws(ws) -> None:
            self.opened += 1
            self.urls.append(ws.url)
            ws.on("close", lambda _ws: self._closed())

        page.on("websocket", on_ws)

    def _closed(self) -> None:
        self.closed += 1


async def wait_until(page: Page, check, what: str, within: float = 20.0) -> None:
    for _ in range(int(within * 10)):
        if check():
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


async def go_offline_briefly(page: Page, sockets: Sockets, seconds: float = 1.0) -> None:
    """Cut the network for `seconds` (closing the websocket), then restore it."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    closed_before = sockets.closed
    conditions = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    await cdp.send("Network.emulateNetworkConditions", {"offline": True, **conditions})
    await wait_until(page, lambda: sockets.closed > closed_before, "the websocket to close", 10)
    await page.wait_for_timeout(int(seconds * 1000))
    opened_before = sockets.opened
    await cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
    await wait_until(page, lambda: sockets.opened > opened_before, "a new websocket", 20)
    await cdp.detach()


async def shows_conversation(page: Page, users: list[str], answers: list[str]) -> None:
    """The page shows exactly these user messages and (complete) answers, in order."""
    user_articles = page.get_by_role("article", name=USER)
    answer_articles = page.get_by_role("article", name=ASSISTANT)
    await expect(user_articles).to_have_count(len(users))
    await expect(answer_articles).to_have_count(len(answers))
    for i, text in enumerate(users):
        await expect(user_articles.nth(i)).to_contain_text(text)
    shown = [(await answer_articles.nth(i).locator(".chat-markdown").inner_text()).strip()
             for i in range(len(answers))]
    assert shown == answers


async def start_two_turns(page: Page, app: ChatApp) -> str:
    """A finished first turn, then a second one streaming slowly. Returns the thread URL."""
    app.say("the first answer", token_delay=0.01)
    await open_chat(page, app.url)
    await send(page, "first question")
    await wait_for_assistant_text(page, "the first answer")
    await wait_idle(page)
    await expect(page).to_have_url(THREAD_URL)
    app.say(WORDS, token_delay=0.1)
    await send(page, "second question")
    await expect(page.get_by_role("article", name=ASSISTANT).last).to_contain_text("piece3")
    return page.url


# ----- the websocket drops (Chromium offline for a second) ------------------------------


async def test_websocket_drop_mid_stream_still_completes_the_answer(tab, chat_app):
    page = tab.page
    sockets = Sockets()
    sockets.watch(page)
    url = await start_two_turns(page, chat_app)
    await go_offline_briefly(page, sockets)
    assert sockets.closed >= 1 and sockets.opened >= 2, sockets
    assert page.url == url  # no reload, no navigation
    await wait_for_assistant_text(page, WORDS, within=30)
    await wait_idle(page)
    await shows_conversation(
        page, ["first question", "second question"], ["the first answer", WORDS]
    )
    await page.wait_for_timeout(500)  # nothing arrives twice after the end
    await shows_conversation(
        page, ["first question", "second question"], ["the first answer", WORDS]
    )


async def test_websocket_drop_after_the_run_keeps_the_thread(tab, chat_app):
    page = tab.page
    sockets = Sockets()
    sockets.watch(page)
    chat_app.say("answer before the drop", token_delay=0.01)
    await open_chat(page, chat_app.url)
    await send(page, "question before the drop")
    await wait_for_assistant_text(page, "answer before the drop")
    await wait_idle(page)
    await expect(page).to_have_url(THREAD_URL)
    url = page.url
    await go_offline_briefly(page, sockets)
    await page.wait_for_timeout(1000)  # the reconnect's page load has run
    assert page.url == url
    await shows_conversation(page, ["question before the drop"], ["answer before the drop"])
    # The thread goes on where it was, in the same thread.
    chat_app.say("answer after the drop", token_delay=0.01)
    await send(page, "question after the drop")
    await wait_for_assistant_text(page, "answer after the drop")
    await wait_idle(page)
    assert page.url == url
    await shows_conversation(
        page,
        ["question before the drop", "question after the drop"],
        ["answer before the drop", "answer after the drop"],
    )


# ----- the backend restarts (the open tab reconnects to a fresh process) ----------------


@pytest.fixture(scope="module")
def restartable_app(e2e_server, tmp_path_factory) -> Iterator[ChatApp]:
    app = start_app(e2e_server.url, tmp_path_factory.mktemp("restart-app"))
    try:
        yield app
    finally:
        stop_app(app)


def restart(app: ChatApp) -> None:
    """Kill the app's process group and start the same command on the same port."""
    command, cwd = app.proc.args, f"/proc/{app.proc.pid}/cwd"
    cwd = os.readlink(cwd)
    env = dict(_process_env(app.proc.pid))
    os.killpg(app.proc.pid, signal.SIGKILL)
    app.proc.wait(timeout=15)
    with open(app.log_path, "ab") as log:
        app.proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _wait_ready(app.url, app.proc, app.log_path)


def _process_env(pid: int) -> Iterator[tuple[str, str]]:
    with open(f"/proc/{pid}/environ", "rb") as handle:
        for item in handle.read().split(b"\0"):
            if b"=" in item:
                key, _, value = item.decode(errors="replace").partition("=")
                yield key, value


async def test_backend_restart_mid_stream_rejoins_the_run(browser, restartable_app):
    app = restartable_app
    async for tab in open_tab(browser):
        page = tab.page
        sockets = Sockets()
        sockets.watch(page)
        url = await start_two_turns(page, app)
        opened = sockets.opened
        restart(app)
        await wait_until(page, lambda s=sockets, o=opened: s.opened > o, "a new websocket", 30)
        assert page.url == url
        await wait_for_assistant_text(page, WORDS, within=40)
        await wait_idle(page)
        await shows_conversation(
            page, ["first question", "second question"], ["the first answer", WORDS]
        )
        assert page.url == url


async def test_backend_restart_after_the_run_keeps_the_thread(browser, restartable_app):
    app = restartable_app
    async for tab in open_tab(browser):
        page = tab.page
        sockets = Sockets()
        sockets.watch(page)
        app.say("kept across a restart", token_delay=0.01)
        await open_chat(page, app.url)
        await send(page, "remember me")
        await wait_for_assistant_text(page, "kept across a restart")
        await wait_idle(page)
        await expect(page).to_have_url(THREAD_URL)
        url = page.url
        opened = sockets.opened
        restart(app)
        await wait_until(page, lambda s=sockets, o=opened: s.opened > o, "a new websocket", 30)
        await page.wait_for_timeout(1000)
        assert page.url == url
        await shows_conversation(page, ["remember me"], ["kept across a restart"])
