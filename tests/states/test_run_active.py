"""The tab shows a run (Stop) from the click that starts it until its answer is complete,
on a real ThreadStream against the test Agent Server."""

from __future__ import annotations

from app.states.tab_sessions import TabSession
from app.stream import ThreadStream
from app.stream.inputs import as_message


async def test_stop_from_the_click_and_send_back_while_the_thread_is_re_read(api_url):
    reply = "one two three four five six"
    stream = ThreadStream("chat", api_url)
    session = TabSession(stream=stream, assistant_id="chat")
    seen: list[tuple[bool, bool, str]] = []

    def listener(change):
        last = stream.messages[-1] if stream.messages else {}
        seen.append((session.run_active(), stream.is_loading, str(last.get("content") or "")))

    stream.subscribe(listener)
    session.starting = True  # what the click does, before the stream has started
    assert session.run_active() and not stream.is_loading
    try:
        await stream.submit({"messages": [as_message("hi")]},
                            config={"configurable": {"reply": reply, "token_delay": 0.01}})
    finally:
        session.starting = False
        await stream.aclose()
    first_idle = next(i for i, (active, _, _) in enumerate(seen) if not active)
    assert all(active for active, _, _ in seen[:first_idle])  # no flicker
    # Send comes back with the complete answer, while the stream still re-reads the thread.
    assert seen[first_idle] == (False, True, reply)
    assert not any(active for active, _, _ in seen[first_idle:])
    assert not session.run_active()
