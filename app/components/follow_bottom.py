"""`follow_bottom(*children, thread=...)`: the message list's scroller, which keeps the
newest content in view while the reader is at the bottom and lets go once they scroll up
(app/components/follow_bottom.js). Reflex's `auto_scroll` followed only its own renders,
so a thread opened at its first message and a streamed answer ran out of view."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.vars.base import Var

from app.states.browser import COMPOSER_ID

_LIBRARY = rx.asset("follow_bottom.js", shared=True).importable_path


class FollowBottom(rx.Component):
    """A scrolling div that follows its growing content (see the module docstring)."""

    library = _LIBRARY
    tag = "FollowBottom"

    # Changes when another thread opens: the view goes to its newest message.
    thread: Var[str]
    # The message box's id: sending from its form brings the view to the bottom.
    composer_id: Var[str]


def follow_bottom(*children: rx.Component, thread: Any, **props: Any) -> rx.Component:
    return FollowBottom.create(*children, thread=thread, composer_id=COMPOSER_ID, **props)
