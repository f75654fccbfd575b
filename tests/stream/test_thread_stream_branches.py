"""Branching on the real server: regenerate and edit give "2 / 2", switching branches."""

from __future__ import annotations

from app.stream import ThreadStream
from app.stream.branches import next_branch

from .conftest import chat_config


async def test_regenerate_gives_two_branches_on_the_ai_message(make_stream):
    stream: ThreadStream = make_stream()
    await stream.submit("question", config=chat_config("answer A"))
    ai = stream.messages[-1]
    meta = stream.get_messages_metadata(ai)
    assert meta["branch_options"] is None
    await stream.submit(None, checkpoint=meta["parent_checkpoint"],
                        config=chat_config("answer B"))
    assert [m["content"] for m in stream.messages] == ["question", "answer B"]
    new_meta = stream.get_messages_metadata(stream.messages[-1])
    options = new_meta["branch_options"]
    assert len(options) == 2 and options.index(new_meta["branch"]) == 1  # "2 / 2"
    previous = next_branch(options, new_meta["branch"], -1)
    stream.set_branch(previous)
    assert [m["content"] for m in stream.messages] == ["question", "answer A"]
    old_meta = stream.get_messages_metadata(stream.messages[-1])
    assert old_meta["branch_options"] == options and options.index(old_meta["branch"]) == 0
    stream.set_branch(next_branch(options, old_meta["branch"], 1))
    assert stream.messages[-1]["content"] == "answer B"


async def test_editing_the_human_message_gives_two_branches_on_it(make_stream):
    stream: ThreadStream = make_stream()
    await stream.submit("hello", config=chat_config("reply one"))
    await stream.submit("how are you", config=chat_config("reply two"))
    human = stream.messages[2]
    meta = stream.get_messages_metadata(human)
    edited = {"type": "human", "content": "how old are you"}
    await stream.submit({"messages": [edited]}, checkpoint=meta["parent_checkpoint"],
                        config=chat_config("reply edited"))
    assert [m["content"] for m in stream.messages] == [
        "hello", "reply one", "how old are you", "reply edited"]
    edited_meta = stream.get_messages_metadata(stream.messages[2])
    assert len(edited_meta["branch_options"]) == 2
    assert edited_meta["branch_options"].index(edited_meta["branch"]) == 1
    assert stream.get_messages_metadata(stream.messages[0])["branch_options"] is None
    stream.set_branch(edited_meta["branch_options"][0])
    assert [m["content"] for m in stream.messages[2:]] == ["how are you", "reply two"]
    tree = stream.branch_tree
    assert any(item["type"] == "fork" for item in tree["items"])


async def test_fork_point_with_history_off_walks_parents(make_stream):
    stream: ThreadStream = make_stream(fetch_state_history=False)
    await stream.submit("hello", config=chat_config("reply one"))
    await stream.submit("second", config=chat_config("reply two"))
    human = stream.messages[2]
    assert stream.get_messages_metadata(human)["parent_checkpoint"] is None  # not guessed
    parent = await stream.fork_point(human)
    await stream.submit({"messages": [{"type": "human", "content": "edited"}]},
                        checkpoint=parent, config=chat_config("reply edited"))
    assert [m["content"] for m in stream.messages] == [
        "hello", "reply one", "edited", "reply edited"]
    regenerate_from = await stream.fork_point(stream.messages[-1])
    await stream.submit(None, checkpoint=regenerate_from, config=chat_config("reply again"))
    assert [m["content"] for m in stream.messages][2:] == ["edited", "reply again"]
