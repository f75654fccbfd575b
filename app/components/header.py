"""The top bar: menu (phones), thread title, tool-call switch, Export, keyboard shortcuts,
settings, who is signed in, color mode."""

from __future__ import annotations

import reflex as rx

from app.components.agent_panel import panel_toggle
from app.components.export import export_menu
from app.components.icon_buttons import ghost_icon_button
from app.components.identity import account_menu
from app.components.shortcuts import shortcuts_help
from app.components.sidebar import mobile_menu
from app.states.assistants import AssistantState
from app.states.thread import ThreadState


def settings_popover(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            ghost_icon_button("settings", "Settings", on_click=AssistantState.load_assistants)
        ),
        rx.popover.content(
            rx.vstack(
                rx.text(AssistantState.server_label, size="1", weight="medium",
                        color_scheme="gray"),
                rx.code(AssistantState.api_url, size="1"),
                rx.text("Assistant", size="1", weight="medium", color_scheme="gray",
                        margin_top="0.5em"),
                rx.cond(
                    AssistantState.assistants.length() > 0,
                    rx.select.root(
                        rx.select.trigger(placeholder="Assistant", aria_label="Assistant"),
                        rx.select.content(
                            rx.foreach(
                                AssistantState.assistants,
                                lambda a: rx.select.item(a["label"], value=a["id"]),
                            )
                        ),
                        value=state.assistant_id,
                        on_change=AssistantState.pick,
                    ),
                    rx.text(rx.cond(AssistantState.assistants_error != "",
                                    AssistantState.assistants_error, "Loading…"), size="2"),
                ),
                rx.text("Picking an assistant starts a new thread.", size="1",
                        color_scheme="gray"),
                spacing="1",
                min_width="240px",
            ),
        ),
    )


def header(state: type[ThreadState] = ThreadState) -> rx.Component:
    return rx.hstack(
        mobile_menu(state),
        rx.hstack(
            # A still dot, not a spinner: an endless animation costs the page work on
            # every frame of the run.
            rx.cond(state.is_loading, rx.box(class_name="run-dot", role="status",
                                             aria_label="Running")),
            rx.text(
                rx.cond(state.title != "", state.title, "New chat"),
                weight="medium",
                size="3",
                class_name="topbar-title",
            ),
            align="center",
            spacing="2",
            min_width="0",
            flex="1",
        ),
        rx.spacer(),
        rx.hstack(
            rx.text("Hide tool calls", size="1", color_scheme="gray", as_="label",
                    html_for="hide-tools", class_name="desktop-only"),
            rx.switch(
                id="hide-tools",
                checked=state.hide_tool_calls,
                on_change=state.set_hide_tool_calls,
                size="1",
                aria_label="Hide tool calls",
            ),
            align="center",
            spacing="2",
        ),
        export_menu(state),
        panel_toggle(),
        shortcuts_help(),
        settings_popover(state),
        account_menu(),
        rx.color_mode.button(variant="ghost", color_scheme="gray", aria_label="Toggle color mode"),
        align="center",
        spacing="3",
        class_name="topbar",
    )
