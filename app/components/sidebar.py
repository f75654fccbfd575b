"""The threads sidebar: New thread, the assistant's threads (status badges, paging),
rename and delete with confirmation."""

from __future__ import annotations

import reflex as rx

from app.components.icon_buttons import ghost_icon_button
from app.components.thread_search import search_box, search_results
from app.states.thread import ThreadState
from app.states.thread_search import ThreadSearchState
from app.states.threads import ThreadListState

STATUS_SCHEME = {"idle": "gray", "busy": "blue", "interrupted": "amber", "error": "red"}


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("busy", rx.badge("busy", color_scheme="blue", size="1")),
        ("interrupted", rx.badge(rx.icon("hand", size=10), "Needs input", color_scheme="amber",
                                 size="1")),
        ("error", rx.badge("error", color_scheme="red", size="1")),
        rx.badge("idle", color_scheme="gray", size="1", variant="outline"),
    )


def _row_menu(row: rx.Var) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            ghost_icon_button("ellipsis", "Thread actions", small=True, icon_size=14,
                              class_name="thread-menu"),
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item(
                rx.icon("pencil", size=14),
                "Rename",
                on_click=ThreadListState.start_rename(row["id"], row["title"]),
            ),
            rx.dropdown_menu.item(
                rx.icon("trash-2", size=14),
                "Delete",
                color="red",
                on_click=ThreadListState.ask_delete(row["id"], row["title"]),
            ),
        ),
    )


def _rename_form(row: rx.Var) -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="title",
                default_value=row["title"],
                aria_label="Thread title",
                size="1",
                auto_focus=True,
                width="100%",
            ),
            rx.icon_button(rx.icon("check", size=12), size="1", type="submit", aria_label="Save"),
            ghost_icon_button("x", "Cancel rename", small=True,
                              on_click=ThreadListState.cancel_rename),
            spacing="1",
            width="100%",
        ),
        on_submit=ThreadListState.save_rename,
        width="100%",
    )


def _thread_row(row: rx.Var, state: type[ThreadState]) -> rx.Component:
    active = row["id"] == state.active_thread_id
    return rx.el.li(
        rx.cond(
            ThreadListState.rename_id == row["id"],
            _rename_form(row),
            rx.hstack(
                rx.link(
                    rx.text(row["title"], size="2", class_name="thread-title"),
                    _status_badge(row["status"]),
                    href=row["href"],
                    class_name="thread-link",
                    underline="none",
                    custom_attrs={"aria-current": rx.cond(active, "page", "false")},
                ),
                _row_menu(row),
                align="center",
                spacing="1",
                width="100%",
            ),
        ),
        class_name=rx.cond(active, "thread-row active", "thread-row"),
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete thread?"),
            rx.alert_dialog.description(
                rx.text("“", ThreadListState.delete_title, "” will be deleted from the Agent "
                        "Server. This cannot be undone.")
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Cancel", variant="soft", color_scheme="gray",
                              on_click=ThreadListState.cancel_delete)
                ),
                rx.alert_dialog.action(
                    rx.button("Delete", color_scheme="red", on_click=ThreadListState.confirm_delete)
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
        ),
        open=ThreadListState.delete_id != "",
    )


def sidebar_content(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("messages-square", size=20),
            rx.heading("Chats", size="4", weight="medium"),
            align="center",
            spacing="2",
            padding_x="0.25em",
        ),
        rx.link(
            rx.button(rx.icon("plus", size=16), "New thread", width="100%", variant="soft",
                      aria_label="New thread", tab_index=-1),
            href="/",
            width="100%",
            underline="none",
            custom_attrs={"data-shortcut": "new-thread"},
        ),
        search_box(),
        rx.cond(
            ThreadListState.list_error != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-alert", size=14)),
                rx.callout.text(ThreadListState.list_error),
                ghost_icon_button("rotate-cw", "Reload threads", small=True, color_scheme="red",
                                  on_click=ThreadListState.refresh),
                color_scheme="red",
                size="1",
                role="alert",
                width="100%",
            ),
        ),
        rx.button(
            rx.icon("hand", size=14),
            "Needs input",
            size="1",
            variant=rx.cond(ThreadListState.needs_input_only, "solid", "outline"),
            color_scheme="amber",
            on_click=ThreadListState.toggle_needs_input,
            aria_pressed=rx.cond(ThreadListState.needs_input_only, "true", "false"),
            aria_label="Needs input",
            title="Show only threads waiting for a person",
        ),
        rx.cond(ThreadSearchState.query != "", search_results(state)),
        rx.el.nav(
            rx.el.ul(
                rx.foreach(ThreadListState.threads, lambda row: _thread_row(row, state)),
                class_name="thread-list",
            ),
            rx.cond(
                (ThreadListState.threads.length() == 0) & ~ThreadListState.list_loading
                & (ThreadListState.list_error == ""),
                rx.text(rx.cond(ThreadListState.needs_input_only, "No thread needs input.",
                                "No threads yet."), size="2", color_scheme="gray",
                        padding="0.5em"),
            ),
            rx.cond(
                ThreadListState.has_more,
                rx.button("Load more", variant="ghost", size="1", width="100%",
                          on_click=ThreadListState.load_more, loading=ThreadListState.list_loading),
            ),
            aria_label="Threads",
            class_name="thread-nav",
            hidden=ThreadSearchState.query != "",
        ),
        _delete_dialog(),
        spacing="3",
        height="100%",
        width="100%",
    )


def sidebar(state: type[ThreadState] = ThreadState) -> rx.Component:
    """The sidebar on wide screens; a drawer button on phones (see `mobile_menu`)."""
    return rx.box(sidebar_content(state), class_name="sidebar")


def mobile_menu(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.box(
        rx.drawer.root(
            rx.drawer.trigger(
                ghost_icon_button("menu", "Open threads", icon_size=18)
            ),
            rx.drawer.overlay(z_index="50"),
            rx.drawer.portal(
                rx.drawer.content(
                    rx.box(sidebar_content(state), padding="1em", height="100%"),
                    class_name="drawer-panel",
                    z_index="60",
                )
            ),
            direction="left",
        ),
        class_name="mobile-only",
    )
