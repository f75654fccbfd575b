"""A tab session following a real ThreadStream on the real test Agent Server: the
streamed answer goes to the live patch token by token, then into the list once."""

from __future__ import annotations

import asyncio
import json

from app.states.tab_sessions import TabSession
from app.stream import ThreadStream
from app.stream.inputs import as_message


async def _follow(session: TabSession, work) -> list:
    task = asyncio.ensure_future(work)
    frames = []
    while not task.done():
        session.changed.clear()
        frames.append(session.next_frame())
        waiter = asyncio.ensure_future(session.changed.wait())
        await asyncio.wait({task, waiter}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        await asyncio.sleep(0.02)
    await task
    frames.append(session.next_frame(full=True))
    return frames


async def test_live_patches_then_one_list_write(api_url):
    reply = "alpha beta gamma delta epsilon zeta eta theta"
    stream = ThreadStream("chat", api_url)
    session = TabSession(stream=stream, assistant_id="chat")
    stream.subscribe(session.on_change)
    try:
        frames = await _follow(
            session,
            stream.submit(
                {"messages": [as_message("hi")]},
                config={"configurable": {"reply": reply, "token_delay": 0.03}},
                stream_resumable=True,
            ),
        )
    finally:
        await stream.aclose()
    tails = [f.live["live_tail"] for f in frames if f.live.get("live_tail")]
    assert len(tails) >= 3, tails  # the answer arrived in several pieces
    assert tails == sorted(tails, key=len) and reply.startswith(tails[0])
    lists = [f.messages for f in frames if f.messages is not None]
    final = lists[-1]
    assert [(m["role"], m["text"]) for m in final] == [("user", "hi"), ("assistant", reply)]
    # The assistant message is written into the list once, at the end.
    assert sum(1 for ms in lists if any(m["role"] == "assistant" for m in ms)) == 1
    assert frames[-1].live.get("live_id") == "" or not frames[-1].live
    assert all(len(json.dumps(f.live)) < 600 for f in frames)
