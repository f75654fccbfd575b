"""Reusable chat components. Pass your ThreadState subclass to each."""

from app.components.chat import chat_page, chat_panel
from app.components.composer import composer
from app.components.messages import message_bubble, message_list
from app.components.sidebar import sidebar

__all__ = ["chat_page", "chat_panel", "composer", "message_bubble", "message_list", "sidebar"]
