"""A thread's fetched history: reading it, the branch chosen in it and what that branch
shows (its head state, each message's first state and branch switcher).

History is fetched in pages, newest first. The fetched states always form one unbroken
run from the newest checkpoint down to the oldest fetched one: checkpoint ids grow with
time, and a checkpoint's children are newer than it, so every fetched checkpoint has all
its children (forks) fetched too. Older pages are added on demand
(`before=<oldest fetched>`) and kept; after a run only the newest page is read again.
The reading itself is `history_loader`'s; this module holds what was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.stream.branches import BranchTree, BranchView, MessageBranches, checkpoint_id

DEFAULT_HISTORY_LIMIT = 10
OLDER_PAGE_SIZE = 50  # states per page when reading further back
State = dict[str, Any]


def history_limit(setting: bool | int | None) -> int | None:
    """How many states to fetch for `fetch_state_history` (None: only the current one)."""
    if setting is False or setting is None:
        return None
    if setting is True:
        return DEFAULT_HISTORY_LIMIT
    return max(int(setting), 1)


def join_newer(newer: list[State], older: list[State], *,
               reached_start: bool) -> list[State] | None:
    """A freshly read newest page (newest first) on top of states read before.

    The fresh states replace every kept one at or after the page's oldest checkpoint
    (those may have changed: pending writes, rolled-back runs); older kept states stay.
    None when a gap may lie between the two (the page ends after the newest kept one).
    `reached_start`: the page holds the thread's first checkpoint.
    """
    if reached_start or not older or not newer:
        return list(newer)
    cut = checkpoint_id(newer[-1])
    newest_kept = checkpoint_id(older[0])
    if cut is None or newest_kept is None:
        return list(newer)
    if cut > newest_kept:
        return None
    return [*newer, *(s for s in older if (checkpoint_id(s) or "") < cut)]


class ThreadHistory:
    """The fetched states (newest first, one unbroken run), the chosen branch and its view."""

    def __init__(self, messages_key: str) -> None:
        self.messages_key = messages_key
        self.states: list[State] = []
        self.chosen = ""  # the branch asked for ("" follows the newest child at forks)
        self.head: State | None = None  # the newest state of the shown branch
        self.exhausted = False  # a page came back short: nothing older exists
        self._tree: BranchTree | None = None
        self._view: BranchView | None = None
        self._msg_branches: MessageBranches | None = None

    def set_states(self, states: list[State], *, follow_newest: bool = False,
                   reached_start: bool = False) -> None:
        """Take freshly fetched states (`follow_newest`: choose the newest one's branch;
        `reached_start`: they go back to the thread's first checkpoint)."""
        same_oldest = bool(self.states) and bool(states) and (
            checkpoint_id(states[-1]) == self.oldest_id)
        self.exhausted = reached_start or (same_oldest and self.exhausted)
        self.states = states
        self._tree = BranchTree(states) if states else None
        if follow_newest and self._tree is not None and states:
            newest = checkpoint_id(states[0])
            self.chosen = self._tree.branch_to(newest) if newest else ""

    def add_older(self, page: list[State], *, reached_start: bool) -> int:
        """Append a page read with `before=<oldest fetched>`; returns how many states it
        added. The shown branch stays the same: when older forks come to light its
        branch string is spelled out in full (a branch not yet found is kept as asked)."""
        oldest = self.oldest_id or ""
        added = [s for s in page if (checkpoint_id(s) or "") < oldest] if oldest else page
        self.exhausted = self.exhausted or reached_start
        if not added:
            return 0
        pin = checkpoint_id(self.head) if self.resolves(self.chosen) else None
        self.states = [*self.states, *added]
        self._tree = BranchTree(self.states)
        if pin and pin in self._tree.states:
            self.chosen = self._tree.branch_to(pin)
        return len(added)

    @property
    def oldest_id(self) -> str | None:
        return checkpoint_id(self.states[-1]) if self.states else None

    @property
    def complete(self) -> bool:
        """True when nothing older than the fetched states exists."""
        return self.exhausted or (self._tree is not None and not self._tree.partial)

    def resolves(self, branch: str) -> bool:
        """True when the fetched states show `branch` itself (not a fallback)."""
        if not branch:
            return True
        return self._tree is not None and self._tree.view(branch).branch == branch

    def missing(self, message_ids: Iterable[str]) -> list[str]:
        """The given ids, shown at the head, whose first state is older than the fetched
        states (so their branch switcher is not known yet)."""
        if self.complete or self._msg_branches is None or self.head is None:
            return []
        values = self.head.get("values")
        items = values.get(self.messages_key) if isinstance(values, Mapping) else None
        at_head = {m.get("id") for m in items or () if isinstance(m, Mapping)}
        known = self._msg_branches.first_seen
        return [mid for mid in message_ids if mid in at_head and mid not in known]

    def show(self) -> State | None:
        """Build the view of the chosen branch; returns its head state."""
        if self._tree is None:
            self._view = None
            self._msg_branches = None
            self.head = None
            return None
        self._view = self._tree.view(self.chosen)
        self._msg_branches = MessageBranches.build(self._view, self.messages_key,
                                                   partial=self._tree.partial)
        self.head = dict(self._view.head) if self._view.head else None
        return self.head

    @property
    def branch(self) -> str:
        return self._view.branch if self._view is not None else self.chosen

    @property
    def shown_states(self) -> list[State]:
        """The states of the shown branch, oldest first."""
        return list(self._view.history) if self._view is not None else []

    def tree_json(self) -> dict[str, Any]:
        return self._tree.as_json() if self._tree is not None else {"type": "sequence",
                                                                    "items": []}

    def place_of(self, message_id: str) -> tuple[State | None, str | None, list[str] | None]:
        """A message's first state, its branch and the branches it can switch to."""
        if self._msg_branches is None or self._view is None or not self._tree:
            return None, None, None
        first_seen = None
        seen_at = self._msg_branches.first_seen.get(message_id)
        if seen_at:
            first_seen = self._tree.states.get(seen_at)
        place = self._msg_branches.switcher.get(message_id)
        if place is None:
            return first_seen, None, None
        return first_seen, place.branch, list(place.options)
