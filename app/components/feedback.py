"""Feedback under an answer: "Good answer" and "Bad answer" (pressed when given; pressing
it again takes it back), then an optional comment box; a kept comment is shown."""

from __future__ import annotations

import reflex as rx

from app.components.icon_buttons import ghost_icon_button
from app.states.feedback import FeedbackState


def _thumb(message_id: rx.Var, rating: str, label: str, icon: str) -> rx.Component:
    given = FeedbackState.ratings.get(message_id, {}).to(dict)["rating"].to(str) == rating
    return rx.tooltip(
        rx.icon_button(
            rx.icon(icon, size=14),
            variant=rx.cond(given, "soft", "ghost"),
            color_scheme=rx.cond(given, "violet", "gray"),
            size="1",
            type="button",
            aria_label=label,
            aria_pressed=rx.cond(given, "true", "false"),
            on_click=FeedbackState.rate(message_id, rating),
            class_name=rx.cond(given, "feedback-given", ""),
        ),
        content=label,
    )


def feedback_buttons(message_id: rx.Var) -> rx.Component:
    """The two thumbs of one answer (in its action row)."""
    message_id = message_id.to(str)
    return rx.fragment(_thumb(message_id, "up", "Good answer", "thumbs-up"),
                       _thumb(message_id, "down", "Bad answer", "thumbs-down"))


def feedback_comment(message_id: rx.Var) -> rx.Component:
    """The comment box after a rating, or the comment kept with it."""
    message_id = message_id.to(str)
    kept = FeedbackState.ratings.get(message_id, {}).to(dict)["comment"].to(str)
    return rx.cond(
        FeedbackState.comment_for == message_id,
        rx.form(
            rx.hstack(
                rx.input(name="comment", placeholder="Tell us more (optional)", size="1",
                         aria_label="Feedback comment", auto_focus=True, width="100%",
                         max_length=2000),
                rx.button("Add comment", size="1", type="submit"),
                ghost_icon_button("x", "Skip comment", small=True,
                                  on_click=FeedbackState.close_comment),
                spacing="2", align="center", width="100%",
            ),
            on_submit=FeedbackState.save_comment,
            reset_on_submit=True,
            class_name="feedback-form",
        ),
        rx.cond(kept, rx.text(rx.icon("message-square", size=12, aria_hidden="true"),
                                    kept, size="1", color_scheme="gray",
                                    class_name="feedback-comment",
                                    custom_attrs={"aria-label": "Your feedback"})),
    )
