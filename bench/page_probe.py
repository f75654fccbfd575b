"""What bench_side_by_side measures inside one Chromium page, the same way for every
client (our Reflex app and the two React reference apps).

- `install_probe`: an in-page MutationObserver that timestamps (performance.now()) the
  click, the first and the last token of the new assistant message becoming visible in
  the DOM (the text of the element holding its last text node ends with the answer's last
  words) and every change of the composer's button (Send / Stop), counts DOM updates
  (observer callbacks: about one per commit) and its own time (`probeMs`, subtracted from
  Task by the bench), and calls `window.__benchDone()`
  once the last token is visible and Send is back. Per DOM commit it walks only the
  streamed message's text nodes and the composer form (no layout, no full-document query
  once the message is found), so its own cost stays small and alike for all clients.
- `NetworkTally`: every byte the page receives, from CDP Network events with their
  monotonic timestamps: HTTP body bytes (`Network.dataReceived`, which also fires for each
  chunk of a streamed fetch/SSE response) and websocket payloads
  (`Network.webSocketFrameReceived`). Each byte is labelled: HTTP by method and path (ids
  replaced), Reflex frames by the substate var that carried them.
- `main_thread_seconds`: CDP `Performance.getMetrics` TaskDuration (main-thread busy
  time; also its script and style+layout parts) with its `Timestamp`, on the same clock
  as the Network events.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

PROBE_JS = """
(tail) => {
  const m = window.__bench = {clickAt: 0, first: 0, last: 0, transitions: [], state: '',
                               updates: 0, probeMs: 0, done: false};
  document.addEventListener('click', () => { m.clickAt = m.clickAt || performance.now(); },
                            true);
  const initial = new Set(document.querySelectorAll('[role=article]'));
  let form = null, article = null;
  const composer = () => {
    if (!form || !form.isConnected) {
      const box = document.querySelector('textarea[aria-label="Message"]');
      form = box && box.closest('form');
    }
    return form;
  };
  const buttons = () => {
    const f = composer();
    if (!f) return 'none';
    if (f.querySelector('button[aria-label="Stop"]')) return 'stop';
    return f.querySelector('button[aria-label="Send"]') ? 'send' : 'none';
  };
  const newAssistant = () => {
    const all = document.querySelectorAll('[role=article]');
    for (let i = all.length - 1; i >= 0; i--) {
      if (initial.has(all[i])) return null;
      if ((all[i].getAttribute('aria-label') || '').startsWith('Assistant')) return all[i];
    }
    return null;
  };
  // The text of the element holding the last visible text: a client may show one
  // paragraph as several text nodes (ours: its plain start, then the rest).
  const lastText = (el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node, last = null;
    while ((node = walker.nextNode())) if (/\\S/.test(node.data)) last = node;
    return last ? (last.parentNode ? last.parentNode.textContent : last.data) : '';
  };
  m.state = buttons();
  const check = () => {
    const now = performance.now();
    m.updates += 1;
    if (!m.last) {
      if (!article || !article.isConnected) article = newAssistant();
      if (article) {
        const text = lastText(article);
        if (text && !m.first) m.first = now;
        if (text.trimEnd().endsWith(tail)) m.last = now;
      }
    }
    const state = buttons();
    if (state !== m.state) { m.transitions.push([now, state]); m.state = state; }
    if (!m.done && m.last && state === 'send') { m.done = true; window.__benchDone(); }
    m.probeMs += performance.now() - now;
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}
"""

_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _label(method: str, url: str) -> str:
    parts = urlsplit(url)
    return f"{method} {_ID.sub('{id}', parts.path)}"


def _short(name: str) -> str:
    """`reflex___state____state.app___states___thread____live_message_state` ->
    `live_message_state`; `live_tail_rx_state_` -> `live_tail`."""
    return name.rsplit("____", 1)[-1].removesuffix("_rx_state_")


def frame_parts(payload: str) -> Counter[str]:
    """A Reflex websocket frame's bytes by the substate var carrying them (the rest,
    envelope and client events, as `ws other`)."""
    parts: Counter[str] = Counter()
    total = len(payload.encode())
    start = payload.find("[")
    try:
        data = json.loads(payload[start:]) if start >= 0 else None
    except ValueError:
        data = None
    if isinstance(data, list) and len(data) == 2 and isinstance(data[1], dict):
        for substate, values in (data[1].get("delta") or {}).items():
            if isinstance(values, dict):
                for var, value in values.items():
                    size = len(json.dumps(value, separators=(",", ":")).encode()) + len(var)
                    parts[f"ws {_short(substate)}.{_short(var)}"] += size
    parts["ws other"] += max(total - sum(parts.values()), 0)
    return parts


@dataclass
class NetworkTally:
    """Bytes received by one page, as (CDP timestamp, label, bytes) records."""

    records: list[tuple[float, str, int]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def attach(self, cdp: Any) -> None:
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.webSocketCreated", self._socket)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _request(self, event: dict) -> None:
        request = event["request"]
        self.labels[event["requestId"]] = _label(request["method"], request["url"])

    def _socket(self, event: dict) -> None:
        self.labels[event["requestId"]] = _label("WS", event["url"])

    def _data(self, event: dict) -> None:
        label = self.labels.get(event["requestId"], "HTTP ?")
        self.records.append((event["timestamp"], label, int(event.get("dataLength") or 0)))

    def _frame(self, event: dict) -> None:
        response = event["response"]
        payload = response.get("payloadData") or ""
        if response.get("opcode") == 2:
            self.records.append((event["timestamp"], "ws binary", len(base64.b64decode(payload))))
            return
        for label, size in frame_parts(payload).items():
            self.records.append((event["timestamp"], label, size))

    def between(self, since: float, until: float) -> Counter[str]:
        """Bytes by label received in [since, until] (CDP monotonic seconds)."""
        found: Counter[str] = Counter()
        for stamp, label, size in self.records:
            if since <= stamp <= until:
                found[label] += size
        return found


async def main_thread_seconds(cdp: Any) -> dict[str, float]:
    """CDP `Performance.getMetrics` (cumulative, seconds): `Timestamp` (monotonic, the
    Network events' clock), `TaskDuration` (all main-thread tasks), `ScriptDuration`,
    `LayoutDuration`, `RecalcStyleDuration`."""
    metrics = (await cdp.send("Performance.getMetrics"))["metrics"]
    return {m["name"]: m["value"] for m in metrics}


async def install_probe(page: Any, tail: str) -> None:
    await page.evaluate(PROBE_JS, tail)


async def probe_result(page: Any) -> dict[str, Any]:
    return await page.evaluate("() => window.__bench")
