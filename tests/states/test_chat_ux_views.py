"""What the chat features send to the browser, without a browser: generative UI cards
(registry, grouping, safe URLs, only what changed), attachment cards (small thumbnails,
never the files), the feedback URLs kept per answer, and thread search rows read from a
real server (first messages from metadata, or from values when missing)."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

import reflex as rx

from app.sdk import AgentClient
from app.states.attachment_cards import attachment_cards, thumbnail
from app.states.feedback import LINK_SECONDS, MAX_LINKS, FeedbackLinks
from app.states.genui import UIComponent, UIPublisher, register, registry, with_ui_events
from app.states.message_view import to_view
from app.states.thread import ThreadStateBase
from app.states.thread_search import read_rows, result_row
from app.stream.attachments import Attachment, message_content
from app.stream.thread_search import ThreadSearch, first_message_update
from tests.samples import image_bytes, pdf_bytes


class GenUIChat(ThreadStateBase, rx.State):
    """A developer's chat state with its own components."""


@GenUIChat.ui_component("map", urls=("image", "link"))
def map_card(props: Any) -> Any:
    return props


def ui(ui_id: str, name: str, props: dict[str, Any], message_id: str | None = None) -> dict:
    metadata = {"message_id": message_id} if message_id else {}
    return {"type": "ui", "id": ui_id, "name": name, "props": props, "metadata": metadata}


def test_components_are_registered_per_chat_state() -> None:
    assert set(registry(GenUIChat)) == {"map"}
    assert registry(GenUIChat)["map"] == UIComponent(map_card, ("image", "link"))
    assert "map" not in registry(ThreadStateBase)  # the mixin itself is untouched

    class Other(ThreadStateBase, rx.State):
        ui_components: ClassVar[dict[str, Any]] = {"plain": lambda props: props}  # a mapping

    register(Other, "chart", map_card)
    assert set(registry(Other)) == {"plain", "chart"}
    assert registry(Other)["plain"].urls == ()


def test_cards_are_grouped_after_their_message_and_sent_when_changed() -> None:
    publisher = UIPublisher.for_components(registry(GenUIChat))
    values = [ui("u1", "map", {"image": "javascript:alert(1)", "link": "https://ok.example",
                               "onClick": "x", "title": "<b>T</b>"}, "ai-1"),
              ui("u2", "mystery", {"n": 1}, "ai-9"),
              ui("u3", "map", {"image": "data:image/png;base64,AAAA"})]
    first = publisher.frame(values, ["h-1", "ai-1"])
    card = first["by_message"]["ai-1"][0]
    assert card["props"] == {"image": "", "link": "https://ok.example", "title": "<b>T</b>"}
    assert card["truncated"] is True and "json" not in card  # registered: no JSON copy
    rest = first["rest"]
    assert [c["id"] for c in rest] == ["u2", "u3"]  # unlinked, or its message not shown
    assert rest[0]["json"] == '{\n  "n": 1\n}'  # unknown name: the neutral card's JSON
    assert rest[1]["props"]["image"] == "data:image/png;base64,AAAA"

    assert publisher.frame(values, ["h-1", "ai-1"]) == {}  # the same list: nothing
    assert publisher.frame(list(values), ["h-1", "ai-1"]) == {}  # equal cards: nothing
    moved = publisher.frame(values, ["h-1", "ai-1", "ai-9"])  # its message is shown now
    assert set(moved) == {"by_message", "rest"}
    assert [c["id"] for c in moved["by_message"]["ai-9"]] == ["u2"]
    assert publisher.frame(None, []) == {"by_message": {}, "rest": []}  # another thread


def test_ui_events_reach_the_values_and_a_developers_callback() -> None:
    calls: list[Any] = []
    options = with_ui_events({"on_custom_event": lambda *args: calls.append(args),
                              "on_finish": print})
    values: dict[str, Any] = {}

    def mutate(update: Any) -> None:
        values.update(update(values))

    options["on_custom_event"](ui("u1", "map", {"a": 1}), [], mutate)
    options["on_custom_event"]({"type": "progress", "n": 1}, [], mutate)
    assert [m["id"] for m in values["ui"]] == ["u1"] and len(calls) == 2
    assert options["on_finish"] is print
    assert set(with_ui_events({})) == {"on_custom_event"}


def test_attachment_cards_carry_thumbnails_not_files() -> None:
    photo = image_bytes("png", 1200, 900)
    files = [Attachment("photo.png", "image/png", photo),
             Attachment("report.pdf", "application/pdf", pdf_bytes())]
    message = {"type": "human", "id": "m1", "content": message_content("Look", files)}
    text, cards = attachment_cards(message)
    assert text == "Look"
    assert [(c["index"], c["kind"], c["name"], c["mime_type"]) for c in cards] == [
        (0, "image", "photo.png", "image/png"), (1, "file", "report.pdf", "application/pdf")]
    thumb = cards[0]["thumb"]
    assert thumb.startswith("data:image/webp;base64,") and len(thumb) < 4000
    assert len(photo) > 4 * len(thumb) and cards[1]["thumb"] == ""
    assert attachment_cards(message)[1] is cards  # computed once per message
    (view,) = to_view([message])
    assert view["text"] == "Look" and view["attachments"] == cards
    assert "attachments" not in to_view([{"type": "human", "id": "m2", "content": "hi"}])[0]
    assert thumbnail(base64.b64encode(b"not an image").decode()) == ""


def test_feedback_links_are_kept_per_answer_and_expire() -> None:
    now = [0.0]
    kept = FeedbackLinks(clock=lambda: now[0])
    kept.remember(["a1", "a2"], "run-1", {"user_score": "https://ls/x"})
    assert kept.get("a2") == ("run-1", {"user_score": "https://ls/x"})
    assert kept.get("h1") == ("", {})
    now[0] = LINK_SECONDS + 1
    assert kept.get("a1") == ("", {})
    for index in range(MAX_LINKS + 5):
        kept.remember([f"m{index}"], "r", {"k": "https://ls/y"})
    assert kept.get("m0") == ("", {}) and kept.get(f"m{MAX_LINKS + 4}")[0] == "r"


async def test_search_rows_from_metadata_or_values(api_url: str) -> None:
    async with AgentClient(api_url) as client:
        assistant = (await client.transport.request_json(  # its own threads only
            "POST", "/assistants", json_body={"graph_id": "chat"}))["assistant_id"]
        kept = await client.threads.create(metadata={
            "title": "Lisbon trams", **first_message_update("Tell me   more")})
        bare = await client.threads.create()  # as another client makes one: no first message
        for thread, text in ((kept, "Tell me more"), (bare, "Café in Porto")):
            await client.runs.wait(thread.thread_id, assistant, input={"messages": [
                {"type": "human", "content": [{"type": "text", "text": text}]}]},
                config={"configurable": {"token_delay": 0}})
        rows = await read_rows(client, assistant)
    by_id = {row["id"]: row for row in rows}
    assert by_id[kept.thread_id]["first_message"] == "Tell me more"
    assert by_id[bare.thread_id]["first_message"] == "Café in Porto"  # read from values
    found = ThreadSearch(rows).search("cafe")
    assert [row["id"] for row in found] == [bare.thread_id]
    assert result_row(by_id[kept.thread_id]) == {
        "id": kept.thread_id, "href": f"/threads/{kept.thread_id}", "title": "Lisbon trams",
        "snippet": "Tell me more", "status": "idle"}
    assert result_row(by_id[bare.thread_id])["title"] == "Café in Porto"
