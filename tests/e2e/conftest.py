"""End-to-end fixtures: a restartable Agent Server on a fixed port, the app built and run
with `reflex run --env prod` against it, and headless Chromium (async Playwright).

The app gets a secret API key marker (it must never reach the browser) and a test-only
run-config file (`LANGGRAPH_CHAT_RUN_CONFIG_FILE`) through which a test chooses what the
demo model says; the browser has no way to set it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from agents.server import AgentServer, free_port
from tests.e2e.app_process import SECRET, ChatApp, start_app, stop_app

TESTS = Path(__file__).resolve().parents[1]
__all__ = ["SECRET", "ChatApp", "open_tab", "start_app", "stop_app"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def e2e_server() -> Iterator[AgentServer]:
    """An Agent Server on a fixed free port, so a test can stop and restart it."""
    server = AgentServer(config=TESTS / "langgraph.json", port=free_port(), jobs=10)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chat_app(e2e_server: AgentServer, tmp_path_factory) -> Iterator[ChatApp]:
    app = start_app(e2e_server.url, tmp_path_factory.mktemp("chat-app"))
    try:
        yield app
    finally:
        stop_app(app)


@pytest.fixture(scope="session")
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class Tab:
    """A page plus every websocket frame it sent and received."""

    page: object
    frames_in: list[str] = field(default_factory=list)
    frames_out: list[str] = field(default_factory=list)


@pytest.fixture
async def tab(browser, chat_app: ChatApp) -> AsyncIterator[Tab]:
    chat_app.say_default()
    async for record in open_tab(browser):
        yield record


async def open_tab(browser, **context_options) -> AsyncIterator[Tab]:
    """A fresh browser context and page that records its websocket frames
    (`context_options`: Playwright's, e.g. `timezone_id`)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860},
                                        **context_options)
    page = await context.new_page()
    page.set_default_timeout(20_000)
    record = Tab(page)

    def on_ws(ws):
        ws.on("framereceived", lambda payload: record.frames_in.append(
            payload if isinstance(payload, str) else payload.decode(errors="replace")))
        ws.on("framesent", lambda payload: record.frames_out.append(
            payload if isinstance(payload, str) else payload.decode(errors="replace")))

    page.on("websocket", on_ws)
    try:
        yield record
    finally:
        await context.close()
