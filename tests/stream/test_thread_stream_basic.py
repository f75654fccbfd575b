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


async def test_the_last_chunk_of_an_answer_says_it_is_complete(make_stream):
    """The server passes on langchain-core's final chunk (`chunk_position` "last"): the
    stream tells its listeners the message is complete right after its last token, before
    the values of the node that made it, so a view can hold those tokens for the end."""
    stream: ThreadStream = make_stream()
    changes: list[tuple[str | None, str | None, str]] = []

    def listener(change):
        live = stream.live_message() if change.message_id else None
        changes.append((change.message_id, change.scope, (live or {}).get("content", "")))

    stream.subscribe(listener)
    await stream.submit("hello", config=chat_config("one two three"))
    answer = stream.messages[-1]
    complete = [i for i, (mid, scope, _) in enumerate(changes) if scope == "complete"]
    assert len(complete) == 1
    mid, _, text = changes[complete[0]]
    assert mid == answer["id"] and text == "one two three"
    tokens = [i for i, (m, scope, _) in enumerate(changes) if m == mid and scope is None]
    assert tokens and max(tokens) < complete[0]
    assert any(m is None for m, _, _ in changes[complete[0] + 1:])  # the values came after
