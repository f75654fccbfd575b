"""Unit tests of submit inputs: message ids minted client-side, shapes accepted."""

from app.stream.inputs import build_input


def test_string_becomes_a_human_message_with_an_id():
    data, shown = build_input("hi")
    assert data == {"messages": shown}
    assert shown[0]["type"] == "human" and shown[0]["content"] == "hi" and shown[0]["id"]


def test_one_message_a_list_and_roles():
    data, shown = build_input({"role": "user", "content": "x"})
    assert shown[0]["type"] == "human" and "role" not in shown[0]
    data, shown = build_input([{"type": "human", "content": "a", "id": "keep"}, "b"])
    assert [m["id"] for m in shown][0] == "keep" and len(shown) == 2


def test_state_dict_with_messages_and_other_keys():
    data, shown = build_input({"messages": "hello", "topic": "t"}, "messages")
    assert data["topic"] == "t" and data["messages"] == shown and shown[0]["content"] == "hello"
    data, shown = build_input({"topic": "only"})
    assert data == {"topic": "only"} and shown == []
    assert build_input(None) == (None, [])


def test_custom_messages_key():
    data, shown = build_input("hi", "chat")
    assert list(data) == ["chat"]
