"""Usage and timing: one line under an answer (tokens in/out when reported, time to first
token, tokens per second) and the thread's totals in its details."""

from __future__ import annotations

import reflex as rx

from app.states.deep_panels import TotalsState


def answer_usage(message: rx.Var) -> rx.Component:
    """The answer's usage line, when anything is known."""
    return rx.cond(
        message["usage"],
        rx.el.p(rx.icon("gauge", size=12, aria_hidden="true"), message["usage"],
                class_name="usage-line", custom_attrs={"aria-label": "Usage"}),
    )


def thread_details() -> rx.Component:
    """The thread's usage totals (a region "Thread details"), when answers reported any."""
    return rx.cond(
        TotalsState.tokens != "",
        rx.el.section(
            rx.heading("Thread details", size="2", as_="h2"),
            rx.el.dl(
                rx.el.dt("Tokens"), rx.el.dd(TotalsState.tokens),
                rx.el.dt("Answers"), rx.el.dd(TotalsState.answers),
                class_name="totals-list",
            ),
            class_name="panel-section",
            custom_attrs={"role": "region", "aria-label": "Thread details"},
        ),
    )
