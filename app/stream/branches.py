"""Branches of a thread: the checkpoint tree from history, branch strings and per-message
metadata (which checkpoint first showed a message, which branches it can switch to).

History states are dicts (`values`, `checkpoint`, `parent_checkpoint`, ...), newest first
as `POST /threads/{id}/history` returns them. A branch string joins the checkpoint ids
chosen at each fork with `>`; at a fork not named by the string the newest child wins.
Everything here runs once per history fetch or branch change, never per token.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ROOT = "$"
SEPARATOR = ">"
State = Mapping[str, Any]


def checkpoint_id(state: State | None, key: str = "checkpoint") -> str | None:
    """The checkpoint id of `state[key]` (`checkpoint` or `parent_checkpoint`)."""
    if not state:
        return None
    point = state.get(key)
    if isinstance(point, Mapping):
        value = point.get("checkpoint_id")
        return str(value) if value else None
    return None


@dataclass(frozen=True)
class BranchInfo:
    """Where a checkpoint sits: its branch string and the sibling branches at the last
    fork on its path (empty when no fork precedes it)."""

    branch: str
    options: tuple[str, ...]


@dataclass
class BranchView:
    """One branch of the tree: its states oldest first, and each checkpoint's place."""

    branch: str
    history: list[State]
    info: dict[str, BranchInfo] = field(default_factory=dict)

    @property
    def head(self) -> State | None:
        return self.history[-1] if self.history else None


class BranchTree:
    """The checkpoint tree of a thread's history (built once per fetch)."""

    def __init__(self, history: Iterable[State]) -> None:
        self.states: dict[str, State] = {}
        self.children: dict[str, list[str]] = {}
        self.parent_of: dict[str, str] = {}
        newest_first: list[State] = list(history)
        for state in reversed(newest_first):  # oldest first, so children are oldest first
            own = checkpoint_id(state)
            if own is None:
                continue
            self.states[own] = state
            parent = checkpoint_id(state, "parent_checkpoint") or ROOT
            self.children.setdefault(parent, []).append(own)
            self.parent_of[own] = parent
        self.root = self._find_root()

    @property
    def partial(self) -> bool:
        """True when the thread's first checkpoint is not in this history."""
        return self.root != ROOT

    def _find_root(self) -> str:
        if ROOT in self.children or not self.children:
            return ROOT
        # Partial history: the orphan parent whose subtree holds the newest checkpoint id.
        best: tuple[str, str] | None = None
        for parent in self.children:
            if parent in self.states:
                continue
            newest = max(self._subtree(parent), default=parent)
            if best is None or newest > best[0]:
                best = (newest, parent)
        return best[1] if best else ROOT

    def _subtree(self, start: str) -> Iterable[str]:
        stack = list(self.children.get(start, ()))
        seen: set[str] = set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            yield node
            stack.extend(self.children.get(node, ()))

    def __len__(self) -> int:
        return len(self.states)

    def view(self, branch: str = "") -> BranchView:
        """Walk from the root following `branch` at forks (newest child otherwise)."""
        wanted = [part for part in branch.split(SEPARATOR) if part] if branch else []
        path: list[str] = []
        options: tuple[str, ...] = ()
        history: list[State] = []
        info: dict[str, BranchInfo] = {}
        current = self.root
        seen: set[str] = set()
        while True:
            kids = self.children.get(current)
            if not kids or current in seen:
                break
            seen.add(current)
            if len(kids) == 1:
                chosen = kids[0]
            else:
                target = wanted.pop(0) if wanted else None
                chosen = target if target in kids else kids[-1]
                prefix = SEPARATOR.join(path)
                options = tuple(f"{prefix}{SEPARATOR}{kid}" if prefix else kid for kid in kids)
                path = [*path, chosen]
            history.append(self.states[chosen])
            info[chosen] = BranchInfo(SEPARATOR.join(path), options)
            current = chosen
        return BranchView(SEPARATOR.join(path), history, info)

    def branch_to(self, target: str) -> str:
        """The branch string whose path reaches checkpoint `target` ("" if unknown)."""
        path: list[str] = []
        node = target
        seen: set[str] = set()
        while node in self.parent_of and node not in seen:
            seen.add(node)
            parent = self.parent_of[node]
            if len(self.children.get(parent, ())) > 1:
                path.append(node)
            if parent == self.root:
                break
            node = parent
        return SEPARATOR.join(reversed(path))

    def as_json(self) -> dict[str, Any]:
        """The tree as nested sequences and forks of checkpoint ids (`branch_tree`)."""

        def sequence(start: str) -> dict[str, Any]:
            items: list[Any] = []
            current = start
            guard: set[str] = set()
            while current not in guard:
                guard.add(current)
                kids = self.children.get(current) or []
                if not kids:
                    break
                if len(kids) == 1:
                    items.append({"type": "node", "checkpoint_id": kids[0]})
                    current = kids[0]
                    continue
                forks = []
                for kid in kids:
                    branch = sequence(kid)
                    branch["items"].insert(0, {"type": "node", "checkpoint_id": kid})
                    forks.append(branch)
                items.append({"type": "fork", "items": forks})
                break
            return {"type": "sequence", "items": items}

        return sequence(self.root)


def _message_ids_newest_first(values: Any, messages_key: str) -> Iterable[str]:
    if not isinstance(values, Mapping):
        return ()
    messages = values.get(messages_key)
    if not isinstance(messages, Sequence):
        return ()
    return (m.get("id") for m in reversed(messages) if isinstance(m, Mapping) and m.get("id"))


@dataclass
class MessageBranches:
    """Per message id: the oldest checkpoint of the branch that shows it, and the branch
    switcher to draw under it (only under the first message of each option set)."""

    first_seen: dict[str, str]
    switcher: dict[str, BranchInfo]

    @classmethod
    def build(cls, view: BranchView, messages_key: str = "messages", *,
              partial: bool = False) -> MessageBranches:
        """`partial`: the history does not reach the thread's first checkpoint, so a
        message already in the oldest fetched state may have appeared earlier: its first
        state is left unknown (rather than guessed wrong)."""
        first_seen: dict[str, str] = {}
        for position, state in enumerate(view.history):
            own = checkpoint_id(state)
            if own is None:
                continue
            # Messages are appended: walk from the end and stop at the first known id.
            for message_id in _message_ids_newest_first(state.get("values"), messages_key):
                if message_id in first_seen:
                    break
                first_seen[message_id] = own
            if position == 0 and partial:
                first_seen = dict.fromkeys(first_seen, "")
        first_seen = {k: v for k, v in first_seen.items() if v}
        switcher: dict[str, BranchInfo] = {}
        shown: set[tuple[str, ...]] = set()
        head = view.head
        head_ids = list(_message_ids_newest_first(head.get("values") if head else None,
                                                  messages_key))
        for message_id in reversed(head_ids):
            seen_at = first_seen.get(message_id)
            place = view.info.get(seen_at) if seen_at else None
            if place is None or not place.branch or not place.options:
                continue
            if place.options in shown:
                continue
            shown.add(place.options)
            switcher[message_id] = place
        return cls(first_seen, switcher)


def next_branch(options: Sequence[str], current: str, step: int) -> str | None:
    """The branch `step` places away from `current` among `options` (None if out of range)."""
    if current not in options:
        return None
    position = options.index(current) + step
    return options[position] if 0 <= position < len(options) else None
