"""The app on Reflex's Redis state manager with several workers (a real redis-server):
streaming and reload-resume still work, and Redis writes per token stay small."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from playwright.async_api import expect

from agents.server import free_port
from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import ASSISTANT, USER, open_chat, send, wait_for_assistant_text, wait_idle

pytestmark = pytest.mark.e2e

WORDS = " ".join(f"token{i}" for i in range(30))


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}"
    client = redis.Redis.from_url(url)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_app(e2e_server, redis_url, tmp_path_factory) -> Iterator[ChatApp]:
    app = start_app(e2e_server.url, tmp_path_factory.mktemp("redis-app"),
                    {"REFLEX_REDIS_URL": redis_url})
    try:
        yield app
    finally:
        stop_app(app)


async def test_stream_and_resume_with_redis_state(browser, redis_app, redis_url):
    app = redis_app
    app.say(WORDS, token_delay=0.08)
    store = redis.Redis.from_url(redis_url)
    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, app.url)
        await send(page, "redis please")
        await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text("token3")
        await expect(page).to_have_url(re.compile(r"/threads/"))
        # The live message has its own small Redis key; the message list is not rewritten.
        keys = [k.decode() for k in store.keys("*")]
        live_keys = [k for k in keys if "live_message_state" in k]
        thread_keys = [k for k in keys if k.endswith("thread_state")]
        assert live_keys and thread_keys, keys
        assert store.memory_usage(live_keys[0]) < 4096
        await page.reload()
        await expect(page.get_by_role("article", name=USER)).to_contain_text("redis please")
        await wait_for_assistant_text(page, WORDS, within=30)
        await wait_idle(page)
        assert await page.get_by_role("article", name=ASSISTANT).count() == 1
