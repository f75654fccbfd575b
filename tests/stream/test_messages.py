"""Unit tests of chunk accumulation and the displayed message list (synthetic chunks)."""

from __future__ import annotations

from app.stream.chunks import ChunkAccumulator, parse_partial_json
from app.stream.messages import MessageList, apply_removals, normalize_type


def chunk(content="", *, id="m1", **extra):
    return {"type": "AIMessageChunk", "id": id, "content": content, **extra}


def test_normalize_type():
    assert normalize_type("AIMessageChunk") == "ai"
    assert normalize_type("HumanMessage") == "human"
    assert normalize_type("tool") == "tool"
    assert normalize_type("ToolMessageChunk") == "tool"
    assert normalize_type("remove") == "remove"


def test_string_content_concatenates_and_type_is_ai():
    acc = ChunkAccumulator()
    for token in ["Hel", "lo", " world"]:
        acc.add(chunk(token), {"langgraph_node": "model"})
    message = acc.get("m1")
    assert message["content"] == "Hello world"
    assert message["type"] == "ai"
    assert acc.metadata["m1"]["langgraph_node"] == "model"


def test_chunk_without_id_is_ignored():
    acc = ChunkAccumulator()
    assert acc.add({"type": "AIMessageChunk", "content": "x"}) is None
    assert acc.ids() == []


def test_content_blocks_merge_by_index():
    acc = ChunkAccumulator()
    acc.add(chunk([{"type": "text", "text": "Hi", "index": 0}]))
    acc.add(chunk([{"type": "text", "text": " there", "index": 0}]))
    acc.add(chunk([{"type": "reasoning", "reasoning": "hm", "index": 1}]))
    acc.add(chunk([{"type": "reasoning", "reasoning": "m", "index": 1}]))
    assert acc.get("m1")["content"] == [
        {"type": "text", "text": "Hi there", "index": 0},
        {"type": "reasoning", "reasoning": "hmm", "index": 1},
    ]


def test_string_then_blocks_keeps_the_text():
    acc = ChunkAccumulator()
    acc.add(chunk("a"))
    acc.add(chunk([{"type": "text", "text": "b", "index": 0}]))
    content = acc.get("m1")["content"]
    assert content[0] == {"type": "text", "text": "a"}
    assert content[1]["text"] == "b"


def test_tool_call_chunks_merge_by_index_and_parse_lazily():
    acc = ChunkAccumulator()
    acc.add(
        chunk(tool_call_chunks=[{"index": 0, "id": "c1", "name": "search", "args": '{"q": "pa'}])
    )
    acc.add(chunk(tool_call_chunks=[{"index": 0, "id": None, "name": None, "args": 'ris"}'}]))
    acc.add(chunk(tool_call_chunks=[{"index": 1, "id": "c2", "name": "calc", "args": '{"x": 1'}]))
    message = acc.get("m1")
    assert message["tool_calls"] == [
        {"type": "tool_call", "id": "c1", "name": "search", "args": {"q": "paris"}},
        {"type": "tool_call", "id": "c2", "name": "calc", "args": {"x": 1}},
    ]
    assert message["tool_call_chunks"][0]["args"] == '{"q": "paris"}'


def test_message_is_cached_until_next_chunk():
    acc = ChunkAccumulator()
    acc.add(chunk("a"))
    first = acc.get("m1")
    assert acc.get("m1") is first
    acc.add(chunk("b"))
    assert acc.get("m1") is not first and acc.get("m1")["content"] == "ab"


def test_usage_and_response_metadata_merge():
    acc = ChunkAccumulator()
    acc.add(chunk("a", usage_metadata={"input_tokens": 3, "output_tokens": 1, "total_tokens": 4}))
    acc.add(
        chunk(
            "b",
            usage_metadata={"input_tokens": 0, "output_tokens": 1, "total_tokens": 1},
            response_metadata={"finish_reason": "stop"},
        )
    )
    message = acc.get("m1")
    assert message["usage_metadata"] == {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5}
    assert message["response_metadata"] == {"finish_reason": "stop"}


def test_whole_message_replaces_draft_and_reset_forgets():
    acc = ChunkAccumulator()
    acc.add(chunk("partial"))
    acc.add({"type": "ai", "id": "m1", "content": "final"})
    assert acc.get("m1")["content"] == "final"
    acc.reset()
    assert acc.get("m1") is None
    acc.add(chunk("Hello"))
    assert acc.get("m1")["content"] == "Hello"  # no "HelloHello" after a replay


def test_message_list_upsert_by_id_from_the_end():
    items = MessageList([{"id": "a", "content": "1"}, {"id": "b", "content": "2"}])
    items.upsert({"id": "a", "content": "1!"})
    items.upsert({"id": "c", "content": "3"})
    assert [m["content"] for m in items] == ["1!", "2", "3"]
    assert items.index_of("c") == 2


def test_message_list_duplicate_ids_update_the_last():
    items = MessageList([{"id": "a", "content": "old"}, {"id": "a", "content": "new"}])
    items.upsert({"id": "a", "content": "newer"})
    assert [m["content"] for m in items] == ["old", "newer"]


def test_message_list_remove_and_remove_all():
    items = MessageList([{"id": "a"}, {"id": "b"}, {"id": "c"}])
    assert items.remove("b")
    assert items.ids() == ["a", "c"] and items.index_of("c") == 1
    assert not items.remove("zzz")
    items.remove("__remove_all__")
    assert len(items) == 0


def test_apply_removals():
    result = apply_removals([{"id": "a"}, {"id": "b"}, {"type": "remove", "id": "a"}, {"id": "c"}])
    assert [m["id"] for m in result] == ["b", "c"]


def test_parse_partial_json():
    assert parse_partial_json('{"a": "b') == {"a": "b"}
    assert parse_partial_json('{"a": [1, 2') == {"a": [1, 2]}
    assert parse_partial_json('{"a": 1, "b"') == {"a": 1}
    assert parse_partial_json('{"a": tr') == {}
    assert parse_partial_json('{"a": "x\\') == {"a": "x"}
    assert parse_partial_json("") is None
    assert parse_partial_json("nonsense", default="d") == "d"
