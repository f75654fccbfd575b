"""Unit tests of the branch tree, branch strings and per-message branch metadata."""

from __future__ import annotations

from app.stream.branches import BranchTree, MessageBranches, next_branch


def st(cid, parent, messages):
    return {
        "checkpoint": {"checkpoint_id": cid},
        "parent_checkpoint": {"checkpoint_id": parent} if parent else None,
        "values": {"messages": [{"id": m} for m in messages]},
        "next": [],
    }


def regenerate_history():
    """c0 -> c1(h) -> c2(h, a1); regenerate from c1: c1 -> f -> c3(h, a2). Newest first."""
    return [
        st("c4", "c3f", ["h", "a2"]),
        st("c3f", "c1", ["h"]),
        st("c2", "c1", ["h", "a1"]),
        st("c1", "c0", ["h"]),
        st("c0", None, []),
    ]


def test_linear_history_has_no_branch():
    tree = BranchTree([st("c2", "c1", ["h", "a"]), st("c1", "c0", ["h"]), st("c0", None, [])])
    view = tree.view("")
    assert [s["checkpoint"]["checkpoint_id"] for s in view.history] == ["c0", "c1", "c2"]
    assert view.branch == "" and view.head["checkpoint"]["checkpoint_id"] == "c2"


def test_fork_defaults_to_newest_child_and_switches():
    tree = BranchTree(regenerate_history())
    newest = tree.view("")
    assert newest.branch == "c3f"
    assert newest.head["checkpoint"]["checkpoint_id"] == "c4"
    old = tree.view("c2")
    assert old.branch == "c2" and old.head["values"]["messages"][-1]["id"] == "a1"
    assert tree.view("unknown").branch == "c3f"


def test_message_branches_regenerate_gives_two_options_on_ai_message():
    tree = BranchTree(regenerate_history())
    view = tree.view("")
    meta = MessageBranches.build(view)
    assert meta.first_seen == {"h": "c1", "a2": "c4"}
    place = meta.switcher["a2"]
    assert place.branch == "c3f" and place.options == ("c2", "c3f")
    assert "h" not in meta.switcher
    assert next_branch(place.options, place.branch, -1) == "c2"
    assert next_branch(place.options, place.branch, 1) is None
    other = MessageBranches.build(tree.view("c2"))
    assert other.switcher["a1"].options == ("c2", "c3f")


def test_nested_forks_branch_string():
    history = [
        st("d2", "c2", ["h", "a1", "h2b"]),
        st("d1", "c2", ["h", "a1", "h2"]),
        st("c3f", "c1", ["h"]),
        st("c2", "c1", ["h", "a1"]),
        st("c1", "c0", ["h"]),
        st("c0", None, []),
    ]
    tree = BranchTree(history)
    view = tree.view("c2>d1")
    assert view.branch == "c2>d1"
    assert view.head["checkpoint"]["checkpoint_id"] == "d1"
    assert view.info["d1"].options == ("c2>d1", "c2>d2")
    assert tree.view("c2").branch == "c2>d2"


def test_partial_history_picks_root_with_newest_subtree():
    history = [st("c5", "c4", ["h", "a"]), st("c4", "c3", ["h"])]
    tree = BranchTree(history)
    view = tree.view()
    assert [s["checkpoint"]["checkpoint_id"] for s in view.history] == ["c4", "c5"]


def test_single_state_history():
    tree = BranchTree([st("c9", "c8", ["h"])])
    assert tree.view().head["checkpoint"]["checkpoint_id"] == "c9"


def test_branch_tree_json():
    tree = BranchTree(regenerate_history()).as_json()
    assert tree["items"][0] == {"type": "node", "checkpoint_id": "c0"}
    fork = tree["items"][2]
    assert fork["type"] == "fork" and len(fork["items"]) == 2


def test_partial_history_leaves_first_seen_unknown_for_old_messages():
    history = [st("c5", "c4", ["h", "a", "h2", "a2"]), st("c4", "c3", ["h", "a", "h2"])]
    tree = BranchTree(history)
    assert tree.partial
    meta = MessageBranches.build(tree.view(), partial=tree.partial)
    assert meta.first_seen == {"a2": "c5"}
