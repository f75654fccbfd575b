"""A chat tab without a browser: a websocket client speaking the Reflex app's own
protocol, for benchmarks with many concurrent chats (50 Chromium tabs do not fit on two
cores; one of these costs a few hundred kB and little CPU).

The protocol is not rebuilt by hand from Reflex's internals: `record_session` opens the
app once in Chromium and records what a real tab sends (Socket.IO over Engine.IO 4 on
`/_event`): the CONNECT packet with the hydrate event, the replies to the page's
`_call_script` callbacks (e.g. `load_url_thread` on `/`), and the composer's submit
event. `ReflexChat` replays them under a fresh client token: same event names and
payloads, so a restructured app (renamed states, new handlers) needs no change here.

While a run streams, `ReflexChat` reads every state delta and notes, per token of a
`stamp_tokens` answer (`word#<index>@<emitted, epoch us>`), when it first arrived.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect

from bench.common import CHROMIUM, CHROMIUM_ARGS

MARKER = "bench-recorded-message"
STAMP = re.compile(r"#(\d+)@(\d+)")


@dataclass
class Recording:
    """What a real tab sent: its websocket URL, CONNECT packet, before the user typed
    the events it sent of itself (`own`: on_mount handlers, say) and its replies to the
    backend's `_call_script` callbacks, and the submit event (holding MARKER as the
    message text)."""

    url: str
    connect: str
    replies: list[str]
    submit: str
    subprotocol: str | None
    own: list[str] = field(default_factory=list)


def _event_name(frame: str) -> str:
    update = _update(frame)
    return str(update.get("name") or "") if update else ""


def _callbacks(frame: str) -> str:
    """The callback scripts of the `_call_script` events in a received frame."""
    update = _update(frame)
    return " ".join(str((e.get("payload") or {}).get("callback") or "")
                    for e in (update or {}).get("events") or []
                    if isinstance(e, dict) and e.get("name") == "_call_script")


def _with_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    query = [(k, token if k == "token" else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _is_engine_ping(frame: str) -> bool:
    return frame in ("2", "3")


async def record_session(app_url: str) -> Recording:
    """Open `app_url` in Chromium, send MARKER from the composer, wait for the answer;
    return what the page sent on its websocket."""
    from playwright.async_api import async_playwright

    sent: list[str] = []
    received: list[str] = []
    urls: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()

            def on_ws(ws: Any) -> None:
                urls.append(ws.url)
                ws.on("framesent", lambda p: sent.append(p if isinstance(p, str) else p.decode()))
                ws.on("framereceived", lambda p: received.append(
                    p if isinstance(p, str) else p.decode(errors="replace")))

            page.on("websocket", on_ws)
            protocol: list[str] = []
            page.on("request", lambda r: protocol.append(
                r.headers.get("sec-websocket-protocol", "")) if "/_event" in r.url else None)
            await page.goto(f"{app_url}/")
            box = page.get_by_role("textbox", name="Message")
            await box.wait_for()
            await page.wait_for_timeout(1500)  # the page's load chain settles
            before_typing = len(sent)
            await box.fill(MARKER)
            await page.get_by_role("button", name="Send").click()
            await page.get_by_role("article", name=re.compile("^Assistant")).wait_for()
            await page.get_by_role("button", name="Send").wait_for(timeout=60_000)
        finally:
            await browser.close()
    frames = [f for f in sent if not _is_engine_ping(f)]
    connect_frame = next(f for f in frames if f.startswith("40"))
    early = [f for f in sent[:before_typing] if not _is_engine_ping(f) and f.startswith("42")]
    called = " ".join(_callbacks(f) for f in received)
    replies = [f for f in early if _event_name(f) and _event_name(f) in called]
    own = [f for f in early if f not in replies]
    submit = next(f for f in frames if f.startswith("42") and MARKER in f)
    from reflex import constants

    return Recording(urls[0], connect_frame, replies, submit,
                     next((p for p in protocol if p), None) or constants.Reflex.VERSION, own)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _update(frame: str) -> dict[str, Any] | None:
    """The state update of a Socket.IO `event` packet (`42/_event,["event", {...}]`)."""
    if not frame.startswith("42"):
        return None
    start = frame.find("[")
    try:
        data = json.loads(frame[start:])
    except ValueError:
        return None
    if isinstance(data, list) and len(data) == 2 and data[0] == "event":
        return data[1] if isinstance(data[1], dict) else None
    return None


@dataclass
class ReflexChat:
    """One chat tab over a websocket, replaying `recording` under its own token."""

    recording: Recording
    text: str
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    # token index -> (emitted at, received at), epoch seconds
    tokens: dict[int, tuple[float, float]] = field(default_factory=dict)
    frames: int = 0
    bytes: int = 0
    _ws: ClientConnection | None = None
    _reader: asyncio.Task | None = None
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _counting: bool = False

    async def open(self) -> None:
        """Connect, hydrate and run the page's load chain, as a fresh tab on `/`."""
        url = _with_token(self.recording.url, self.token)
        origin = urlunsplit(urlsplit(url)._replace(scheme="http", path="", query=""))
        self._ws = await connect(url, subprotocols=[self.recording.subprotocol],
                                 origin=origin, max_size=None, ping_interval=None)
        await self._ws.recv()  # Engine.IO OPEN
        await self._ws.send(self.recording.connect)
        for frame in self.recording.own:
            await self._ws.send(frame)
        self._pending = list(self.recording.replies)
        if not self._pending:
            self._ready.set()
        self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._ready.wait(), timeout=60)

    async def send(self) -> None:
        """Submit `text` from the composer, as the recorded tab did."""
        assert self._ws is not None
        self._counting = True
        await self._ws.send(self.recording.submit.replace(MARKER, self.text))

    async def _read(self) -> None:
        assert self._ws is not None
        async for frame in self._ws:
            if not isinstance(frame, str):
                continue
            if frame == "2":  # Engine.IO ping from the server
                await self._ws.send("3")
                continue
            now = time.time()
            if self._counting:
                self.frames += 1
                self.bytes += len(frame.encode())
            update = _update(frame)
            if update is None:
                continue
            if any(isinstance(e, dict) and e.get("name") == "_call_script"
                   and (e.get("payload") or {}).get("callback")
                   for e in update.get("events") or []):
                # The page would run the script and send its callback's event: the
                # recorded tab's reply, in order.
                if self._pending:
                    await self._ws.send(self._pending.pop(0))
                if not self._pending:
                    self._ready.set()
            if "#" in frame:
                for text in _strings(update.get("delta") or {}):
                    for index, stamp in STAMP.findall(text):
                        i = int(index)
                        if i not in self.tokens:
                            self.tokens[i] = (int(stamp) / 1e6, now)

    def delays(self) -> list[float]:
        """Seconds from each token's emission to its arrival here."""
        return [received - emitted for emitted, received in self.tokens.values()]

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass
