"""The side panel of an agent that plans and writes files: Plan, Files and the thread's
details (usage totals). Shown only while one of them has something; on narrow screens
it slides in from the header's "Plan and files" button."""

from __future__ import annotations

import reflex as rx

from app.components.files import files_panel
from app.components.icon_buttons import ghost_icon_button
from app.components.plan import plan_panel
from app.components.usage import thread_details
from app.states.deep_panels import PlanState, TotalsState
from app.states.files_panel import FilesState

HAS_CONTENT = (PlanState.total > 0) | (FilesState.files.length() > 0) | (TotalsState.tokens != "")


def agent_panel() -> rx.Component:
    """Plan, Files and Thread details in one column beside the chat."""
    return rx.cond(
        HAS_CONTENT,
        rx.el.aside(
            plan_panel(),
            files_panel(),
            thread_details(),
            class_name=rx.cond(PlanState.panel_open, "agent-panel open", "agent-panel"),
            custom_attrs={"aria-label": "Agent workspace"},
        ),
    )


def panel_toggle() -> rx.Component:
    """The header button that shows the panel on narrow screens."""
    return rx.cond(
        HAS_CONTENT,
        ghost_icon_button("list-checks", "Plan and files", on_click=PlanState.toggle_panel,
                          class_name="narrow-only"),
    )
