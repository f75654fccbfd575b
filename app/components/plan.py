"""The Plan panel: the agent's todos as a live checklist with its progress ("3 / 5")."""

from __future__ import annotations

import reflex as rx

from app.states.deep_panels import PlanState


def _status_icon(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("completed", rx.icon("circle-check", size=16, class_name="todo-icon done")),
        ("in_progress", rx.icon("loader", size=16, class_name="todo-icon active")),
        rx.icon("circle", size=16, class_name="todo-icon"),
    )


def todo_item(todo: rx.Var) -> rx.Component:
    """One todo: a list item holding its text and its status."""
    return rx.el.li(
        _status_icon(todo["status"]),
        rx.el.span(todo["content"], class_name="todo-text"),
        rx.el.span(todo["label"], class_name="todo-status"),
        class_name="todo-item",
        custom_attrs={"data-status": todo["status"]},
    )


def plan_panel() -> rx.Component:
    """The region "Plan" (shown while the thread has todos)."""
    progress = PlanState.done.to_string() + " / " + PlanState.total.to_string()
    return rx.cond(
        PlanState.total > 0,
        rx.el.section(
            rx.hstack(
                rx.heading("Plan", size="2", as_="h2"),
                rx.spacer(),
                rx.text(progress, size="1", class_name="plan-progress",
                        custom_attrs={"aria-label": "Progress " + progress}),
                align="center",
                width="100%",
            ),
            rx.el.div(
                rx.el.div(class_name="plan-bar-fill",
                          style={"width": (PlanState.done * 100 / PlanState.total)
                                 .to_string() + "%"}),
                class_name="plan-bar",
                aria_hidden="true",
            ),
            rx.el.ul(rx.foreach(PlanState.todos, todo_item), class_name="todo-list"),
            class_name="panel-section",
            custom_attrs={"role": "region", "aria-label": "Plan"},
        ),
    )
