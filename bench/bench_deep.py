"""A deep agent in Chromium: bytes to the browser per token while its subagents and the
main agent stream, and how soon the last token shows.

The `deep` demo agent plans, then calls its subagents at once (each streams its own
tokens and calls a tool), writes a file and waits for an approval; after it, the main
agent writes the final answer. Per variant (2 subagents; 4 subagents; 2 subagents in a
thread already holding 200 files) the bench prints:
- websocket bytes the page received from sending the message until the approval was
  asked, over every token streamed meanwhile (main agent and subagents, counted from a
  second client joining the same run), and the same over the window in which the
  subagents streamed (target < 1 KB, not growing with subagents or files);
- the delay from each subagent's last token reaching a client next to the app to its
  text being in its card in the DOM, and (first variant) the main agent's last token of
  the final answer to the DOM (target < 100 ms).
Env: BENCH_DEEP_TOKEN_DELAY (seconds per token, 0.02).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from agents.deep import get_statistics, topic_of, web_search
from app.sdk import AgentClient
from app.stream.answer_clock import adds_tokens
from app.stream.messages import content_text
from app.stream.namespaces import subagent_key
from bench.common import CHROMIUM, CHROMIUM_ARGS, served_app
from tests.e2e.app_process import ChatApp

ASK = "Write a short report on tide pools."
FINAL_TAIL = "The review edit was approved and applied."
VARIANTS = ((2, 0), (4, 0), (2, 200))  # (subagents, files already in the thread)
OBSERVER_JS = """
(tails) => { window.__seen = {}; const look = () => {
    const cards = document.querySelectorAll('.subagent-live, .chat-markdown');
    for (const tail of tails) { if (window.__seen[tail]) continue;
      for (const card of cards) { if ((card.textContent || '').includes(tail)) {
        window.__seen[tail] = performance.timeOrigin + performance.now(); break; } } } };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true,
                                                     characterData: true}); }
"""


def subagent_answers(count: int, topic: str = "tide pools") -> list[str]:
    """The final text each subagent of the demo writes (researcher, analyst, ...)."""
    answers = []
    for number in range(count):
        part = f" (part {number // 2 + 1})" if number >= 2 else ""
        subject = topic_of(f"about {topic}{part}.").rstrip(".")
        if number % 2 == 0:
            answers.append(f"Facts about {subject}: {web_search.func(subject)}")
        else:
            answers.append(f"Numbers about {subject}: {get_statistics.func(subject)}")
    return answers


async def new_thread(client: AgentClient, files: int) -> str:
    """A `deep` thread, with `files` files in its state already."""
    thread = await client.threads.create(metadata={"graph_id": "deep"})
    if files:
        now = "2030-01-01T00:00:00+00:00"
        stored = {f"/notes/{i:03}.md": {"content": f"Note {i}.\n" * 20, "encoding": "utf-8",
                                        "created_at": now, "modified_at": now}
                  for i in range(files)}
        # As the graph's last node, so the thread is idle (not paused before its start).
        await client.threads.update_state(thread.thread_id, {"files": stored},
                                          as_node="_ParentNotifierMiddleware.after_agent")
    return thread.thread_id


async def run_id_of(page: Any, thread_id: str, previous: str = "") -> str:
    """The id of the run the page is streaming on `thread_id` (kept in its storage)."""
    for _ in range(400):
        stored = await page.evaluate("() => localStorage.getItem('lg:stream')")
        run_id = json.loads(stored or "{}").get(thread_id)
        if run_id and run_id != previous:
            return run_id
        await asyncio.sleep(0.025)
    await page.screenshot(path="/tmp/bench-deep-failed.png")
    raise RuntimeError("the app never stored the run id (screenshot: "
                       "/tmp/bench-deep-failed.png)")


async def token_times(client: AgentClient, thread_id: str, run_id: str) -> dict[str, Any]:
    """Every token of a run (all namespaces) with the time it reached this client, and
    each namespace's streamed text and last token time ("main": the root graph)."""
    times: list[tuple[float, str]] = []
    texts: dict[str, str] = {}
    async with client.runs.join(thread_id, run_id, last_event_id="-1") as stream:
        async for part in stream:
            if part.mode != "messages" or not isinstance(part.data, list):
                continue
            chunk = part.data[0]
            if isinstance(chunk, dict) and adds_tokens(chunk):
                key = subagent_key(part.namespace) or "main"
                times.append((time.time(), key))
                texts[key] = texts.get(key, "") + content_text(chunk.get("content"))
    last = {key: max(t for t, k in times if k == key) for key in texts}
    return {"times": times, "texts": texts, "last": last}


