"""The generative-UI reducer (add, merge, remove, link), grouping and browser-safe props."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langgraph.graph.ui import ui_message_reducer

from app.stream.ui_messages import (
    MAX_ITEMS,
    MAX_PROPS_CHARS,
    MAX_STRING,
    apply_ui_event,
    apply_ui_events,
    custom_event_handler,
    display_ui,
    display_ui_list,
    group_by_message,
    is_ui_event,
    linked_message_id,
    safe_url,
    ui_from_values,
)


def ui(ui_id: str, props: dict[str, Any], /, *, merge: bool = False, name: str = "card",
       **metadata: Any) -> dict[str, Any]:
    """A UI message as `push_ui_message` writes it."""
    return {
        "type": "ui",
        "id": ui_id,
        "name": name,
        "props": props,
        "metadata": {"merge": merge, "run_id": None, "tags": None, "name": None, **metadata},
    }


def remove(id: str) -> dict[str, str]:
    return {"type": "remove-ui", "id": id}


def summary(messages: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(m["id"], m["props"]) for m in messages]


REDUCER_CASES = [
    ("add", [ui("a", {"x": 1})], [("a", {"x": 1})]),
    ("add two keeps order", [ui("a", {}), ui("b", {})], [("a", {}), ("b", {})]),
    ("same id without merge replaces props",
     [ui("a", {"x": 1, "y": 2}), ui("a", {"x": 3})], [("a", {"x": 3})]),
    ("merge is shallow, new keys win",
     [ui("a", {"x": 1, "nested": {"p": 1}}), ui("a", {"x": 2, "nested": {"q": 2}}, merge=True)],
     [("a", {"x": 2, "nested": {"q": 2}})]),
    ("merge keeps the position",
     [ui("a", {"n": 1}), ui("b", {}), ui("a", {"m": 2}, merge=True)],
     [("a", {"n": 1, "m": 2}), ("b", {})]),
    ("merge of an unknown id adds it", [ui("a", {"m": 1}, merge=True)], [("a", {"m": 1})]),
    ("remove", [ui("a", {}), ui("b", {}), remove("a")], [("b", {})]),
    ("remove unknown id is ignored", [ui("a", {}), remove("zzz")], [("a", {})]),
    ("push again after remove appends", [ui("a", {"v": 1}), ui("b", {}), remove("a"),
                                        ui("a", {"v": 2})], [("b", {}), ("a", {"v": 2})]),
    ("other custom events are ignored",
     [ui("a", {}), {"progress": 1}, {"type": "ui"}, {"type": "ui", "id": ""}, "text", None],
     [("a", {})]),
    ("missing props become empty", [{"type": "ui", "id": "a", "name": "n"}], [("a", {})]),
]


@pytest.mark.parametrize(("events", "expected"), [c[1:] for c in REDUCER_CASES],
                         ids=[c[0] for c in REDUCER_CASES])
def test_reducer(events: list[Any], expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert summary(apply_ui_events([], events)) == expected


@pytest.mark.parametrize(
    "events",
    [c[1] for c in REDUCER_CASES if c[0] not in ("remove unknown id is ignored",
                                                 "other custom events are ignored",
                                                 "missing props become empty")],
)
def test_reducer_agrees_with_langgraphs_own_event_by_event(events: list[Any]) -> None:
    """Live (our reducer) and reloaded (the server's `ui_message_reducer`) look alike."""
    server: list[Any] = []
    for event in events:
        server = ui_message_reducer(server, event)
    assert apply_ui_events([], events) == server


def test_reducer_does_not_change_its_input() -> None:
    before = [ui("a", {"x": 1})]
    frozen = json.dumps(before)
    after = apply_ui_event(before, ui("a", {"y": 2}, merge=True))
    assert json.dumps(before) == frozen
    assert after[0]["props"] == {"x": 1, "y": 2}


def test_merge_takes_the_new_metadata_like_the_server() -> None:
    first = ui("a", {"x": 1}, message_id="m1")
    later = ui("a", {"y": 2}, merge=True)  # pushed without `message=`: the link is lost
    merged = apply_ui_events([], [first, later])
    assert merged[0]["metadata"]["merge"] is True
    assert linked_message_id(merged[0]) is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ui("a", {}), True),
        (remove("a"), True),
        ({"type": "ui"}, False),
        ({"type": "remove-ui", "id": 3}, False),
        ({"progress": 1}, False),
        (["ui"], False),
    ],
)
def test_is_ui_event(data: Any, expected: bool) -> None:
    assert is_ui_event(data) is expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"messages": []}, None),
        ({"ui": []}, []),
        ({"ui": None}, []),
        ({"ui": [ui("a", {"x": 1}), ui("b", {})]}, [("a", {"x": 1}), ("b", {})]),
        ({"ui": ui("a", {})}, [("a", {})]),
        ({"ui": [ui("a", {}), remove("a"), ui("b", {})]}, [("b", {})]),
        ("not values", None),
    ],
)
def test_ui_from_values(values: Any, expected: Any) -> None:
    loaded = ui_from_values(values)
    assert (None if loaded is None else summary(loaded)) == expected


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"message_id": "m1"}, "m1"),
        ({"id": "js-msg"}, "js-msg"),  # JS servers
        ({"message_id": "m1", "id": "other"}, "m1"),
        ({"message_id": ""}, None),
        ({"message_id": 5}, None),
        ({}, None),
        (None, None),
    ],
)
def test_linked_message_id(metadata: Any, expected: str | None) -> None:
    assert linked_message_id({"type": "ui", "id": "u", "metadata": metadata}) == expected


