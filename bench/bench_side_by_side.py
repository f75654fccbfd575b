"""Our chat next to the two React reference clients, in the same Chromium, against the
same Agent Server and fake-model graph: the legacy `useStream`
(`@langchain/langgraph-sdk/react` 1.15, Runs API + SSE) and the v1 `useStream`
(`@langchain/react` 1.1, the thread event protocol), both with `React.memo` messages
rendering markdown (bench/react/).

Scenarios: 2,000 tokens burst; 300 tokens 20 ms apart; 2,000 tokens after 100 messages.
Each runs ROUNDS times per client, the clients alternating (legacy, v1, ours, then the
order rotated), each run in a fresh browser context; medians are printed next to the
issue's previous figures and the targets.

Per run (see bench/page_probe.py): Task = main-thread TaskDuration from the click on
Send until 1 s after the run is done (Send back, last token shown); span = first to last
token visible; bytes = everything the page received in that window (HTTP bodies,
streamed chunks, websocket payloads); Done = last token visible -> Send back; Send/Stop
transitions after the click (2 = no flicker).

Run alone: `python -m bench side_by_side`. Env: BENCH_SBS_ROUNDS (3), BENCH_SBS_SCENARIOS
(comma-separated keys: burst, paced, long_thread; default all).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from agents.chat import long_text
from agents.server import AgentServer
from app.sdk import AgentClient
from bench.common import CHROMIUM, CHROMIUM_ARGS, seed_thread
from bench.page_probe import (
    NetworkTally,
    install_probe,
    main_thread_seconds,
    probe_result,
)
from bench.react_apps import build_all, serve
from tests.e2e.app_process import ROOT, ChatApp, start_app, stop_app

ROUNDS = int(os.environ.get("BENCH_SBS_ROUNDS", "3"))
CLIENTS = ("legacy", "v1", "ours")
SETTLE_S = 1.0  # after done: the post-run reads and last renders count too
IDLE_BEFORE_S = 1.0  # after the page is ready, before the click


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    tokens: int
    token_delay: float
    history: int  # messages already in the thread
    # The previous figures, legacy / v1 / ours.
    previous: dict[str, tuple[float, float, float]]


SCENARIOS = (
    Scenario("burst", "2,000 tokens burst", 2000, 0.0, 0,
             {"task_ms": (768, 485, 488), "span_ms": (721, 499, 670),
              "bytes": (2.20e6, 559e3, 68e3)}),
    Scenario("paced", "300 tokens 20 ms apart", 300, 0.02, 0,
             {"task_ms": (524, 515, 903), "span_ms": (6065, 6076, 6056),
              "bytes": (332e3, 85e3, 78e3)}),
    Scenario("long_thread", "2,000 tokens after 100 messages", 2000, 0.0, 100,
             {"task_ms": (832, 504, 629), "span_ms": (783, 555, 628),
              "bytes": (2.45e6, 773e3, 401e3)}),
)


SELECTED = tuple(s for s in SCENARIOS
                 if s.key in os.environ.get("BENCH_SBS_SCENARIOS", s.key).split(","))


@dataclass
class RunResult:
    task_ms: float
    span_ms: float
    bytes: int
    done_ms: float
    transitions: list[tuple[float, str]]  # (ms after the click, "send" | "stop" | "none")
    first_ms: float  # click -> first token visible
    updates: int  # DOM updates (MutationObserver callbacks) after the click
    probe_ms: float  # the probe's own main-thread time (already taken out of task_ms)
    by_label: Counter[str] = field(default_factory=Counter)


@dataclass
class Clients:
    """Where each client's page lives."""

    api_url: str
    react_urls: dict[str, str]
    app: ChatApp

    def url(self, client: str, scenario: Scenario, thread_id: str | None) -> str:
        if client == "ours":
            self.app.config_file.write_text(json.dumps({"configurable": {
                "tokens": scenario.tokens, "token_delay": scenario.token_delay}}))
            return f"{self.app.url}/threads/{thread_id}" if thread_id else f"{self.app.url}/"
        query = {"apiUrl": self.api_url, "assistantId": "chat", "tokens": scenario.tokens,
                 "tokenDelay": scenario.token_delay}
        if thread_id:
            query["threadId"] = thread_id
        return f"{self.react_urls[client]}/?{urlencode(query)}"