async def measure(page: Any, app: ChatApp, client: AgentClient, subagents: int, files: int,
                  delay: float, frames: list[tuple[float, int]]) -> dict[str, Any]:
    """One run up to the approval it asks for, in a new thread."""
    thread_id = await new_thread(client, files)
    await page.goto(f"{app.url}/threads/{thread_id}")
    await page.get_by_role("textbox", name="Message").wait_for()
    if files:
        await page.get_by_role("region", name="Files").wait_for()
    await page.wait_for_timeout(800)
    answers = subagent_answers(subagents)
    await page.evaluate(OBSERVER_JS, [text[-40:] for text in answers] + [FINAL_TAIL])
    app.say("", token_delay=delay, subagents=subagents)
    frames.clear()
    box = page.get_by_role("textbox", name="Message")
    await box.fill(ASK)
    await box.press("Enter")
    run_id = await run_id_of(page, thread_id)
    tokens = await token_times(client, thread_id, run_id)
    await page.get_by_role("region", name="Needs your input").wait_for(timeout=60_000)
    await page.wait_for_timeout(500)
    received = list(frames)
    seen = await page.evaluate("() => window.__seen")
    sub_times = [t for t, key in tokens["times"] if key != "main"]
    first, last = min(sub_times), max(sub_times)
    in_window = [t for t, _ in tokens["times"] if first <= t <= last]
    window_bytes = sum(size for at, size in received if first <= at <= last + 0.1)
    delays = []
    for key, text in tokens["texts"].items():
        answer = next((a for a in answers if key != "main" and text.endswith(a)), None)
        if answer is not None and seen.get(answer[-40:]):
            delays.append(seen[answer[-40:]] / 1000.0 - tokens["last"][key])
    total = sum(size for _, size in received)
    return {
        "thread_id": thread_id, "run_id": run_id, "subagents": subagents, "files": files,
        "tokens": len(tokens["times"]), "bytes": total,
        "bytes_per_token": total / max(1, len(tokens["times"])),
        "window_tokens": len(in_window),
        "window_bytes_per_token": window_bytes / max(1, len(in_window)),
        "subagent_delays_ms": [d * 1000.0 for d in delays],
    }


async def final_answer_delay(page: Any, client: AgentClient, thread_id: str,
                             previous: str) -> float:
    """Approve the edit; the main agent's last token of the final answer -> DOM (ms)."""
    waiting = page.get_by_role("region", name="Needs your input")
    await waiting.get_by_role("button", name="Approve", exact=True).click()
    await waiting.get_by_role("button", name="Submit").click()
    run_id = await run_id_of(page, thread_id, previous)
    tokens = await token_times(client, thread_id, run_id)
    await page.wait_for_function(f"() => window.__seen[{FINAL_TAIL!r}] > 0", timeout=60_000)
    shown = await page.evaluate(f"() => window.__seen[{FINAL_TAIL!r}]") / 1000.0
    return (shown - tokens["last"]["main"]) * 1000.0


async def run(delay: float) -> list[dict[str, Any]]:
    from playwright.async_api import async_playwright

    results = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-deep-"))
    with served_app(tmp, {"LANGGRAPH_CHAT_THREADS": "shared"}) as (server, app):
        client = AgentClient(server.url)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)
            context = await browser.new_context(viewport={"width": 1400, "height": 900})
            await context.add_init_script("localStorage.setItem('lg:assistant', 'deep')")
            page = await context.new_page()
            frames: list[tuple[float, int]] = []

            def on_ws(ws: Any) -> None:
                ws.on("framereceived", lambda payload: frames.append(
                    (time.time(), len(payload) if isinstance(payload, bytes | str) else 0)))

            page.on("websocket", on_ws)
            for number, (subagents, files) in enumerate(VARIANTS):
                result = await measure(page, app, client, subagents, files, delay, frames)
                if number == 0:
                    result["final_token_to_dom_ms"] = await final_answer_delay(
                        page, client, result["thread_id"], result["run_id"])
                results.append(result)
            await browser.close()
        await client.aclose()
    return results


def main() -> None:
    delay = float(os.environ.get("BENCH_DEEP_TOKEN_DELAY", "0.02"))
    results = asyncio.run(run(delay))
    print(f"Deep agent in the browser (token delay {delay * 1000:.0f} ms; bytes = websocket "
          "payloads to the page)")
    for result in results:
        print(f"  {result['subagents']} subagents, {result['files']} files before: "
              f"{result['tokens']} tokens, {result['bytes']:,} B = "
              f"{result['bytes_per_token']:.0f} B/token; while the subagents streamed "
              f"{result['window_bytes_per_token']:.0f} B/token over "
              f"{result['window_tokens']} tokens (target < 1024)")
        delays = ", ".join(f"{d:.0f}" for d in result["subagent_delays_ms"])
        print(f"    each subagent's last token -> in its card: {delays} ms (target < 100)")
        if "final_token_to_dom_ms" in result:
            print(f"    main agent's last token -> visible: "
                  f"{result['final_token_to_dom_ms']:.0f} ms (target < 100)")


if __name__ == "__main__":
    main()
