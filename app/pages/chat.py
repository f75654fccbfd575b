"""The chat pages. The thread id lives in the URL; the Agent Server is the truth."""

from __future__ import annotations

import reflex as rx

from app.components import demo_ui  # noqa: F401 - registers the demo's UI components
from app.components.chat import chat_page
from app.states.identity import IdentityState
from app.states.thread import ThreadState
from app.states.threads import ThreadListState

TITLE = "LangGraph Chat"


def chat() -> rx.Component:
    return chat_page(ThreadState)


def register(app: rx.App) -> None:
    app.add_page(chat, route="/", title=TITLE, on_load=[
        IdentityState.resolve, ThreadState.load_new, ThreadListState.refresh])
    app.add_page(
        chat,
        route="/threads/[thread_id]",
        title=TITLE,
        on_load=[IdentityState.resolve, ThreadState.load_thread, ThreadListState.refresh],
    )
