"""A tool call as a collapsible card: name, status, arguments and result."""

from __future__ import annotations

import reflex as rx

from app.stream.namespaces import SUBAGENT_TOOL_NAMES

# Their calls are shown as subagent cards instead (components/subagents.py).
_SUBAGENT_TOOLS = rx.Var.create(sorted(SUBAGENT_TOOL_NAMES))


def shown_status(status: rx.Var, awaiting_review: rx.Var | bool) -> rx.Var:
    """The card's status: a pending call of a thread waiting for a person is
    "awaiting_review" (nothing runs until someone decides)."""
    return rx.cond(awaiting_review & (status == "pending"), "awaiting_review", status)


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("completed", rx.badge(rx.icon("check", size=12), "completed", color_scheme="green")),
        ("error", rx.badge(rx.icon("triangle-alert", size=12), "error", color_scheme="red")),
        ("rejected", rx.badge(rx.icon("ban", size=12), "rejected", color_scheme="red",
                              variant="soft")),
        ("awaiting_review", rx.badge(rx.icon("hand", size=12), "Awaiting review",
                                     color_scheme="amber", variant="outline")),
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


def tool_card(call: rx.Var, awaiting_review: rx.Var | bool = False) -> rx.Component:
    """`call` is a view tool call: {id, name, args, result, status}; `awaiting_review`:
    the thread waits for a person's decision on its pending calls."""
    status = shown_status(call["status"], awaiting_review)
    return rx.el.details(
        rx.el.summary(
            rx.hstack(
                rx.icon("wrench", size=14),
                rx.text(call["name"], weight="medium", size="2", class_name="tool-name"),
                rx.spacer(),
                _status_badge(status),
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
        custom_attrs={"data-status": status, "aria-label": "Tool call " + call["name"]},
    )


def tool_calls(calls: rx.Var, hidden: rx.Var, awaiting_review: rx.Var | bool = False
               ) -> rx.Component:
    return rx.cond(
        hidden,
        rx.fragment(),
        rx.vstack(rx.foreach(calls.to(list[dict[str, str]]),
                             lambda call: rx.cond(_SUBAGENT_TOOLS.contains(call["name"]),
                                                  rx.fragment(),  # a subagent card instead
                                                  tool_card(call, awaiting_review))),
                  spacing="2", width="100%"),
    )
