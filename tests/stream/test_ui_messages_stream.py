"""Generative UI through a real `ThreadStream`: the `custom_event_handler` callback keeps
`values["ui"]` live while the answer streams, and a reload reads the same cards."""

from __future__ import annotations

from typing import Any

from app.stream.ui_messages import (
    custom_event_handler,
    display_ui_list,
    group_by_message,
    ui_from_values,
)

FAST = {"configurable": {"token_delay": 0.01}}


async def test_cards_update_live_and_survive_a_reload(make_stream) -> None:
    stream = make_stream("genui", on_custom_event=custom_event_handler())
    seen: list[tuple[list[str], list[int], str | None]] = []

    def listener(change: Any) -> None:
        ui = stream.values.get("ui") or []
        live = stream.live_message_id
        seen.append(([u["name"] for u in ui],
                     [len(u["props"].get("days", [])) for u in ui if u["name"] == "weather"],
                     live))

    stream.subscribe(listener)
    await stream.submit("What is the weather in Porto?", config=FAST)

    # While tokens streamed, the weather card was shown with 0, 1, 2, 3 days, next to the
    # status card, and linked to the message being streamed.
    streaming = [s for s in seen if s[2]]
    day_counts = [days[0] for names, days, _ in streaming if days]
    assert set(day_counts) >= {0, 1, 2, 3}
    assert day_counts == sorted(day_counts)
    assert any(names == ["status", "weather"] for names, _, _ in streaming)

    final = stream.values["ui"]
    assert [u["name"] for u in final] == ["weather"]  # the status card was removed
    answer = stream.messages[-1]
    shown = display_ui_list(final)
    by_message, rest = group_by_message([m.get("id") for m in stream.messages], shown)
    assert [c["props"]["city"] for c in by_message[answer["id"]]] == ["Porto"] and rest == []

    reloaded = make_stream("genui", thread_id=stream.thread_id)
    await reloaded.load()
    assert ui_from_values(reloaded.values) == final
