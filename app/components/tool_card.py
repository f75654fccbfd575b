"""A tool call as a collapsible card: name, status, arguments and result."""

from __future__ import annotations

import reflex as rx

STATUS_COLOR = {"pending": "amber", "completed": "green", "error": "red"}


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("completed", rx.badge(rx.icon("check", size=12), "completed", color_scheme="green")),
        ("error", rx.badge(rx.icon("triangle-alert", size=12), "error", color_scheme="red")),
        rx.badge(rx.spinner(size="1"), "pending", color_scheme="amber"),
    )


def _section(label: str, body: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        rx.box(
            rx.el.pre(body, class_name="tool-pre"),
            class_name="tool-pre-wrap",
        ),
        width="100%",
    )


def tool_card(call: rx.Var) -> rx.Component:
    """`call` is a view tool call: {id, name, args, result, status}."""
    return rx.el.details(
        rx.el.summary(
            rx.hstack(
                rx.icon("wrench", size=14),
                rx.text(call["name"], weight="medium", size="2", class_name="tool-name"),
                rx.spacer(),
                _status_badge(call["status"]),
                align="center",
                width="100%",
                spacing="2",
            ),
            class_name="tool-summary",
        ),
        rx.vstack(
            _section("Arguments", call["args"]),
            rx.cond(call["result"] != "", _section("Result", call["result"])),
            spacing="2",
            padding="0.5em 0.75em 0.75em",
            width="100%",
        ),
        class_name="tool-card",
        custom_attrs={"data-status": call["status"], "aria-label": "Tool call " + call["name"]},
    )


def tool_calls(calls: rx.Var, hidden: rx.Var) -> rx.Component:
    return rx.cond(
        hidden,
        rx.fragment(),
        rx.vstack(rx.foreach(calls.to(list[dict[str, str]]), tool_card), spacing="2", width="100%"),
    )
