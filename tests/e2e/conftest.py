"""End-to-end fixtures: a restartable Agent Server on a fixed port, the app built and run
with `reflex run --env prod` against it, and headless Chromium (async Playwright).

The app gets a secret API key marker (it must never reach the browser) and a test-only
run-config file (`LANGGRAPH_CHAT_RUN_CONFIG_FILE`) through which a test chooses what the
demo model says; the browser has no way to set it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from agents.server import AgentServer, free_port

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
SECRET = "sk-e2e-SECRET-marker-7f3c9a"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class ChatApp:
    url: str
    config_file: Path
    log_path: Path
    proc: subprocess.Popen

    def say(self, reply: str, token_delay: float = 0.02, **extra) -> None:
        """Make the demo model answer `reply` on the next runs."""
        configurable = {"reply": reply, "token_delay": token_delay, **extra}
        self.config_file.write_text(json.dumps({"configurable": configurable}))

    def say_default(self) -> None:
        self.config_file.write_text("{}")

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


@pytest.fixture(scope="session")
def e2e_server() -> Iterator[AgentServer]:
    """An Agent Server on a fixed free port, so a test can stop and restart it."""
    server = AgentServer(config=TESTS / "langgraph.json", port=free_port(), jobs=10)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"reflex exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            front = httpx.get(url + "/", timeout=2.0)
            back = httpx.get(url + "/ping", timeout=2.0)
            if front.status_code == 200 and back.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"app not ready at {url}:\n{log.read_text()[-4000:]}")


def start_app(server_url: str, tmp: Path, extra_env: dict[str, str] | None = None) -> ChatApp:
    """Build and start the app (`reflex run --env prod`) on a free port; wait until ready."""
    config_file = tmp / "run-config.json"
    config_file.write_text("{}")
    log_path = tmp / "reflex.log"
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "LANGGRAPH_API_URL": server_url,
        "LANGGRAPH_ASSISTANT_ID": "chat",
        "LANGGRAPH_API_KEY": SECRET,
        "LANGGRAPH_CHAT_RUN_CONFIG_FILE": str(config_file),
    }
    env.pop("REFLEX_REDIS_URL", None)
    env.update(extra_env or {})
    reflex = Path(sys.executable).with_name("reflex")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(reflex), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port), "--loglevel", "info"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    app = ChatApp(f"http://127.0.0.1:{port}", config_file, log_path, proc)
    try:
        _wait_ready(app.url, proc, log_path)
    except BaseException:
        stop_app(app)
        raise
    return app


def stop_app(app: ChatApp) -> None:
    try:
        os.killpg(app.proc.pid, signal.SIGTERM)
        app.proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(app.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


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


async def open_tab(browser) -> AsyncIterator[Tab]:
    """A fresh browser context and page that records its websocket frames."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860})
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
