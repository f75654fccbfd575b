"""Which chat state the shared helper states serve.

A page is built for one chat state class (`ThreadState`, or a developer's subclass of
`ThreadStateBase`). The helper states (sidebar, settings, interrupt panel, branch
switchers) are shared: each remembers the full name of the chat state it serves (its
`_chat`, set by that chat state when it loads a page) and reaches it through here, so
no helper imports the chat state module (which imports them).
"""

from __future__ import annotations

import reflex as rx

_in_use: list[type[rx.State]] = []


def use_chat_state(cls: type[rx.State]) -> type[rx.State]:
    """Make `cls` the chat state the helpers serve when none is named (one per app)."""
    _in_use[:] = [cls]
    return cls


def chat_state_named(name: str = "") -> type[rx.State]:
    """The chat state class whose full name is `name`, else the one in use."""
    if name:
        try:
            found = rx.State.get_class_substate(name)
        except ValueError:
            found = None
        if isinstance(found, type) and hasattr(found, "load_thread"):
            return found
    if not _in_use:
        raise LookupError("no chat state in use: build the page with chat_page(YourState)")
    return _in_use[0]


async def linked_chat(helper: rx.State) -> rx.State:
    """The chat state instance a helper state (interrupts, branches, sidebar) serves."""
    return await helper.get_state(chat_state_named(getattr(helper, "_chat", "")))
