"""Branch switchers and branch URLs, from a real checkpoint tree shape."""

from __future__ import annotations

from app.states.branch_view import (
    branch_from_url,
    switcher,
    switchers,
    thread_url,
)
from app.stream.branches import BranchTree, MessageBranches


def _state(own: str, parent: str | None, messages: list[str]) -> dict:
    return {
        "values": {"messages": [{"id": m, "type": "human" if m.startswith("h") else "ai"}
                                for m in messages]},
        "checkpoint": {"checkpoint_id": own},
        "parent_checkpoint": {"checkpoint_id": parent} if parent else None,
    }


class TreeSource:
    """`get_messages_metadata` over a BranchTree, the way ThreadStream answers it."""

    def __init__(self, history: list[dict], branch: str = "") -> None:
        self.tree = BranchTree(history)
        self.view = self.tree.view(branch)
        self.places = MessageBranches.build(self.view)

    def get_messages_metadata(self, message):
        message_id = message["id"]
        seen = self.places.first_seen.get(message_id)
        if seen is None:
            return None
        place = self.places.switcher.get(message_id)
        state = self.tree.states[seen]
        return {
            "message_id": message_id,
            "branch": place.branch if place else None,
            "branch_options": list(place.options) if place else None,
            "parent_checkpoint": state.get("parent_checkpoint"),
        }


# 1 (empty) -> 2 (h1) -> 3 (h1, a1)      original
#           -> 4 (h1b) -> 5 (h1b, a1b)   the human message was edited
HISTORY = [
    _state("5", "4", ["h1b", "a1b"]),
    _state("4", "1", ["h1b"]),
    _state("3", "2", ["h1", "a1"]),
    _state("2", "1", ["h1"]),
    _state("1", None, []),
]


def test_switcher_counts_and_neighbours():
    assert switcher({"branch": "b", "branch_options": ["a", "b", "c"]}) == {
        "index": 2, "total": 3, "prev": "a", "next": "c"}
    assert switcher({"branch": "a", "branch_options": ["a"]}) is None
    assert switcher({"branch": "z", "branch_options": ["a", "b"]}) is None
    assert switcher(None) is None


def test_edited_message_shows_two_of_two_and_switching_back_shows_the_original():
    newest = TreeSource(HISTORY)
    assert switchers(newest, ["h1b", "a1b"]) == {
        "h1b": {"index": 2, "total": 2, "prev": "2", "next": ""}}
    original = TreeSource(HISTORY, branch="2")
    assert [m["id"] for m in original.view.head["values"]["messages"]] == ["h1", "a1"]
    assert switchers(original, ["h1", "a1"]) == {
        "h1": {"index": 1, "total": 2, "prev": "", "next": "4"}}


def test_branch_round_trips_through_the_url():
    url = thread_url("t-1", "1f0>1f1")
    assert url == "/threads/t-1?branch=1f0%3E1f1"
    assert branch_from_url("http://x" + url) == "1f0>1f1"
    assert thread_url("t-1") == "/threads/t-1"
    assert branch_from_url("http://x/threads/t-1") == ""
    assert branch_from_url(None) == ""
