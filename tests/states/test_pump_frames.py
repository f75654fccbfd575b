"""The flush pump on a real ThreadStream: the answer's last tokens reach the browser in
the same flush as the end of the run (Send comes back with the last token)."""

from __future__ import annotations

from typing import Any

from app.states.pump import flush_while
from app.states.tab_sessions import TabSession
from app.stream import ThreadStream
from app.stream.inputs import as_message


class Recorder:
    """Stands where the chat state stands for the pump: records each flush as the
    browser would see it (the live text, Stop or Send)."""

    def __init__(self) -> None:
        self.flushes: list[tuple[str, bool]] = []

    async def __aenter__(self) -> Recorder:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def tab_token(self) -> str:
        return "pump-test"

    async def apply_view(self, session: TabSession, *, final: bool = False) -> list[Any]:
        session.next_frame(full=final)
        live = session.publisher.live
        self.flushes.append((live.head + live.tail, session.run_active()))
        return []


async def test_the_last_tokens_and_send_go_out_together(api_url):
    reply = " ".join(f"word{i}" for i in range(30))
    stream = ThreadStream("chat", api_url)
    session = TabSession(stream=stream, assistant_id="chat")
    stream.subscribe(session.on_change)
    recorder = Recorder()
    outcome: list = []
    try:
        session.starting = True
        work = lambda: stream.submit(  # noqa: E731
            {"messages": [as_message("hi")]},
            config={"configurable": {"reply": reply, "token_delay": 0.005}})
        async for _ in flush_while(recorder, session, work, outcome):
            pass
    finally:
        await stream.aclose()
    assert outcome == [None]
    texts = [text for text, _ in recorder.flushes]
    assert any(0 < len(t) < len(reply) for t in texts)  # it streamed in several flushes
    complete = [i for i, (text, _) in enumerate(recorder.flushes) if text == reply]
    first = complete[0]
    # The flush that first shows the whole answer already shows Send, and every flush
    # before it showed Stop (no flicker).
    assert recorder.flushes[first][1] is False
    assert all(active for _, active in recorder.flushes[:first])
