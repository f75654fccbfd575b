"""Feedback on answers: "Good answer" / "Bad answer" with an optional comment, kept in the
thread's metadata (`app.stream.feedback`), shown again after a reload and sent to
LangSmith when the server gave the run's feedback URLs.

The URLs come as the run's last event (`on_feedback_event`, only when
`LANGGRAPH_FEEDBACK_KEYS` is set) and live in backend memory only (`FeedbackLinks`),
keyed by the answer's message ids, for their three hours. A rating is sent to LangSmith
when given; a comment written afterwards is sent again with it (a pre-signed URL cannot
update what it created).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import reflex as rx

from app.states.chat_registry import linked_chat
from app.states.identity import IdentityState, SignInRequired, acting_client
from app.stream.feedback import (
    FeedbackError,
    answer_ids,
    clear_feedback,
    feedback_record,
    feedback_urls,
    read_feedback,
    save_feedback,
    send_to_langsmith,
)

log = logging.getLogger("app.chat")
LINK_SECONDS = 3 * 3600 - 60  # the signed URLs expire after three hours
MAX_LINKS = 5000


class FeedbackLinks:
    """Answer message id -> (run id, {feedback key: signed URL}), newest kept."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._links: OrderedDict[str, tuple[float, str, dict[str, str]]] = OrderedDict()

    def remember(self, message_ids: list[str], run_id: str, urls: dict[str, str]) -> None:
        for message_id in message_ids:
            self._links[message_id] = (self._clock(), run_id, dict(urls))
            self._links.move_to_end(message_id)
        while len(self._links) > MAX_LINKS:
            self._links.popitem(last=False)

    def get(self, message_id: str) -> tuple[str, dict[str, str]]:
        """(run id, URLs) of an answer ("", {} when none or expired)."""
        found = self._links.get(message_id)
        if found is None or self._clock() - found[0] > LINK_SECONDS:
            return "", {}
        return found[1], found[2]


links = FeedbackLinks()


def feedback_receiver(stream_of: Callable[[], Any]) -> Callable[[Any], None]:
    """An `on_feedback_event(data)` for a ThreadStream (`stream_of()` returns it): the
    run's URLs are kept for the answer it just gave."""

    def on_feedback_event(data: Any) -> None:
        urls = feedback_urls(data)
        stream = stream_of()
        if urls and stream is not None:
            links.remember(answer_ids(stream.messages), str(stream.run_id or ""), urls)

    return on_feedback_event


def _shown(record: dict[str, Any]) -> dict[str, str]:
    return {"rating": str(record["rating"]), "comment": str(record.get("comment") or "")}


class FeedbackState(rx.State):
    """The ratings of the shown thread's answers, and the open comment box."""

    ratings: dict[str, dict[str, str]] = {}  # message id -> {"rating", "comment"}
    comment_for: str = ""  # the answer whose comment box is open
    thread_id: str = ""
    _records: dict[str, dict[str, Any]] = {}  # message id -> the record kept in the thread
    _chat: str = ""  # full name of the chat state served (see chat_registry)

    @rx.event(background=True)
    async def load(self, thread_id: str):
        """Read the ratings kept on `thread_id` (a thread was opened or created)."""
        async with self:
            if thread_id != self.thread_id:
                self.thread_id, self.ratings, self._records = thread_id, {}, {}
                self.comment_for = ""
            if not thread_id:
                return
            try:
                client = await acting_client(self)
            except SignInRequired:
                return
        try:
            records = await read_feedback(client.threads, thread_id)
        except Exception:  # noqa: BLE001 - ratings are optional; the thread view reports errors
            return
        async with self:
            if self.thread_id == thread_id:
                self._records = records
                self.ratings = {key: _shown(value) for key, value in records.items()}

    @rx.event(background=True)
    async def rate(self, message_id: str, rating: str):
        """A thumb was clicked: keep that rating (the same thumb again takes it back) and
        open the comment box."""
        async with self:
            chat = await linked_chat(self)
            thread_id = chat.active_thread_id or self.thread_id
            if not thread_id or not message_id:
                return
            old = self._records.get(message_id)
            if old is not None and old["rating"] == rating:
                record = None
                self._records.pop(message_id, None)
                self.ratings = {k: v for k, v in self.ratings.items() if k != message_id}
                self.comment_for = ""
            else:
                record = await self._record(message_id, rating, "")
                self.comment_for = message_id
            client = await acting_client(self)
        yield await self._keep(client, thread_id, message_id, record, old)

    @rx.event(background=True)
    async def save_comment(self, form: dict[str, Any]):
        """The comment box's Send: keep the comment with the rating."""
        async with self:
            message_id = self.comment_for
            self.comment_for = ""
            old = self._records.get(message_id)
            if old is None:
                return
            comment = str((form or {}).get("comment") or "").strip()
            if not comment:
                return
            record = await self._record(message_id, str(old["rating"]), comment)
            client = await acting_client(self)
            thread_id = self.thread_id
        yield await self._keep(client, thread_id, message_id, record, old)

    @rx.event
    def close_comment(self) -> None:
        self.comment_for = ""

    async def _record(self, message_id: str, rating: str, comment: str) -> dict[str, Any]:
        """A new record, shown at once (inside the lock)."""
        identity = await (await self.get_state(IdentityState)).current()
        run_id, _ = links.get(message_id)
        record = feedback_record(message_id, rating, comment, by=identity.name, run_id=run_id)
        self._records = {**self._records, message_id: record}
        self.ratings = {**self.ratings, message_id: _shown(record)}
        return record

    async def _keep(self, client: Any, thread_id: str, message_id: str,
                    record: dict[str, Any] | None, old: dict[str, Any] | None) -> Any:
        """Send the rating to LangSmith (when the run gave URLs), then keep it in the
        thread; on failure show what was kept before. Returns a browser event."""
        if record is not None:
            _, urls = links.get(message_id)
            sent = 0
            for url in urls.values():
                try:
                    await send_to_langsmith(url, record)
                    sent += 1
                except FeedbackError as exc:
                    log.warning("feedback not sent to LangSmith: %s", exc)
            record = {**record, "langsmith": bool(urls) and sent == len(urls)}
        try:
            if record is None:
                await clear_feedback(client.threads, thread_id, message_id)
            else:
                await save_feedback(client.threads, thread_id, record)
        except Exception as exc:  # noqa: BLE001 - shown, the old rating put back
            async with self:
                records = {k: v for k, v in self._records.items() if k != message_id}
                if old is not None:
                    records[message_id] = old
                self._records = records
                self.ratings = {key: _shown(value) for key, value in records.items()}
            return rx.toast.error(f"The feedback was not saved: {exc}")
        async with self:
            if record is not None and message_id in self._records:
                self._records = {**self._records, message_id: record}
        return None
