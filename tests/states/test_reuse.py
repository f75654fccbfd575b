"""A developer subclasses ThreadState and drops the chat components into a page."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from app.components import chat_page
from app.states.thread import ThreadState, ThreadStateBase, chat_state, use_chat_state


class SupportChatState(ThreadStateBase, rx.State):
    default_assistant_id: ClassVar[str] = "agent"

    def run_config(self) -> dict[str, Any] | None:
        return {"configurable": {"tone": "friendly"}}


def test_subclass_drives_the_components_and_sidebar():
    try:
        page = chat_page(SupportChatState)
        assert chat_state() is SupportChatState
        rendered = str(page.render())
        # The components read and send events to the subclass's state, not the base.
        for name in ("messages", "is_loading", "stop", "retry", "hide_tool_calls"):
            assert f"support_chat_state.{name}" in rendered
        assert "thread_state.messages" not in rendered
        assert SupportChatState.default_assistant_id == "agent"
    finally:
        use_chat_state(ThreadState)
