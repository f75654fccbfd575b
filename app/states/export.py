"""Export the shown thread as a file: Markdown for people, JSON for programs.

The "Export" menu's items download what the thread holds: its messages as the stream
shows them (equal to the server's state after every run), its generative UI messages,
and the feedback kept in its metadata (read at export time, one small request). The
JSON keeps attachments' bytes, as the thread does (`app.stream.export`).
"""

from __future__ import annotations

import reflex as rx

from app.states.chat_registry import linked_chat
from app.states.identity import acting_client
from app.states.tab_sessions import sessions
from app.stream.export import export_filename, thread_json, thread_markdown
from app.stream.thread_metadata import read_metadata
from app.stream.ui_messages import UI_KEY

FORMATS = {"markdown": ("md", "text/markdown"), "json": ("json", "application/json")}


class ExportState(rx.State):
    """Builds the export on the backend and hands it to the browser as a download."""

    _chat: str = ""  # full name of the chat state served (see chat_registry)

    @rx.event(background=True)
    async def download(self, kind: str):
        """The "Export" menu: `kind` is "markdown" or "json"."""
        extension, mime = FORMATS.get(kind, FORMATS["markdown"])
        async with self:
            chat = await linked_chat(self)
            session = sessions.get(chat.tab_token())
            title = chat.title
            client = await acting_client(self)
        stream = session.stream if session is not None else None
        if stream is None or not stream.thread_id:
            yield rx.toast.info("Nothing to export yet: this chat has no messages.")
            return
        try:
            metadata = await read_metadata(client.threads, stream.thread_id)
        except Exception as exc:  # noqa: BLE001 - said to the user; nothing is downloaded
            yield rx.toast.error(f"The thread could not be read for export: {exc}")
            return
        messages = list(stream.messages)
        title = title or "Chat"
        if extension == "md":
            text = thread_markdown(title, messages, thread_id=stream.thread_id,
                                   metadata=metadata)
        else:
            text = thread_json(title, messages, thread_id=stream.thread_id, metadata=metadata,
                               ui=stream.values.get(UI_KEY) or [])
        yield rx.download(data=text, filename=export_filename(title, extension),
                          mime_type=mime)
