"""ThreadStream against the real Agent Server: submitting, streaming, reconciling."""

from __future__ import annotations

from app.stream import ThreadStream

from .conftest import chat_config


async def test_submit_streams_human_then_ai_message(make_stream):
    stream: ThreadStream = make_stream()
    seen_lengths: list[int] = []
    loading_seen: list[bool] = []

    def listener(change):
        live = stream.live_message()
        if live is not None and live["type"] == "ai":
            seen_lengths.append(len(live["content"]))
        loading_seen.append(stream.is_loading)

    stream.subscribe(listener)
    await stream.submit("hello", config=chat_config("one two three four five"))
    assert stream.error is None
    assert not stream.is_loading
    messages = stream.messages
    assert [m["type"] for m in messages] == ["human", "ai"]
    assert messages[0]["content"] == "hello"
    assert messages[1]["content"] == "one two three four five"
    # tokens arrived one by one, growing the live message
    assert len(seen_lengths) >= 3 and seen_lengths == sorted(seen_lengths)
    assert True in loading_seen and loading_seen[-1] is False
    # the shown messages equal the server's state exactly
    state = await stream.client.threads.get_state(stream.thread_id)
    assert messages == state.values["messages"]
