"""A thread's fetched history: reading it, the branch chosen in it and what that branch
shows (its head state, each message's first state and branch switcher)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.sdk.threads import ThreadsClient
from app.stream.branches import BranchTree, BranchView, MessageBranches, checkpoint_id
from app.stream.interrupts import as_dict

DEFAULT_HISTORY_LIMIT = 10
State = dict[str, Any]


def history_limit(setting: bool | int | None) -> int | None:
    """How many states to fetch for `fetch_state_history` (None: only the current one)."""
    if setting is False or setting is None:
        return None
    if setting is True:
        return DEFAULT_HISTORY_LIMIT
    return max(int(setting), 1)


async def read_states(threads: ThreadsClient, thread_id: str, limit: int | None,
                      still_wanted: Callable[[], bool]) -> list[State] | None:
    """The thread's states, newest first (only the current one when `limit` is None);
    None when `still_wanted()` turned false while waiting for the server."""
    if limit is None:
        states = [await threads.get_state(thread_id)]
    else:
        states = await threads.get_history(thread_id, limit=limit)
    if not still_wanted():
        return None
    history = [as_dict(state) for state in states]
    if limit is not None and history and history[0].get("next"):
        # History keeps a checkpoint's interrupts as they were when it was written;
        # after a partial resume only GET /state knows which are still pending.
        current = as_dict(await threads.get_state(thread_id))
        if not still_wanted():
            return None
        if checkpoint_id(current) == checkpoint_id(history[0]):
            history[0] = current
    return history


def _shows(state: Mapping[str, Any], message_id: str, messages_key: str) -> bool:
    values = state.get("values")
    items = values.get(messages_key) if isinstance(values, Mapping) else None
    return any(isinstance(m, Mapping) and m.get("id") == message_id for m in items or ())


async def walk_to_fork_point(threads: ThreadsClient, thread_id: str, head: Mapping[str, Any],
                             message_id: str, messages_key: str,
                             max_steps: int) -> dict[str, Any] | None:
    """The parent checkpoint of the oldest state showing `message_id`, found by walking
    parent checkpoints back from `head` on the server (None when not found)."""
    state = head
    if not _shows(state, message_id, messages_key):
        return None
    for _ in range(max_steps):
        parent_id = checkpoint_id(state, "parent_checkpoint")
        if parent_id is None:
            return None
        parent = as_dict(await threads.get_state(thread_id, checkpoint_id=parent_id))
        if not _shows(parent, message_id, messages_key):
            return dict(state["parent_checkpoint"])
        state = parent
    return None


class ThreadHistory:
    """The fetched states (newest first), the chosen branch and its view."""

    def __init__(self, messages_key: str) -> None:
        self.messages_key = messages_key
        self.states: list[State] = []
        self.chosen = ""  # the branch asked for ("" follows the newest child at forks)
        self.head: State | None = None  # the newest state of the shown branch
        self._tree: BranchTree | None = None
        self._view: BranchView | None = None
        self._msg_branches: MessageBranches | None = None

    def set_states(self, states: list[State], *, follow_newest: bool = False) -> None:
        """Take freshly fetched states (`follow_newest`: choose the newest one's branch)."""
        self.states = states
        self._tree = BranchTree(states) if states else None
        if follow_newest and self._tree is not None and states:
            newest = checkpoint_id(states[0])
            self.chosen = self._tree.branch_to(newest) if newest else ""

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
