"""join_stream's last_event_id: "-1" replays from the start, an id resumes after it, and
None resumes where this stream left the run (no reset, nothing doubled)."""

from __future__ import annotations

import asyncio

from app.stream import ThreadStream

from .conftest import chat_config
from .helpers import count_calls, server_messages, wait_for
from .test_thread_stream_synthetic import make, token


async def test_none_resumes_after_the_last_event_seen_without_resetting():
    stream, client = make()
    client.runs.scripts = [
        [token("Hel", "1"), token("lo", "2")],
        [token("lo", "2"), token("!", "3")],  # the server re-sends one event
    ]
    texts: list[str] = []
    stream.subscribe(lambda change: texts.append(
        stream.live_message()["content"] if stream.live_message() else ""))
    await stream.join_stream("run-1", "-1")
    await stream.join_stream("run-1", None)
    assert client.runs.joins == ["-1", "2"]  # after the last event this stream saw
    assert [t for t in texts if t][-1] == "Hello!"  # held chunks kept, nothing doubled


async def test_none_for_a_run_never_followed_joins_from_now_on():
    stream, client = make()
    client.runs.scripts = [[token("a", "1")], [token("b", "7")]]
    await stream.join_stream("run-1", "-1")
    await stream.join_stream("run-2", None)
    assert client.runs.joins == ["-1", None]  # no Last-Event-ID: live events only


async def test_resuming_a_run_read_half_way_on_the_real_server(make_stream, client):
    stream: ThreadStream = make_stream(client=client)
    config = chat_config(tokens=150, token_delay=0.01)
    submit = asyncio.create_task(stream.submit("long answer please", config=config,
                                               stream_resumable=True))
    await wait_for(lambda: len(str((stream.live_message() or {}).get("content") or "")) > 40)
    run_id = stream.run_id
    await stream.aclose()  # stops reading only (the client is not the stream's)
    await submit
    longest = 0

    def watch(change):
        nonlocal longest
        live = stream.live_message()
        if live is not None:
            longest = max(longest, len(str(live["content"])))

    stream.subscribe(watch)
    joins = count_calls(client.runs, "join")
    await stream.join_stream(run_id, None)
    assert joins[0][1]["last_event_id"] not in (None, "-1")  # after the last one seen
    assert stream.error is None and not stream.is_loading
    final = stream.messages[-1]
    assert longest <= len(final["content"])  # the resumed text never doubled
    assert stream.messages == await server_messages(stream)
