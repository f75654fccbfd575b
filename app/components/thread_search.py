"""Thread search in the sidebar: a "Search threads" box; while it holds text, the threads
whose title or first message match are listed instead of the thread list."""

from __future__ import annotations

import reflex as rx

from app.components.icon_buttons import ghost_icon_button
from app.states.thread import ThreadState
from app.states.thread_search import ThreadSearchState


def search_box() -> rx.Component:
    return rx.box(
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            rx.cond(ThreadSearchState.query != "",
                    rx.input.slot(ghost_icon_button("x", "Clear search", small=True,
                                                    on_click=ThreadSearchState.clear))),
            value=ThreadSearchState.query,
            on_change=ThreadSearchState.search.debounce(250),
            placeholder="Search threads",
            size="2",
            width="100%",
            aria_label="Search threads",
        ),
        width="100%",
    )


def _result(row: rx.Var, state: type[ThreadState]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.text(row["title"], size="2", class_name="thread-title"),
            rx.cond(row["snippet"] != "", rx.text(row["snippet"], size="1", color_scheme="gray",
                                                  class_name="search-snippet")),
            href=row["href"],
            class_name="thread-link search-link",
            underline="none",
            custom_attrs={"aria-current": rx.cond(row["id"] == state.active_thread_id,
                                                  "page", "false")},
        ),
        class_name="thread-row",
    )


def search_results(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.el.nav(
        rx.el.ul(rx.foreach(ThreadSearchState.results, lambda row: _result(row, state)),
                 class_name="thread-list"),
        rx.cond(ThreadSearchState.searching,
                rx.text(rx.spinner(size="1"), "Searching…", size="2", color_scheme="gray",
                        role="status", padding="0.5em"),
                rx.cond(ThreadSearchState.results.length() == 0,
                        rx.text("No thread matches.", size="2", color_scheme="gray",
                                role="status", padding="0.5em"))),
        aria_label="Search results",
        class_name="thread-nav",
    )
