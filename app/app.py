"""The Reflex app. Pages register themselves in app/pages/."""

import reflex as rx


def index() -> rx.Component:
    return rx.center(rx.heading("LangGraph chat"), height="100vh")


app = rx.App()
app.add_page(index, route="/")
