"""Request bodies and event parsing, without a server."""

from __future__ import annotations

import pytest

from app.sdk import NOT_GIVEN, Checkpoint, RequestValidationError, RunError
from app.sdk.run_stream import ids_from_location
from app.sdk.runs import run_body
from app.sdk.sse import EventDecoder


def test_only_given_fields_are_sent() -> None:
    assert run_body("chat") == {"assistant_id": "chat"}
    body = run_body(
        "chat",
        input={"messages": []},
        stream_mode=("values", "messages-tuple"),
        stream_subgraphs=True,
        config={"configurable": {"reply": "x"}},
        metadata=None,
    )
    assert body == {
        "assistant_id": "chat",
        "input": {"messages": []},
        "stream_mode": ["values", "messages-tuple"],
        "stream_subgraphs": True,
        "config": {"configurable": {"reply": "x"}},
    }


def test_explicit_null_input_is_sent_only_without_a_command() -> None:
    assert run_body("chat", input=None)["input"] is None
    assert "input" not in run_body("chat", input=NOT_GIVEN)
    assert "input" not in run_body("chat", input=None, command={"resume": 1})
    assert run_body("chat", command={"resume": 1})["command"] == {"resume": 1}


def test_checkpoint_accepts_id_model_or_dict() -> None:
    expected = {"checkpoint_id": "c1"}
    assert run_body("a", checkpoint="c1")["checkpoint"] == expected
    assert run_body("a", checkpoint=Checkpoint(checkpoint_id="c1"))["checkpoint"] == {
        "checkpoint_id": "c1",
        "checkpoint_ns": "",
    }
    assert run_body("a", checkpoint={"checkpoint_id": "c1"})["checkpoint"] == expected
    # A state's checkpoint dict carries null fields that the server answers with a 422.
    state_checkpoint = {"checkpoint_id": "c1", "checkpoint_ns": "", "checkpoint_map": None}
    assert run_body("a", checkpoint=state_checkpoint)["checkpoint"] == {
        "checkpoint_id": "c1",
        "checkpoint_ns": "",
    }


def test_bad_arguments_fail_before_sending() -> None:
    with pytest.raises(RequestValidationError, match="assistant_id"):
        run_body("")
    with pytest.raises(TypeError):
        run_body("chat", stream_modes=["values"])  # type: ignore[call-arg]


def test_content_location_gives_thread_and_run_ids() -> None:
    assert ids_from_location("/threads/t-1/runs/r-2") == ("t-1", "r-2")
    assert ids_from_location("/runs/r-2") == (None, "r-2")
    assert ids_from_location("/prefix/threads/t/runs/r?x=1") == ("t", "r")
    assert ids_from_location(None) == (None, None)
    assert ids_from_location("/elsewhere") == (None, None)


def test_decoder_parses_modes_namespaces_and_ids() -> None:
    decoder = EventDecoder()
    lines = ["event: messages|parent:1|child:2\r\n", 'data: ["x", {}]\r\n', "id: 9-0\r\n",
             "\r\n"]
    parts = [list(decoder.feed(line)) for line in lines]
    assert parts[:3] == [[], [], []]
    assert len(parts[3]) == 1
    part = parts[3][0]
    assert (part.mode, part.namespace, part.data, part.id) == (
        "messages",
        ("parent:1", "child:2"),
        ["x", {}],
        "9-0",
    )
    assert not decoder.pending


def test_decoder_raises_run_error_for_error_events() -> None:
    decoder = EventDecoder()
    list(decoder.feed("event: error\n"))
    list(decoder.feed('data: "plain text"\n'))
    with pytest.raises(RunError, match="plain text"):
        list(decoder.feed("\n"))
