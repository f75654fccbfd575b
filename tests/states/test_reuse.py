"""A developer subclasses ThreadState and drops the chat components into a page."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from app.components import chat_page
from app.states.branching import BranchState
from app.states.chat_registry import chat_state_named, use_chat_state
from app.states.identity import IdentityState
from app.states.interrupts import InterruptState
from app.states.thread import ThreadState, ThreadStateBase


class SupportChatState(ThreadStateBase, rx.State):
    default_assistant_id: ClassVar[str] = "agent"

    def run_config(self) -> dict[str, Any] | None:
        return {"configurable": {"tone": "friendly"}}


def test_subclass_drives_the_components_and_sidebar():
    try:
        page = chat_page(SupportChatState)
        assert chat_state_named() is SupportChatState
        rendered = str(page.render())
        # The components read and send events to the subclass's state, not the base.
        for name in ("messages", "is_loading", "stop", "retry", "hide_tool_calls"):
            assert f"support_chat_state.{name}" in rendered
        assert "thread_state.messages" not in rendered
        assert SupportChatState.default_assistant_id == "agent"
    finally:
        use_chat_state(ThreadState)


HITL_INTERRUPT = {
    "id": "int-1",
    "value": {
        "action_requests": [{"name": "get_weather", "args": {"city": "Paris"},
                             "description": "Check the weather"}],
        "review_configs": [{"action_name": "get_weather",
                            "allowed_decisions": ["approve", "reject"]}],
    },
}


def test_every_component_serves_the_subclass_not_the_base_state():
    try:
        rendered = str(chat_page(SupportChatState).render())
        # The interrupt panel, branch actions and composer are wired to the subclass...
        for name in ("regenerate", "set_branch", "is_loading", "remove_queued", "stop"):
            assert f"support_chat_state.{name}" in rendered, name
        # ...and nothing reads or calls the app's own ThreadState (its full name ends
        # in "____thread_state").
        assert "____thread_state." not in rendered
    finally:
        use_chat_state(ThreadState)


def _chat_with(helper_cls, chat, **fields):
    """A helper state whose `get_state(chat class)` answers `chat` (no app needed)."""
    helper = helper_cls(_reflex_internal_init=True)
    identity = IdentityState(_reflex_internal_init=True)  # an anonymous visitor

    async def get_state(cls):
        if cls is IdentityState:
            return identity
        assert cls is type(chat), f"asked for {cls.__name__}, serves {type(chat).__name__}"
        return chat

    object.__setattr__(helper, "get_state", get_state)
    return helper


async def test_interrupt_answers_go_to_the_chat_state_that_showed_them():
    chat = SupportChatState(_reflex_internal_init=True)
    chat.active_thread_id = "thread-1"
    panel = _chat_with(InterruptState, chat)
    panel.sync([HITL_INTERRUPT], chat=SupportChatState.get_full_name())
    key = panel.cards[0]["actions"][0]["key"]
    InterruptState.approve.fn(panel, key)
    events = await InterruptState.submit.fn(panel)
    respond = events[0]
    assert respond.handler.state_full_name == SupportChatState.get_full_name()
    assert respond.handler.fn.__name__ == "respond"


async def test_edit_goes_to_the_chat_state_that_showed_the_message():
    chat = SupportChatState(_reflex_internal_init=True)
    branches = _chat_with(BranchState, chat)

    class Stream:
        thread_id = "thread-1"
        branch = ""

        def get_messages_metadata(self, message):
            return None

    branches.sync(Stream(), [], chat=SupportChatState.get_full_name())
    BranchState.start_edit.fn(branches, "msg-1")
    event = BranchState.save_edit.fn(branches, {"text": "new text"})
    assert event.handler.state_full_name == SupportChatState.get_full_name()
    assert event.handler.fn.__name__ == "edit_message"


def test_a_message_row_reads_nothing_of_the_chat_state():
    """Each finished message is a memoized row: it must not read the chat state's vars,
    or every change of that state (a run starting, the list growing) renders every row
    of the thread again (events may be sent to it)."""
    from typing import Any

    from app.components.messages import message_bubble

    message = rx.Var("m", _var_type=dict[str, Any]).guess_type()
    flag = rx.Var("flag", _var_type=bool)
    row = message_bubble(message, SupportChatState, hide_tools=flag, awaiting=flag,
                         busy=False, branching=flag)
    rendered = str(row.render())
    name = SupportChatState.get_full_name()
    assert f"useStateContext(\"{name}\")" not in str(row._get_all_hooks())
    assert f"{name.replace('.', '__')}." not in rendered
    assert "support_chat_state.regenerate" in rendered  # its events still go to the state
