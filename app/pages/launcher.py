"""`/launcher`: an ordinary page of your own with the chat dropped in as a floating
launcher (`chat_launcher()`, one call)."""

from __future__ import annotations

import reflex as rx

from app.components.launcher import chat_launcher

TITLE = "Your page, with a chat launcher"


def launcher_page() -> rx.Component:
    return rx.box(
        rx.container(
            rx.heading("Your own page", size="7", as_="h1"),
            rx.text("Any Reflex page can offer the chat: the button in the corner opens it "
                    "over the page. One call adds it:", size="3", margin_y="1em"),
            rx.code_block("from app.components.launcher import chat_launcher\n\n\n"
                          "def my_page() -> rx.Component:\n"
                          "    return rx.box(my_content(), chat_launcher())",
                          language="python"),
            rx.link("Open the full chat", href="/"),
            padding_y="3em",
        ),
        chat_launcher(),
    )


def register(app: rx.App) -> None:
    app.add_page(launcher_page, route="/launcher", title=TITLE)
