"""Edit, Regenerate and the "n / m" branch switcher under chat messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from app.components.icon_buttons import message_tool
from app.states.branching import BranchState
from app.states.thread import ThreadState


def branch_switcher(message: rx.Var, state: type[ThreadState] = ThreadState,
                    busy: rx.Var | bool | None = None,
                    set_branch: Callable[[Any], Any] | None = None) -> rx.Component:
    """Previous / "n / m" / Next, only under messages that have alternatives (disabled
    while `busy`, by default while a run is active; `set_branch` defaults to the
    state's)."""
    busy = state.is_loading if busy is None else busy
    set_branch = set_branch or state.set_branch
    message_id = message["id"].to(str)
    place = BranchState.switchers.get(message_id, {}).to(dict)
    return rx.cond(
        BranchState.switchers.contains(message_id),
        rx.hstack(
            message_tool("chevron-left", "Previous branch",
                         on_click=set_branch(place["prev"].to(str)),
                         disabled=(place["prev"].to(str) == "") | busy),
            rx.text(place["index"].to(str) + " / " + place["total"].to(str), size="1",
                    class_name="branch-count", aria_live="polite"),
            message_tool("chevron-right", "Next branch",
                         on_click=set_branch(place["next"].to(str)),
                         disabled=(place["next"].to(str) == "") | busy),
            spacing="1",
            align="center",
            class_name="branch-switcher",
            custom_attrs={"role": "group", "aria-label": "Branches"},
        ),
    )


def branch_actions(message: rx.Var, state: type[ThreadState] = ThreadState,
                   busy: rx.Var | bool | None = None,
                   regenerate: Callable[[Any], Any] | None = None,
                   set_branch: Callable[[Any], Any] | None = None) -> rx.Component:
    """Edit (user messages) or Regenerate (assistant messages), then the switcher
    (disabled while `busy`, by default while a run is active; the events default to the
    state's)."""
    busy = state.is_loading if busy is None else busy
    regenerate = regenerate or state.regenerate
    message_id = message["id"].to(str)
    role = message["role"]
    return rx.fragment(
        rx.cond(
            role == "user",
            message_tool("pencil", "Edit", on_click=BranchState.start_edit(message_id),
                         disabled=busy),
        ),
        rx.cond(
            role == "assistant",
            message_tool("refresh-cw", "Regenerate", on_click=regenerate(message_id),
                         disabled=busy),
        ),
        branch_switcher(message, state, busy, set_branch),
    )


def message_editor(message: rx.Var) -> rx.Component:
    """The inline editor of a user message: Save forks the conversation."""
    return rx.form(
        rx.text_area(
            name="text",
            default_value=message["text"].to(str),
            auto_height=True,
            size="2",
            width="100%",
            auto_focus=True,
            aria_label="Edit message",
            enter_key_submit=True,
        ),
        rx.hstack(
            rx.button("Cancel", size="1", variant="soft", color_scheme="gray", type="button",
                      on_click=BranchState.cancel_edit),
            rx.button(rx.icon("git-branch", size=14), "Save", size="1", type="submit",
                      aria_label="Save edit"),
            justify="end",
            spacing="2",
            margin_top="0.4em",
        ),
        on_submit=BranchState.save_edit,
        class_name="message-editor",
        width="100%",
    )


def user_text_or_editor(message: rx.Var, text: rx.Component) -> rx.Component:
    """`text`, or the editor while this message is being edited."""
    return rx.cond(BranchState.editing_id == message["id"].to(str), message_editor(message), text)
