"""A run replayed from its start (a queued run followed from its first event, a join
after a reload) forgets only what it streams again: answers of earlier runs keep their
reasoning and timing, and are still recorded; the replayed answers are not."""

from __future__ import annotations

from typing import Any

from app.stream.agent_activity import AgentActivity

USAGE = {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5}


def chunk(message_id: str, text: str = "", thought: str = "") -> list[Any]:
    message: dict[str, Any] = {"type": "AIMessageChunk", "id": message_id, "content": text}
    if thought:
        message["additional_kwargs"] = {"reasoning_content": thought}
    return [message, {}]


def stream(activity: AgentActivity, message_id: str, at: float, *parts: tuple[str, str]) -> None:
    for step, (thought, text) in enumerate(parts):
        activity.add("messages", (), chunk(message_id, text, thought), at + step)


def finished(message_id: str) -> dict[str, Any]:
    return {"type": "ai", "id": message_id, "content": "done", "usage_metadata": USAGE}


def test_earlier_answers_keep_their_timing_and_the_replayed_ones_restart() -> None:
    activity = AgentActivity()
    activity.run_started(0.0)
    stream(activity, "earlier", 1.0, ("", "Hi"), ("", " there"))  # ended: first at 1 s
    activity.run_started(10.0)
    stream(activity, "again", 12.0, ("Let me ", ""))  # the run a reload cut off
    activity.replay()
    stream(activity, "again", 20.0, ("Let me ", ""), ("think.", ""), ("", "Yes"))
    stream(activity, "new", 30.0, ("", "More"))

    earlier = activity.details(finished("earlier"))
    assert earlier["time_to_first_token"] == 1.0 and earlier["duration"] == 1.0
    again = activity.details({**finished("again"), "content": "Yes"})
    assert again["reasoning"] == "Let me think."  # streamed twice, kept once
    assert again["thought_seconds"] == 2.0  # from the replayed events only

    recorded = activity.to_record(finished)
    assert [entry["id"] for entry in recorded] == ["earlier"]
    assert recorded[0]["ttft_s"] == 1.0


def test_after_the_replayed_run_answers_are_recorded_again() -> None:
    activity = AgentActivity()
    activity.replay()
    stream(activity, "replayed", 1.0, ("", "Hi"))
    assert activity.to_record(finished) == []
    activity.run_started(5.0)
    stream(activity, "live", 6.0, ("", "Hi"))
    assert [entry["id"] for entry in activity.to_record(finished)] == ["live"]
