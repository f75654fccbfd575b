"""`is_settling`: the run's stream has ended and the thread is being re-read."""

from __future__ import annotations

import asyncio

from app.stream import ThreadStream

from .conftest import chat_config


async def test_settling_runs_from_the_complete_answer_until_the_thread_is_read(make_stream):
    stream: ThreadStream = make_stream()
    seen: list[tuple[bool, bool, str]] = []

    def listener(change):
        last = stream.messages[-1] if stream.messages else {}
        seen.append((stream.is_loading, stream.is_settling, str(last.get("content") or "")))

    stream.subscribe(listener)
    await stream.submit("hello", config=chat_config("one two three four"))
    settling = [i for i, (_, is_settling, _) in enumerate(seen) if is_settling]
    assert settling, "listeners are told when the run's stream has ended"
    first = settling[0]
    # Settling comes once the whole answer is there, and is part of loading.
    assert seen[first] == (True, True, "one two three four")
    assert all(seen[i][0] for i in settling)
    # Nothing streamed after it, and every change before it was not settling.
    assert all(text == "one two three four" for _, _, text in seen[first:])
    assert not any(is_settling for _, is_settling, _ in seen[:first])
    assert not stream.is_settling and not stream.is_loading
    assert seen[-1][:2] == (False, False)


async def test_a_message_sent_while_settling_keeps_both_answers_timing(make_stream):
    """Send comes back while the thread is re-read; a message sent right then queues, and
    following that queued run from its start does not wipe the first answer's timing."""
    stream: ThreadStream = make_stream()
    sent: list = []

    def listener(change):
        if stream.is_settling and not sent:
            sent.append(asyncio.ensure_future(
                stream.submit("again", config=chat_config("four five six"))))

    stream.subscribe(listener)
    await stream.submit("hello", config=chat_config("one two three"))
    assert sent
    await sent[0]
    assert not stream.is_loading
    answers = [m for m in stream.messages if m["type"] == "ai"]
    assert [m["content"] for m in answers] == ["one two three", "four five six"]
    timing = [stream.usage(m) for m in answers]
    assert all(t and t["time_to_first_token"] for t in timing), timing