def test_group_by_message_places_cards_after_their_message() -> None:
    cards = [
        ui("u1", {}, message_id="ai-2"),
        ui("u2", {}),  # unlinked
        ui("u3", {}, id="ai-1"),  # JS server link
        ui("u4", {}, message_id="ai-9"),  # its message is not shown (yet)
        ui("u5", {}, message_id="ai-2"),
    ]
    by_message, rest = group_by_message(["h-1", "ai-1", None, "ai-2"], cards)
    assert {k: [c["id"] for c in v] for k, v in by_message.items()} == {
        "ai-2": ["u1", "u5"],
        "ai-1": ["u3"],
    }
    assert [c["id"] for c in rest] == ["u2", "u4"]


def test_group_by_message_works_on_display_dicts() -> None:
    shown = display_ui_list([ui("u1", {}, message_id="m"), ui("u2", {})])
    by_message, rest = group_by_message(["m"], shown)
    assert [c["id"] for c in by_message["m"]] == ["u1"] and [c["id"] for c in rest] == ["u2"]


def test_custom_event_handler_folds_ui_events_into_values() -> None:
    values: dict[str, Any] = {"messages": [], "ui": [ui("a", {"x": 1})]}

    def mutate(update: Any) -> None:
        values.update(update(values) if callable(update) else update)

    handler = custom_event_handler()
    handler(ui("a", {"y": 2}, merge=True), [], mutate)
    handler({"progress": 3}, [], mutate)  # not a UI event: no change
    handler(ui("b", {}), ["child:1"], mutate)
    assert summary(values["ui"]) == [("a", {"x": 1, "y": 2}), ("b", {})]
    handler(remove("a"), [], mutate)
    assert summary(values["ui"]) == [("b", {})]
    fresh: dict[str, Any] = {"messages": []}
    custom_event_handler()(ui("c", {}), [], lambda u: fresh.update(u(fresh)))
    assert summary(fresh["ui"]) == [("c", {})]


# -- browser-safe props --------------------------------------------------------------------


def test_display_ui_shape() -> None:
    shown = display_ui(ui("u1", {"city": "Porto", "days": [1, 2]}, name="weather",
                          message_id="m1"))
    assert shown == {
        "id": "u1",
        "name": "weather",
        "props": {"city": "Porto", "days": [1, 2]},
        "message_id": "m1",
        "json": json.dumps({"city": "Porto", "days": [1, 2]}, indent=2),
        "truncated": False,
    }


class Opaque:
    def __repr__(self) -> str:
        return "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"n": float("nan"), "i": float("inf"), "ok": 1.5}, {"n": None, "i": None, "ok": 1.5}),
        ({"obj": Opaque(), "fn": print, "set": {1}}, {"obj": None, "fn": None, "set": None}),
        ({"t": (1, "a")}, {"t": [1, "a"]}),
        ({1: "int key"}, {"1": "int key"}),
        ({"onClick": "alert(1)", "on_load": "x", "dangerouslySetInnerHTML": {"__html": "<b>"},
          "online": True, "nested": {"onError": "x", "keep": 1}},
         {"online": True, "nested": {"keep": 1}}),
        ({"big": 2**60}, {"big": float(2**60)}),
        ({"html": "<img src=x onerror=alert(1)>"}, {"html": "<img src=x onerror=alert(1)>"}),
    ],
)
def test_props_are_json_data_only(props: dict[str, Any], expected: dict[str, Any]) -> None:
    shown = display_ui(ui("u", props))
    assert shown is not None
    assert shown["props"] == expected
    json.dumps(shown, allow_nan=False)  # what the browser gets is strict JSON


def test_sizes_are_capped_and_flagged() -> None:
    long = display_ui(ui("u", {"s": "x" * (MAX_STRING + 5)}))
    assert long is not None and len(long["props"]["s"]) == MAX_STRING and long["truncated"]
    many = display_ui(ui("u", {"items": list(range(MAX_ITEMS + 10))}))
    assert many is not None and len(many["props"]["items"]) == MAX_ITEMS and many["truncated"]
    huge = display_ui(ui("u", {f"k{i}": "y" * 5000 for i in range(100)}))
    assert huge is not None and huge["truncated"]
    assert len(json.dumps(huge["props"])) < MAX_PROPS_CHARS * 1.2
    deep: dict[str, Any] = {}
    cursor = deep
    for _ in range(50):
        cursor["d"] = {}
        cursor = cursor["d"]
    nested = display_ui(ui("u", deep))
    assert nested is not None and nested["truncated"]
    assert len(nested["json"]) < 2_000


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "remove-ui", "id": "a"},
        {"type": "ui", "id": "", "name": "x"},
        {"type": "ui", "id": "a"},
        {"type": "ui", "id": 7, "name": "x"},
        "not a dict",
    ],
)
def test_display_ui_skips_what_is_not_a_ui_message(bad: Any) -> None:
    assert display_ui(bad) is None
    assert display_ui_list([bad, ui("ok", {})])[0]["id"] == "ok"


def test_display_ui_with_props_not_a_dict() -> None:
    shown = display_ui({"type": "ui", "id": "a", "name": "x", "props": ["list"]})
    assert shown is not None and shown["props"] == {} and shown["json"] == "{}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a.png", "https://example.com/a.png"),
        ("  http://x.org ", "http://x.org"),
        ("mailto:a@b.c", "mailto:a@b.c"),
        ("data:image/png;base64,iVBORw0KGgo=", "data:image/png;base64,iVBORw0KGgo="),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html;base64,PHNjcmlwdD4=", ""),
        ("data:image/svg+xml;base64,PHN2Zz4=", ""),
        ("/relative/path", ""),
        ("//evil.example/x", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_safe_url(url: Any, expected: str) -> None:
    assert safe_url(url) == expected
