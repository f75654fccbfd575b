"""`genui` on the real server: the wire shapes of `push_ui_message` / `delete_ui_message`
(custom events, `updates`, `values.ui`) and the client reducer fed with them."""

from __future__ import annotations

from app.stream.ui_messages import apply_ui_events, group_by_message, ui_from_values


def ui_events(run) -> list[dict]:
    return [d for d in run.named("custom") if d.get("type") in ("ui", "remove-ui")]


def test_card_is_pushed_linked_updated_while_streaming_and_status_removed(wire) -> None:
    thread = wire.thread()
    run = wire.ask(thread, "genui", "What is the weather in Porto?")
    answer = run.last_values["messages"][-1]
    assert answer["type"] == "ai" and "Porto" in answer["content"]

    events = ui_events(run)
    status, card = events[0], events[1]
    assert status["name"] == "status" and status["props"] == {"text": "Looking up Porto…"}
    # Exact wire shape of push_ui_message (langgraph 1.2.22): run_id/tags/name are null
    # inside a node; the link is metadata.message_id, only when `message=` is given.
    assert status["metadata"] == {"merge": False, "run_id": None, "tags": None, "name": None}
    assert card["name"] == "weather" and card["props"] == {
        "city": "Porto", "days": [], "status": "loading"
    }
    assert card["metadata"] == {
        "merge": False, "run_id": None, "tags": None, "name": None, "message_id": answer["id"]
    }
    updates = [e for e in events[2:] if e["type"] == "ui"]
    assert len(updates) >= 3 and all(e["id"] == card["id"] for e in updates)
    assert all(e["metadata"]["merge"] is True for e in updates)
    assert all("city" not in e["props"] for e in updates)  # only the changed props are sent
    assert [len(e["props"]["days"]) for e in updates] == [1, 2, 3, 3]
    assert updates[-1]["props"]["status"] == "done"
    assert events[-1] == {"type": "remove-ui", "id": status["id"]}

    # The card changes while the answer streams: merges come between tokens.
    names = run.names()
    token_at = [i for i, name in enumerate(names) if name == "messages"]
    custom_at = [i for i, name in enumerate(names) if name == "custom"]
    assert sum(token_at[0] < i < token_at[-1] for i in custom_at) >= 3

    # Each push also reaches the state through `updates` (one entry per push).
    pushed = [
        entry["ui"]
        for update in run.named("updates")
        for entry in (update.get("model") or [])
        if isinstance(entry, dict) and "ui" in entry
    ]
    assert pushed == events

    # values.ui holds the merged result; the client reducer over the custom events agrees.
    final_ui = run.last_values["ui"]
    assert len(final_ui) == 1 and final_ui[0]["id"] == card["id"]
    assert final_ui[0]["props"]["city"] == "Porto" and len(final_ui[0]["props"]["days"]) == 3
    assert final_ui[0]["metadata"]["merge"] is True  # the last push's metadata
    assert apply_ui_events([], events) == final_ui
    assert ui_from_values(wire.state(thread)["values"]) == final_ui


def test_cards_of_each_answer_stay_linked_across_runs(wire) -> None:
    thread = wire.thread()
    first = wire.ask(thread, "genui", "weather in Oslo")
    second = wire.ask(thread, "genui", "and in Rome?")
    assert second.events[1][0] == "values"
    assert second.events[1][1]["ui"] == first.last_values["ui"]  # input values carry old cards
    values = wire.state(thread)["values"]
    ids = [m["id"] for m in values["messages"]]
    by_message, rest = group_by_message(ids, ui_from_values(values) or [])
    answers = [m for m in values["messages"] if m["type"] == "ai"]
    assert [by_message[a["id"]][0]["props"]["city"] for a in answers] == ["Oslo", "Rome"]
    assert rest == []


def test_card_name_and_status_card_are_configurable(wire) -> None:
    run = wire.ask(
        wire.thread(), "genui", "weather in Kyiv", configurable={"ui_name": "mystery-widget",
                                                                  "keep_status": True}
    )
    final_ui = run.last_values["ui"]
    assert [u["name"] for u in final_ui] == ["status", "mystery-widget"]
    assert not any(e["type"] == "remove-ui" for e in ui_events(run))
    by_message, rest = group_by_message([m["id"] for m in run.last_values["messages"]], final_ui)
    assert [u["name"] for u in rest] == ["status"]  # unlinked: shown last


def test_without_custom_mode_cards_arrive_only_in_values(wire) -> None:
    run = wire.ask(wire.thread(), "genui", "weather in Lima", stream_mode=("values",))
    assert run.named("custom") == []
    assert [u["name"] for u in run.last_values["ui"]] == ["weather"]
