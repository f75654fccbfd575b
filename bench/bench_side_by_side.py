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
Send until 1 s after the run is done (Send back, last token shown), less the probe's own
time, with its script and style+layout parts; span = first to last token visible; bytes =
everything the page received in that window (HTTP bodies, streamed chunks, websocket
payloads), also by request or Reflex state var; Done = last token visible -> Send back;
Send/Stop transitions after the click (2 = no flicker; ours are listed when more);
extras: click -> first token visible, DOM updates (~ commits).

Run alone: `python -m bench side_by_side`. Env: BENCH_SBS_ROUNDS (3), BENCH_SBS_SCENARIOS
(comma-separated keys: burst, paced, long_thread; default all), BENCH_SBS_PROFILE (a
client name: print where its main-thread time goes, from a CDP sampling profile).
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
from bench import cpu_profile
from bench.common import BENCH_APP_ENV, CHROMIUM, CHROMIUM_ARGS, seed_thread
from bench.page_probe import (
    NetworkTally,
    install_probe,
    main_thread_seconds,
    probe_result,
)
from bench.react_apps import build_all, serve
from tests.e2e.app_process import ROOT, ChatApp, start_app, stop_app

ROUNDS = int(os.environ.get("BENCH_SBS_ROUNDS", "3"))
PROFILE = os.environ.get("BENCH_SBS_PROFILE", "")
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
    script_ms: float  # parts of task_ms: JavaScript,
    render_ms: float  # style recalculation + layout
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


async def measure(browser, url: str, scenario: Scenario, profile: bool = False) -> RunResult:
    """One run of `scenario` in a fresh browser context (with `profile`, also print
    where the page's main-thread time went)."""
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
        if profile:
            await cpu_profile.start(cdp)
        before = await main_thread_seconds(cdp)
        await page.get_by_role("button", name="Send").click()
        await asyncio.wait_for(done.wait(), timeout=120)
        await asyncio.sleep(SETTLE_S)
        after = await main_thread_seconds(cdp)
        if profile:
            self_ms = await cpu_profile.stop(cdp)
            print(f"  profile of {url.split('?')[0]} ({scenario.label}), self time ms:")
            for name, ms in self_ms.most_common(15):
                print(f"    {ms:7.1f}  {name}")
        probe = await probe_result(page)
        by_label = tally.between(before["Timestamp"], after["Timestamp"])
        spent = {name: (after[name] - before[name]) * 1000 for name in after}
        back = [t for t, state in probe["transitions"] if state == "send"]
        return RunResult(
            task_ms=spent["TaskDuration"] - probe["probeMs"],
            span_ms=probe["last"] - probe["first"],
            bytes=sum(by_label.values()),
            done_ms=back[-1] - probe["last"],
            transitions=[(t - probe["clickAt"], state) for t, state in probe["transitions"]],
            first_ms=probe["first"] - probe["clickAt"],
            updates=probe["updates"],
            probe_ms=probe["probeMs"],
            script_ms=spent["ScriptDuration"] - probe["probeMs"],
            render_ms=spent["RecalcStyleDuration"] + spent["LayoutDuration"],
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
        app = start_app(server.url, tmp, BENCH_APP_ENV)
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
                            profile = name == PROFILE and round_ == 0
                            results[scenario.key][name].append(
                                await measure(browser, url, scenario, profile))
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


def _row(title: str, values: dict[str, float], fmt: Callable[[float], str], tail: str) -> None:
    print(f"  {title:<11}" + "".join(f"{fmt(values[c]):>9}" for c in CLIENTS) + f"   {tail}")


def _verdict(ours: float, goal: float) -> str:
    return "  met" if ours <= goal else f"  MISSED ({ours / goal:.2f}x)" if goal else "  MISSED"


def report_scenario(scenario: Scenario, runs: dict[str, list[RunResult]]) -> None:
    def med(pick: Callable[[RunResult], float]) -> dict[str, float]:
        return {c: _median(runs[c], pick) for c in CLIENTS}

    def previous(key: str, fmt: Callable[[float], str]) -> str:
        return "/".join(fmt(v) for v in scenario.previous[key])

    print(f"{scenario.label} (median of {ROUNDS}; previous = legacy/v1/ours)")
    print(f"  {'':11}{'legacy':>9}{'v1':>9}{'ours':>9}   {'previous':<22}target")
    task = med(lambda r: r.task_ms)
    goal = min(task["legacy"], task["v1"]) / 2
    _row("Task ms", task, _ms, f"{previous('task_ms', _ms):<22}<= {goal:.0f} (half the better "
         f"React){_verdict(task['ours'], goal)}")
    _row(" script", med(lambda r: r.script_ms), _ms, "part of Task: JavaScript (extra)")
    _row(" style+lay", med(lambda r: r.render_ms), _ms,
         "part of Task: style recalc + layout (extra)")
    span = med(lambda r: r.span_ms)
    goal = min(span["legacy"], span["v1"])
    _row("span ms", span, _ms, f"{previous('span_ms', _ms):<22}<= {goal:.0f} (the better "
         f"React){_verdict(span['ours'], goal)}")
    _row("bytes", med(lambda r: r.bytes), _size,
         f"{previous('bytes', _size):<22}flat in thread length (below)")
    done = med(lambda r: r.done_ms)
    _row("Done ms", done, lambda v: f"{v:.1f}",
         f"{'React ~1':<22}<= 10{_verdict(done['ours'], 10)}")
    flips = {c: max(len(r.transitions) for r in runs[c]) for c in CLIENTS}
    _row("Send/Stop", flips, lambda v: f"{v:.0f}", f"{'transitions, max':<22}2 = no flicker"
         + ("  met" if flips["ours"] <= 2 else "  MISSED"))
    _row("1st token", med(lambda r: r.first_ms), _ms, "ms from the click (extra)")
    probe = med(lambda r: r.probe_ms)
    _row("DOM updates", med(lambda r: r.updates), _ms,
         "~ commits (extra); the probe's own time, "
         + "/".join(f"{probe[c]:.0f}" for c in CLIENTS) + " ms, is left out of Task")
    worst = max(runs["ours"], key=lambda r: len(r.transitions))
    if len(worst.transitions) > 2:
        steps = ", ".join(f"{state} at {t:.0f} ms" for t, state in worst.transitions)
        print(f"  ours, Send/Stop after the click: {steps}")
    for client, count in (("ours", 4), ("v1", 2), ("legacy", 2)):
        top = runs[client][-1].by_label.most_common(count)
        print(f"  {client}, where bytes go (last run): "
              + ", ".join(f"{label} {_size(size)}" for label, size in top))
    print()


def report(results: dict[str, dict[str, list[RunResult]]]) -> None:
    for scenario in SELECTED:
        report_scenario(scenario, results[scenario.key])
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
