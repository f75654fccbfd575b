"""The Reflex components the demo's `genui` graph pushes (agents/weather.py), registered on
the app's chat state: an example of generative UI written in Python.

Each receives the UI message's props as a Var of JSON data and picks the fields it
shows; it never spreads them into a component, and text is rendered as text.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.states.thread import ThreadState

CONDITION_ICONS = {"sunny": "sun", "cloudy": "cloud", "light rain": "cloud-drizzle",
                   "windy": "wind", "thunderstorms": "cloud-lightning", "fog": "cloud-fog"}


def _day(day: rx.Var) -> rx.Component:
    condition = day["condition"].to(str)
    return rx.el.li(
        rx.text(day["day"].to(str), weight="medium", size="2", class_name="weather-day"),
        rx.match(condition, *[(name, rx.icon(icon, size=16, aria_hidden="true"))
                              for name, icon in CONDITION_ICONS.items()],
                 rx.icon("thermometer", size=16, aria_hidden="true")),
        rx.text(condition, size="2", class_name="weather-condition"),
        rx.text(day["low_c"].to(str), "–", day["high_c"].to(str), " °C", size="2",
                color_scheme="gray"),
        class_name="weather-row",
    )


@ThreadState.ui_component("weather")
def weather_card(props: rx.Var) -> rx.Component:
    """A forecast that fills in day by day while the answer streams."""
    city = props["city"].to(str)
    days = props["days"].to(list[dict[str, Any]])
    loading = props["status"].to(str) != "done"
    return rx.card(
        rx.hstack(
            rx.icon("cloud-sun", size=18, aria_hidden="true"),
            rx.heading("Weather in ", city, size="3", as_="h3"),
            rx.spacer(),
            rx.cond(loading, rx.badge(rx.spinner(size="1"), "updating", color_scheme="amber"),
                    rx.badge("done", color_scheme="green")),
            align="center", spacing="2", width="100%",
        ),
        rx.el.ul(rx.foreach(days, _day), class_name="weather-days"),
        rx.text(days.length().to(str), " of 3 days", size="1", color_scheme="gray"),
        class_name="weather-card",
        custom_attrs={"role": "region", "aria-label": "Weather in " + city,
                      "aria-busy": rx.cond(loading, "true", "false")},
    )


@ThreadState.ui_component("status")
def status_card(props: rx.Var) -> rx.Component:
    """A one-line status the graph removes when it is done."""
    return rx.text(rx.spinner(size="1"), props["text"].to(str), size="2", color_scheme="gray",
                   class_name="genui-status", role="status")
