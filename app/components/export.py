"""The "Export" menu of the top bar: the thread as Markdown or JSON."""

from __future__ import annotations

import reflex as rx

from app.states.export import ExportState
from app.states.thread import ThreadState


def export_menu(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.button(rx.icon("download", size=14), "Export", variant="ghost",
                      color_scheme="gray", size="1", aria_label="Export",
                      disabled=state.active_thread_id == ""),
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item(rx.icon("file-text", size=14), "Markdown",
                                  on_click=ExportState.download("markdown")),
            rx.dropdown_menu.item(rx.icon("braces", size=14), "JSON",
                                  on_click=ExportState.download("json")),
        ),
    )
