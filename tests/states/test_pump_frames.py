"""The flush pump on a real ThreadStream: once the answer is known to be complete (its last
chunk came), what is left of it reaches the browser in the same flush as the end of the
run (Send comes back with the last token), and Stop never flickers.

The last token and the chunk that says it was the last are two events; the pump's window
may close between them (a millisecond apart), so that flush shows the whole text with
Stop. Nothing can know a token is the last before its marker comes, so the test holds the
pump to what it can know."""

from __future__ import annotations

from typing import Any

from app.states.pump import flush_while
from app.states.tab_sessions import TabSession
from app.stream import ThreadStream
from app.stream.inputs import as_message
from app.stream.listeners import COMPLETE


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
    # The hold (200 ms in the app) is policy; here it is long enough that a loaded
    # machine's gap between the last values and the end of the stream cannot outlast it,
    # so the test checks that the last tokens wait for the end, not how fast it comes.
    session = TabSession(stream=stream, assistant_id="chat", hold_seconds=30.0)
    stream.subscribe(session.on_change)
    recorder = Recorder()
    completed_after: list[int] = []  # how many flushes had gone out when it completed
    stream.subscribe(lambda change: change.scope == COMPLETE
                     and completed_after.append(len(recorder.flushes)))
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
    assert len(completed_after) == 1
    after = recorder.flushes[completed_after[0]:]
    # The first flush after the answer completed shows all of it, and Send.
    assert after and after[0] == (reply, False)
    # Stop until then (it never flipped to Send and back), Send from then on.
    actives = [active for _, active in recorder.flushes]
    assert actives == sorted(actives, reverse=True) and actives[0] is True
