"""ScriptedChatModel on its own: turns, reasoning formats, tool call chunks, usage."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolCall

from agents.scripted_model import ScriptedChatModel, Turn, next_turn

CALL = ToolCall(name="lookup", args={"q": "owls"}, id="call_1", type="tool_call")
TURN = Turn(reasoning="Think hard.", text="Owls hunt.", tool_calls=[CALL])
HI = [HumanMessage("hi there")]


def model(fmt: str = "standard", script=(TURN,)) -> ScriptedChatModel:
    return ScriptedChatModel(script=list(script) if isinstance(script, tuple) else script,
                             token_delay=0, reasoning_format=fmt)


def test_a_list_script_is_picked_by_the_number_of_ai_messages() -> None:
    script = [Turn(text="one"), Turn(text="two")]
    assert next_turn(script, HI).text == "one"
    assert next_turn(script, [*HI, AIMessage("one")]).text == "two"
    assert next_turn(script, [*HI, AIMessage("a"), AIMessage("b"), AIMessage("c")]).text == "two"
    assert next_turn(lambda messages: Turn(text=str(len(messages))), HI).text == "1"
    assert next_turn([], HI) == Turn()


FIRST_CHUNK = [
    ("standard", [{"type": "reasoning", "reasoning": "Think ", "index": 0}], {}),
    ("anthropic", [{"type": "thinking", "thinking": "Think ", "index": 0}], {}),
    ("openai", [{"type": "reasoning", "index": 0, "id": "rs_",
                 "summary": [{"type": "summary_text", "text": "Think ", "index": 0}]}], {}),
    ("reasoning_content", "", {"reasoning_content": "Think "}),
]


@pytest.mark.parametrize(("fmt", "content", "kwargs"), FIRST_CHUNK, ids=[f[0] for f in FIRST_CHUNK])
def test_each_format_streams_reasoning_then_text_then_tool_calls(fmt, content, kwargs) -> None:
    chunks = list(model(fmt).stream(HI))
    first = chunks[0]
    if fmt == "openai":
        assert first.content[0]["id"].startswith("rs_")
        first.content[0]["id"] = "rs_"
    assert (first.content, first.additional_kwargs) == (content, kwargs)
    merged = chunks[0]
    for piece in chunks[1:]:
        merged = merged + piece
    assert merged.tool_calls == [CALL]
    assert merged.text == "Owls hunt."
    assert merged.usage_metadata == {
        "input_tokens": 2, "output_tokens": 2 + 2 + 2, "total_tokens": 8,
        "output_token_details": {"reasoning": 2},
    }
    assert merged.response_metadata["finish_reason"] == "tool_calls"
    assert merged.response_metadata["model_name"] == "scripted-model"


def test_invoke_keeps_reasoning_and_usage() -> None:
    message = model("reasoning_content").invoke(HI)
    assert message.additional_kwargs["reasoning_content"] == "Think hard."
    assert message.content == "Owls hunt."
    assert message.usage_metadata["output_tokens"] == 6


def test_a_turn_without_reasoning_streams_plain_text_and_exact_usage() -> None:
    usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}
    chunks = list(model("anthropic", (Turn(text="Hi you", usage=usage),)).stream(HI))
    assert [c.content for c in chunks if c.content] == ["Hi ", "you"]
    assert [c.usage_metadata for c in chunks if c.usage_metadata] == [usage]


def test_failure_after_n_tokens_and_unknown_format() -> None:
    with pytest.raises(ValueError, match="demo failure"):
        list(model().stream(HI, fail_after_tokens=3))
    with pytest.raises(ValueError, match="unknown reasoning_format"):
        list(model("klingon").stream(HI))
