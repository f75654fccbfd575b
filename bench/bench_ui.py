"""UI streaming cost: a 2,000-token answer at the end of a 100-message thread, in Chromium.

Prints: websocket bytes sent to the browser per token, frames per second, the delay from
the Agent Server emitting the last token to it being visible in the DOM, the browser's
main-thread long tasks (> 50 ms: moments the page cannot respond) and the app's backend
CPU time. Targets: < 1 KB/token, last token visible within 100 ms.
Env: BENCH_UI_TOKENS (2000), BENCH_UI_TOKEN_DELAY (seconds per token, 0.01).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from agents.chat import long_text
from agents.server import AgentServer
from app.sdk import AgentClient
from bench.common import BENCH_APP_ENV, CHROMIUM, CHROMIUM_ARGS, cpu_seconds, seed_thread
from tests.e2e.app_process import ROOT, start_app, stop_app


async def _last_token_time(client: AgentClient, thread_id: str, run_id: str) -> float:
    """Wall time at which the run's last message chunk reached a client next to the app."""
    last = 0.0
    async with client.runs.join(thread_id, run_id, last_event_id="-1") as stream:
        async for part in stream:
            if part.mode == "messages":
                chunk = part.data[0] if isinstance(part.data, list) else part.data
                if isinstance(chunk, dict) and chunk.get("content"):
                    last = time.time()
    return last


async def run(tokens: int, token_delay: float) -> dict[str, float]:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    server = AgentServer(config=ROOT / "tests" / "langgraph.json", jobs=10)
    server.start()
    app = None
    try:
        app = start_app(server.url, tmp, BENCH_APP_ENV)
        client = AgentClient(server.url)
        thread_id = await seed_thread(client, 100)
        final_text = long_text(tokens)
        tail = final_text[-40:]
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            frames: list[tuple[float, int]] = []
            recording = {"on": False}

            def on_ws(ws):
                def received(payload):
                    if recording["on"]:
                        size = len(payload) if isinstance(payload, bytes | str) else 0
                        frames.append((time.time(), size))
                ws.on("framereceived", received)

            page.on("websocket", on_ws)
            await page.goto(f"{app.url}/threads/{thread_id}")
            try:
                await page.get_by_role("article").nth(99).wait_for(timeout=60_000)
            except Exception:
                count = await page.get_by_role("article").count()
                await page.screenshot(path=str(tmp / "load.png"))
                raise RuntimeError(f"thread shows {count} messages, not 100 ({tmp})") from None
            await page.wait_for_timeout(1000)
            # Record in the page when the final text becomes visible.
            await page.evaluate(
                """(tail) => { window.__seenAt = 0; const obs = new MutationObserver(() => {
                    if (window.__seenAt) return;
                    const arts = document.querySelectorAll('[role=article]');
                    const last = arts[arts.length - 1];
                    if (last && last.innerText.includes(tail)) {
                        window.__seenAt = performance.timeOrigin + performance.now(); } });
                    obs.observe(document.body, {subtree: true, childList: true,
                                                characterData: true}); }""",
                tail,
            )
            await page.evaluate(
                """() => { window.__longTasks = []; new PerformanceObserver((list) => {
                    for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
                    .observe({type: 'longtask'}); }"""
            )
            app.say(final_text, token_delay=token_delay)
            cpu_before = cpu_seconds(app.proc.pid)
            recording["on"] = True
            started = time.time()
            box = page.get_by_role("textbox", name="Message")
            await box.fill("Now a long answer please")
            await box.press("Enter")
            run_id = None
            for _ in range(200):
                stored = await page.evaluate("() => localStorage.getItem('lg:stream')")
                run_id = json.loads(stored or "{}").get(thread_id)
                if run_id:
                    break
                await asyncio.sleep(0.05)
            if not run_id:
                raise RuntimeError("the app never stored the run id")
            emitted_at = await _last_token_time(client, thread_id, run_id)
            await page.wait_for_function("() => window.__seenAt > 0", timeout=60_000)
            seen_at = await page.evaluate("() => window.__seenAt") / 1000.0
            await page.get_by_role("button", name="Send").wait_for(timeout=60_000)
            await asyncio.sleep(0.5)
            recording["on"] = False
            ended = time.time()
            cpu = cpu_seconds(app.proc.pid) - cpu_before
            long_tasks = await page.evaluate("() => window.__longTasks")
            await browser.close()
        await client.aclose()
        streaming = [f for f in frames if f[0] <= seen_at + 0.05]
        total_bytes = sum(size for _, size in frames)
        duration = max(seen_at - started, 1e-6)
        return {
            "tokens": tokens,
            "token_delay_s": token_delay,
            "ws_bytes_total": total_bytes,
            "bytes_per_token": total_bytes / tokens,
            "frames": len(frames),
            "frames_per_second": len(streaming) / duration,
            "last_token_to_dom_ms": (seen_at - emitted_at) * 1000.0,
            "backend_cpu_s": cpu,
            "long_tasks": len(long_tasks),
            "long_task_max_ms": max(long_tasks, default=0.0),
            "long_task_total_ms": sum(long_tasks),
            "wall_s": ended - started,
        }
    finally:
        if app is not None:
            stop_app(app)
        server.stop()


def main() -> None:
    tokens = int(os.environ.get("BENCH_UI_TOKENS", "2000"))
    delay = float(os.environ.get("BENCH_UI_TOKEN_DELAY", "0.01"))
    result = asyncio.run(run(tokens, delay))
    print(f"UI stream: {tokens} tokens after a 100-message thread "
          f"(token delay {delay * 1000:.0f} ms)")
    print(f"  websocket bytes to browser: {result['ws_bytes_total']:,} "
          f"= {result['bytes_per_token']:.0f} B/token (target < 1024)")
    print(f"  frames: {result['frames']} ({result['frames_per_second']:.1f} per second)")
    print(f"  last token emitted -> visible in DOM: {result['last_token_to_dom_ms']:.0f} ms "
          "(target < 100)")
    print(f"  browser long tasks (> 50 ms): {result['long_tasks']}, longest "
          f"{result['long_task_max_ms']:.0f} ms, {result['long_task_total_ms']:.0f} ms in all")
    print(f"  backend CPU: {result['backend_cpu_s']:.2f} s over {result['wall_s']:.1f} s wall")


if __name__ == "__main__":
    main()
