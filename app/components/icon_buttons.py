"""`ghost_icon_button(icon, label)`: the quiet icon-only button the chat uses for its
secondary controls (close, remove, copy, menus, settings), in one place: gray and
borderless, named by `label` for screen readers and tests, never a form's submit."""

from __future__ import annotations

from typing import Any

import reflex as rx


def ghost_icon_button(icon: str, label: str, *, small: bool = False, icon_size: int = 0,
                      **props: Any) -> rx.Component:
    """`small`: Radix size 1 with a 12 px icon (inside chips, alerts and rows); else the
    default size with a 16 px icon. `icon_size` overrides the icon's size; `props` go to
    the button (`on_click`, `color_scheme`, `class_name`, ...)."""
    size = icon_size or (12 if small else 16)
    props.setdefault("color_scheme", "gray")
    props.setdefault("type", "button")
    if small:
        props.setdefault("size", "1")
    return rx.icon_button(rx.icon(icon, size=size), variant="ghost", aria_label=label,
                          **props)


def message_tool(icon: str, label: str, **props: Any) -> rx.Component:
    """A small ghost button under a message (Copy, Edit, Regenerate, ...), its label
    also shown as a tooltip."""
    return rx.tooltip(ghost_icon_button(icon, label, small=True, icon_size=14, **props),
                      content=label)
