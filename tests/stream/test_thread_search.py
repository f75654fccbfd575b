"""Thread search: folding, matching and ranking (pure), speed on many rows, and rows
fetched from a real server with and without values."""

from __future__ import annotations

import time
import uuid

import pytest

from app.sdk import AgentClient
from app.stream.thread_search import (
    ThreadSearch,
    fetch_rows,
    first_message_text,
    first_message_update,
    fold,
    search_row,
)

ROWS = [
    {"id": "1", "title": "Trip to Zürich", "first_message": "Plan a weekend"},
    {"id": "2", "title": "", "first_message": "Where is the best café in Lisboa?"},
    {"id": "3", "title": "Groceries", "first_message": "zurich train times"},
    {"id": "4", "title": "Straße names", "first_message": "How are German streets named?"},
    {"id": "5", "title": "Café list", "first_message": "more coffee"},
]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Café", "cafe"), ("ZÜRICH", "zurich"), ("Straße", "strasse"), ("  a\n\tb  ", "a b"),
     ("Ｆｕｌｌ", "full"), ("naïve résumé", "naive resume")],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("", ["1", "2", "3", "4", "5"]),
        ("zurich", ["1", "3"]),  # title match first, then first-message match
        ("ZÜRICH", ["1", "3"]),
        ("cafe", ["5", "2"]),
        ("café lisboa", ["2"]),  # every word must occur
        ("cafe  more", ["5"]),  # words may be split between title and first message
        ("strasse", ["4"]),
        ("STRASSE", ["4"]),
        ("nothing like this", []),
    ],
)
def test_search(query: str, ids: list[str]) -> None:
    assert [row["id"] for row in ThreadSearch(ROWS).search(query)] == ids


def test_search_limit() -> None:
    assert [r["id"] for r in ThreadSearch(ROWS).search("", limit=2)] == ["1", "2"]
    assert [r["id"] for r in ThreadSearch(ROWS).search("zurich", limit=1)] == ["1"]


def test_fast_on_thousands_of_threads() -> None:
    rows = [
        {"id": str(i), "title": f"Thread número {i}" if i % 3 else "",
         "first_message": f"Question about topic {i} with some longer text to scan " * 3}
        for i in range(5000)
    ]
    started = time.perf_counter()
    index = ThreadSearch(rows)
    built = time.perf_counter() - started
    started = time.perf_counter()
    for query in ("numero 4999", "topic", "zzz", "longer text 12"):
        index.search(query)
    per_query = (time.perf_counter() - started) / 4
    assert [r["id"] for r in index.search("numero 4999")] == ["4999"]
    # Generous bounds for a shared CI machine; typically ~50 ms to build, ~4 ms a query.
    assert built < 1.0 and per_query < 0.2


def test_rows_from_threads() -> None:
    values = {"messages": [
        {"type": "system", "content": "be nice"},
        {"type": "human", "content": [{"type": "text", "text": "Hello"},
                                      {"type": "image", "base64": "xx"},
                                      {"type": "text", "text": "there\n\nfriend"}]},
        {"type": "human", "content": "second"},
    ]}
    assert first_message_text(values) == "Hello there friend"
    assert first_message_text({"messages": []}) == "" and first_message_text(None) == ""
    assert first_message_update("  a\n b " + "x" * 500) == {"first_message": "a b " + "x" * 296}
    row = search_row({"thread_id": "t", "metadata": {"title": " Mine "}, "values": values,
                      "updated_at": "2026-01-01", "status": "idle"})
    assert row == {"id": "t", "title": "Mine", "first_message": "Hello there friend",
                   "updated_at": "2026-01-01", "status": "idle"}
    kept = search_row({"thread_id": "t", "metadata": {"first_message": "kept"},
                       "values": values})
    assert kept["first_message"] == "kept" and kept["title"] == ""


async def test_rows_fetched_from_the_server(api_url: str) -> None:
    tag = {"search_test": str(uuid.uuid4())}
    async with AgentClient(api_url) as client:
        made = []
        for i, text in enumerate(["Weather in Zürich", "Recipe for pão de queijo",
                                  "Zurich airport"]):
            thread = await client.threads.create(metadata={**tag, "graph_id": "chat"})
            await client.threads.update_state(
                thread.thread_id,
                {"messages": [{"type": "human", "content": text},
                              {"type": "ai", "content": "answer " * 50}]},
                as_node="model",
            )
            if i != 1:  # as the chat would write it when sending the first message
                await client.threads.update(thread.thread_id, metadata=first_message_update(text))
            made.append(thread.thread_id)
        await client.threads.update(made[2], metadata={"title": "Flights"})

        rows = await fetch_rows(client.threads, metadata=tag)
        assert [r["id"] for r in rows] == made[::-1]  # newest first
        by_id = {r["id"]: r for r in rows}
        assert by_id[made[1]]["first_message"] == ""  # not in metadata, values not fetched
        assert ThreadSearch(rows).search("zurich") == [by_id[made[2]], by_id[made[0]]]

        full = await fetch_rows(client.threads, metadata=tag, with_values=True)
        assert {r["id"]: r["first_message"] for r in full}[made[1]] == "Recipe for pão de queijo"
        assert [r["id"] for r in ThreadSearch(full).search("PAO DE QUEIJO")] == [made[1]]
        paged = await fetch_rows(client.threads, metadata=tag, max_rows=2)
        assert [r["id"] for r in paged] == made[::-1][:2]