def _tail(text: str) -> str:
    """The last words of the answer: seen in the DOM = the last token is on screen."""
    return " ".join(text.split()[-3:])


async def measure(browser, url: str, scenario: Scenario) -> RunResult:
    """One run of `scenario` in a fresh browser context."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        page.set_default_timeout(60_000)
        done = asyncio.Event()
        await page.expose_function("__benchDone", lambda: done.set())
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable", {"timeDomain": "timeTicks"})
        tally = NetworkTally()
        tally.attach(cdp)
        await cdp.send("Network.enable")
        await page.goto(url)
        box = page.get_by_role("textbox", name="Message")
        await box.wait_for()
        if scenario.history:
            await page.get_by_role("article").nth(scenario.history - 1).wait_for()
        await page.get_by_role("button", name="Send").wait_for()
        await page.wait_for_timeout(IDLE_BEFORE_S * 1000)
        await box.fill(f"Please stream {scenario.tokens} tokens")
        await install_probe(page, _tail(long_text(scenario.tokens)))
        start_at, task_start = await main_thread_seconds(cdp)
        await page.get_by_role("button", name="Send").click()
        await asyncio.wait_for(done.wait(), timeout=120)
        await asyncio.sleep(SETTLE_S)
        end_at, task_end = await main_thread_seconds(cdp)
        probe = await probe_result(page)
        by_label = tally.between(start_at, end_at)
        back = [t for t, state in probe["transitions"] if state == "send"]
        return RunResult(
            task_ms=(task_end - task_start) * 1000 - probe["probeMs"],
            span_ms=probe["last"] - probe["first"],
            bytes=sum(by_label.values()),
            done_ms=back[-1] - probe["last"],
            transitions=[(t - probe["clickAt"], state) for t, state in probe["transitions"]],
            first_ms=probe["first"] - probe["clickAt"],
            updates=probe["updates"],
            probe_ms=probe["probeMs"],
            by_label=by_label,
        )
    finally:
        await context.close()


async def run_all() -> dict[str, dict[str, list[RunResult]]]:
    from playwright.async_api import async_playwright

    dists = build_all()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sbs-"))
    server = AgentServer(config=ROOT / "tests" / "langgraph.json", jobs=10)
    server.start()
    app = None
    results: dict[str, dict[str, list[RunResult]]] = {
        s.key: {c: [] for c in CLIENTS} for s in SELECTED}
    try:
        app = start_app(server.url, tmp)
        client = AgentClient(server.url)
        with serve(dists["legacy"]) as legacy_url, serve(dists["v1"]) as v1_url:
            clients = Clients(server.url, {"legacy": legacy_url, "v1": v1_url}, app)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                           args=CHROMIUM_ARGS)
                warm = Scenario("warm", "warm-up", 20, 0.0, 0, {})
                for name in CLIENTS:  # first loads, JIT, the graph: not measured
                    await measure(browser, clients.url(name, warm, None), warm)
                for scenario in SELECTED:
                    started = time.monotonic()
                    for round_ in range(ROUNDS):
                        order = CLIENTS[round_ % 3:] + CLIENTS[:round_ % 3]
                        for name in order:
                            thread_id = (await seed_thread(client, scenario.history)
                                         if scenario.history else None)
                            url = clients.url(name, scenario, thread_id)
                            results[scenario.key][name].append(
                                await measure(browser, url, scenario))
                    print(f"  ({scenario.label}: {ROUNDS} rounds in "
                          f"{time.monotonic() - started:.0f} s)", flush=True)
                await browser.close()
        await client.aclose()
    finally:
        if app is not None:
            stop_app(app)
        server.stop()
    return results


def _median(runs: list[RunResult], pick: Callable[[RunResult], float]) -> float:
    return statistics.median(pick(r) for r in runs)


def _size(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.2f}MB"
    return f"{n / 1e3:.0f}KB"


def _ms(n: float) -> str:
    return f"{n:.0f}"


def report(results: dict[str, dict[str, list[RunResult]]]) -> None:
    for scenario in SELECTED:
        runs = results[scenario.key]
        print(f"{scenario.label} (median of {ROUNDS}; previous = legacy/v1/ours)")
        print(f"  {'':10}{'legacy':>9}{'v1':>9}{'ours':>9}   {'previous':<22}target")
        rows = (("Task ms", "task_ms", _ms, lambda r: r.task_ms),
                ("span ms", "span_ms", _ms, lambda r: r.span_ms),
                ("bytes", "bytes", _size, lambda r: r.bytes))
        for title, key, fmt, pick in rows:
            values = {c: _median(runs[c], pick) for c in CLIENTS}
            previous = "/".join(fmt(v) for v in scenario.previous[key])
            better = min(values["legacy"], values["v1"])
            if key == "task_ms":
                goal, met = better / 2, values["ours"] <= better / 2
                target = f"<= {fmt(goal)} (half the better React)"
            elif key == "span_ms":
                goal, met = better, values["ours"] <= better
                target = f"<= {fmt(goal)} (the better React)"
            else:
                target, met = "(flat in thread length, below)", None
            verdict = "" if met is None else (
                "  met" if met else f"  MISSED ({values['ours'] / goal:.2f}x)")
            print(f"  {title:10}" + "".join(f"{fmt(values[c]):>9}" for c in CLIENTS)
                  + f"   {previous:<22}{target}{verdict}")
        done = {c: _median(runs[c], lambda r: r.done_ms) for c in CLIENTS}
        print(f"  {'Done ms':10}" + "".join(f"{done[c]:>9.1f}" for c in CLIENTS)
              + f"   {'React ~1':<22}<= 10" + ("  met" if done["ours"] <= 10 else "  MISSED"))
        flips = {c: max(len(r.transitions) for r in runs[c]) for c in CLIENTS}
        print(f"  {'Send/Stop':10}" + "".join(f"{flips[c]:>9}" for c in CLIENTS)
              + f"   {'transitions (max)':<22}2 = no flicker"
              + ("  met" if flips["ours"] <= 2 else "  MISSED"))
        first = {c: _median(runs[c], lambda r: r.first_ms) for c in CLIENTS}
        print(f"  {'1st token':10}" + "".join(f"{first[c]:>9.0f}" for c in CLIENTS)
              + "   ms from the click (extra)")
        updates = {c: _median(runs[c], lambda r: r.updates) for c in CLIENTS}
        probe = {c: _median(runs[c], lambda r: r.probe_ms) for c in CLIENTS}
        print(f"  {'DOM updts':10}" + "".join(f"{updates[c]:>9.0f}" for c in CLIENTS)
              + "   observer callbacks ~ commits (extra); the probe's own time, "
              + "/".join(f"{probe[c]:.0f}" for c in CLIENTS) + " ms, is not in Task")
        worst = max(runs["ours"], key=lambda r: len(r.transitions))
        if len(worst.transitions) > 2:
            steps = ", ".join(f"{state}@{t:.0f}ms" for t, state in worst.transitions)
            print(f"  ours, Send/Stop after the click: {steps}")
        last = runs["ours"][-1].by_label
        top = ", ".join(f"{label} {_size(size)}" for label, size in last.most_common(4))
        print(f"  ours, where bytes go (last run): {top}")
        v1_top = runs["v1"][-1].by_label.most_common(2)
        print("  v1, where bytes go (last run): "
              + ", ".join(f"{label} {_size(size)}" for label, size in v1_top))
        print()
    if not {"burst", "long_thread"} <= results.keys():
        return
    empty = _median(results["burst"]["ours"], lambda r: r.bytes)
    long = _median(results["long_thread"]["ours"], lambda r: r.bytes)
    ratio = long / empty if empty else float("inf")
    print(f"bytes per answer flat in thread length: ours after 100 messages {_size(long)} vs "
          f"empty thread {_size(empty)} = {ratio:.2f}x (target <= 1.2x)"
          + ("  met" if ratio <= 1.2 else "  MISSED"))


def main() -> None:
    results = asyncio.run(run_all())
    report(results)


if __name__ == "__main__":
    main()
