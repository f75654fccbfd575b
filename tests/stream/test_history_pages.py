"""Unit tests of paged history: joining a fresh newest page onto kept older pages, adding
older pages, keeping the shown branch, and which messages still lack their first state."""

from __future__ import annotations

from app.stream.branches import checkpoint_id
from app.stream.history import ThreadHistory, join_newer


def st(cid, parent, messages, **extra):
    return {
        "checkpoint": {"checkpoint_id": cid},
        "parent_checkpoint": {"checkpoint_id": parent} if parent else None,
        "values": {"messages": [{"id": m} for m in messages]},
        "next": [],
        **extra,
    }


def edited_thread():
    """c0 -> c1(h) -> c2(h,a) -> c3(h,a,h2) -> c4(h,a,h2,a2); an edit of `h` from c0:
    c0 -> c5(e) -> c6(e,b) -> c7(e,b,h3) -> c8(e,b,h3,a3). Newest first."""
    return [
        st("c8", "c7", ["e", "b", "h3", "a3"]),
        st("c7", "c6", ["e", "b", "h3"]),
        st("c6", "c5", ["e", "b"]),
        st("c5", "c0", ["e"]),
        st("c4", "c3", ["h", "a", "h2", "a2"]),
        st("c3", "c2", ["h", "a", "h2"]),
        st("c2", "c1", ["h", "a"]),
        st("c1", "c0", ["h"]),
        st("c0", None, []),
    ]


def ids(states):
    return [checkpoint_id(s) for s in states]


def test_join_newer_replaces_the_overlap_and_keeps_older_states():
    older = edited_thread()[2:]  # c6 .. c0, as read before the last run
    fresh = [st("c8", "c7", ["e", "b", "h3", "a3"]), st("c7", "c6", ["e", "b", "h3"]),
             st("c6", "c5", ["e", "b"], next=["changed"])]
    joined = join_newer(fresh, older, reached_start=False)
    assert ids(joined) == ["c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1", "c0"]
    assert joined[2]["next"] == ["changed"]  # the fresh copy of an overlapping state wins


def test_join_newer_reports_a_gap_and_drops_states_newer_than_the_page():
    older = edited_thread()[4:]  # c4 .. c0
    assert join_newer(edited_thread()[:2], older, reached_start=False) is None  # c7 > c4
    # A kept state newer than the fresh page's oldest (a rolled-back run) is dropped.
    stale = [st("c9", "c4", ["gone"]), *older]
    joined = join_newer(edited_thread()[:8], stale, reached_start=False)
    assert "c9" not in ids(joined) and ids(joined)[-1] == "c0"
    assert join_newer(edited_thread()[:3], older, reached_start=True) == edited_thread()[:3]


def loaded(states, chosen=""):
    history = ThreadHistory("messages")
    history.chosen = chosen
    history.set_states(states)
    history.show()
    return history


def test_first_page_does_not_know_the_old_fork():
    history = loaded(edited_thread()[:3])  # c8, c7, c6
    assert not history.complete
    assert history.place_of("e") == (None, None, None)  # in the oldest fetched state
    assert history.missing(["e", "b", "h3", "a3", "not-shown"]) == ["e", "b"]
    assert not history.resolves("c1")


def test_older_pages_bring_the_switcher_and_keep_the_shown_branch():
    history = loaded(edited_thread()[:3])
    assert history.add_older(edited_thread()[3:6], reached_start=False) == 3  # c5 c4 c3
    history.show()
    assert ids(history.states)[-1] == "c3"
    assert history.place_of("e")[1:] == (None, None)  # c0 (the fork) not read yet
    assert history.add_older(edited_thread(), reached_start=False) == 3  # only c2 c1 c0
    assert history.chosen == "c5"  # the shown branch, now spelled out
    history.show()
    assert history.complete and history.missing(["e", "b"]) == []
    first, branch, options = history.place_of("e")
    assert checkpoint_id(first) == "c5" and branch == "c5" and options == ["c1", "c5"]
    assert checkpoint_id(history.head) == "c8"
    assert history.resolves("c1")


def test_an_unknown_branch_is_kept_until_older_pages_show_it():
    history = loaded(edited_thread()[:4], chosen="c1")  # c8 .. c5: c1 unknown
    assert checkpoint_id(history.head) == "c8" and not history.resolves("c1")
    history.add_older(edited_thread()[4:], reached_start=True)
    assert history.chosen == "c1"
    history.show()
    assert checkpoint_id(history.head) == "c4" and history.branch == "c1"


def test_a_short_page_means_nothing_older_exists():
    history = loaded([st("x2", "x1", ["m"])])  # the parent is not in history (odd server)
    assert not history.complete
    assert history.add_older([], reached_start=True) == 0
    assert history.complete and history.missing(["m"]) == []
    history.set_states([st("x3", "x2", ["m", "n"]), st("x2", "x1", ["m"])])
    assert history.complete  # same oldest state: still nothing older
