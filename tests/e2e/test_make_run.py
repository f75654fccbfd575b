"""`make run` as a newcomer uses it: one command starts the demo Agent Server and the
chat, the page answers in Chromium, and Ctrl+C stops everything it started."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest
from playwright.async_api import expect

from agents.server import free_port
from tests.e2e.app_process import ROOT, app_copy
from tests.e2e.helpers import ASSISTANT, open_chat, send

pytestmark = pytest.mark.e2e

RUN_FILES = ("agents", "scripts", "langgraph.json", "Makefile")


def _project(tmp: Path) -> Path:
    """A copy of the checkout (sharing the installed .venv) to run `make run` in."""
    project = app_copy(tmp)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in RUN_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copy2(source, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    return project


def _make_run(project: Path, env: dict[str, str], log: Path,
              target: str = "run") -> subprocess.Popen:
    """`make run` (or another target) in its own process group, so that a SIGINT to the
    group reaches make and its children as Ctrl+C in a terminal would."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            ["make", target], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _printed(log: Path) -> str:
    return log.read_text(errors="replace")


async def _wait_for_line(log: Path, pattern: str, proc: subprocess.Popen, within: float) -> str:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = re.search(pattern, _printed(log))
        if found:
            return found.group(1)
        if proc.poll() is not None:
            break
        await asyncio.sleep(0.25)
    raise AssertionError(f"`make run` never printed {pattern!r}:\n{_printed(log)[-4000:]}")


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


async def _wait_until(check, what: str, within: float, log: Path) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"{what} after {within:.0f}s:\n{_printed(log)[-4000:]}")


def _clean_env(**extra: str) -> dict[str, str]:
    """This environment without any LangGraph or Redis configuration, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LANGGRAPH_") and key != "REFLEX_REDIS_URL"
    }
    return env | extra


async def _chat_answers(browser, chat: str, said: str, *, demo: bool = True) -> None:
    """A newcomer's first look: the tour of starter prompts (the built-in demo's; your
    own server brings its own or none), then a message of their own, then the tour's
    first stop (rich markdown)."""
    from tests.e2e.conftest import open_tab

    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, chat)
        tour = page.get_by_role("group", name="Starter prompts").get_by_role("button")
        if demo:
            await expect(tour).to_have_count(6)
        await send(page, said)
        await expect(page.get_by_role("article", name=ASSISTANT)).to_contain_text(
            f'demo reply (no real model). You said: "{said}"', timeout=60_000
        )
        if not demo:
            return
        await page.get_by_role("link", name="New thread").click()
        await tour.filter(has_text="Show rich markdown").click()
        await expect(page.get_by_role("article", name=ASSISTANT).get_by_role("table")
                     ).to_be_visible(timeout=60_000)


async def _stop(make: subprocess.Popen) -> None:
    """Ctrl+C, as in the terminal; SIGKILL only if it does not stop within a minute."""
    if make.poll() is None:
        os.killpg(make.pid, signal.SIGINT)
    try:
        await asyncio.to_thread(make.wait, 60)
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGKILL)
        raise


async def test_make_run_serves_the_chat_and_ctrl_c_stops_everything(browser, tmp_path):
    project = _project(tmp_path)
    frontend, backend = free_port(), free_port()
    log = tmp_path / "make-run.log"
    make = _make_run(
        project, _clean_env(FRONTEND_PORT=str(frontend), BACKEND_PORT=str(backend)), log
    )
    try:
        demo = await _wait_for_line(log, r"Demo Agent Server: (http://\S+)", make, 120)
        chat = await _wait_for_line(log, r"Open the chat at (http://\S+?)/? once", make, 30)
        assert chat == f"http://localhost:{frontend}"
        await _wait_until(
            lambda: _answers(chat) and _answers(f"http://127.0.0.1:{backend}/ping"),
            "the chat is not up",
            300,
            log,
        )
        await _chat_answers(browser, chat, "hello from make run")
    finally:
        await _stop(make)
    printed = _printed(log)
    assert "Demo Agent Server stopped." in printed, printed[-3000:]
    # It said what it was doing.
    assert "graphs: chat, agent, question, deep, genui" in printed
    assert "Starting the chat (Reflex)" in printed and "the starter prompts show" in printed
    await _wait_until(lambda: not _answers(f"{demo}/ok"), "the demo server still answers", 10, log)
    await _wait_until(lambda: not _answers(chat), "the chat still answers", 10, log)


async def test_make_run_uses_langgraph_api_url_instead_of_the_demo(browser, tmp_path, e2e_server):
    project = _project(tmp_path)
    frontend, backend = free_port(), free_port()
    env = _clean_env(
        LANGGRAPH_API_URL=e2e_server.url, FRONTEND_PORT=str(frontend), BACKEND_PORT=str(backend)
    )
    log = tmp_path / "make-run.log"
    make = _make_run(project, env, log)
    try:
        chat = await _wait_for_line(log, r"Open the chat at (http://\S+?)/? once", make, 60)
        await _wait_until(
            lambda: _answers(chat) and _answers(f"http://127.0.0.1:{backend}/ping"),
            "the chat is not up",
            300,
            log,
        )
        await _chat_answers(browser, chat, "hello to your own server", demo=False)
    finally:
        await _stop(make)
    printed = _printed(log)
    assert f"Agent Server: {e2e_server.url}" in printed, printed[-3000:]
    assert "demo Agent Server" not in printed  # none was started
    assert _answers(f"{e2e_server.url}/ok")  # and the user's own server was left alone


async def test_make_run_with_bad_configuration_fails_fast_and_says_what_to_set(tmp_path):
    project = _project(tmp_path)
    log = tmp_path / "make-run.log"
    make = _make_run(project, _clean_env(LANGGRAPH_API_URL="localhost:2024"), log)
    await asyncio.to_thread(make.wait, 60)
    printed = _printed(log)
    assert make.returncode != 0
    assert "LANGGRAPH_API_URL" in printed and "http://" in printed, printed
    assert "Starting" not in printed  # nothing was started


def _workers(make: subprocess.Popen) -> int:
    """Backend worker processes under `make`: Granian forks them from `reflex run`, so
    they are `reflex run` processes whose parent is one too."""
    def reflex(proc: psutil.Process) -> bool:
        return "reflex run" in " ".join(proc.cmdline())

    return sum(1 for proc in psutil.Process(make.pid).children(recursive=True)
               if reflex(proc) and proc.parent() is not None and reflex(proc.parent()))


async def test_make_serve_runs_the_production_build_with_workers_sharing_redis(
        browser, tmp_path, redis_url):
    project = _project(tmp_path)
    port = free_port()
    log = tmp_path / "make-serve.log"
    make = _make_run(project, _clean_env(LANGGRAPH_CHAT_PORT=str(port),
                                         REFLEX_REDIS_URL=redis_url), log, target="serve")
    try:
        chat = await _wait_for_line(log, r"Open the chat at (http://\S+?)/? once", make, 120)
        assert chat == f"http://localhost:{port}"
        assert "2 backend worker(s) sharing state through Redis" in _printed(log)
        await _wait_until(lambda: _answers(chat) and _answers(f"{chat}/ping"),
                          "the served chat is not up", 300, log)
        await _chat_answers(browser, chat, "hello from make serve")
        await _chat_answers(browser, chat, "and from a second visitor")
        assert _workers(make) >= 2, "several backend workers"
    finally:
        await _stop(make)
    await _wait_until(lambda: not _answers(chat), "the served chat still answers", 15, log)
