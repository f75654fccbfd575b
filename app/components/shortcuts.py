"""Keyboard shortcuts: installed with the chat panel (`browser.KEYS_SCRIPT`) and listed in
a help popover in the top bar."""

from __future__ import annotations

import reflex as rx

from app.components.icon_buttons import ghost_icon_button

SHORTCUTS = (
    ("Enter", "Send the message"),
    ("Shift + Enter", "New line"),
    ("Esc", "Stop the answer"),
    ("↑ (empty message box)", "Edit your last message"),
    ("Ctrl + Shift + O (⌘ + Shift + O)", "New thread"),
)


def shortcuts_help() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            ghost_icon_button("keyboard", "Keyboard shortcuts", class_name="desktop-only"),
        ),
        rx.popover.content(
            rx.heading("Keyboard shortcuts", size="2", as_="h2", margin_bottom="0.5em"),
            rx.el.dl(
                *[part for keys, what in SHORTCUTS
                  for part in (rx.el.dt(rx.el.kbd(keys)), rx.el.dd(what))],
                class_name="shortcut-list",
            ),
            aria_label="Keyboard shortcuts",
        ),
    )
