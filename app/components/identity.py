"""Who is chatting: the signed-in user's name with Sign out, or Sign in; and the screen
shown instead of the chat while a deployment that needs a sign-in has none."""

from __future__ import annotations

import reflex as rx

from app.states.identity import IdentityState


def account_menu() -> rx.Component:
    return rx.cond(
        IdentityState.signed_in,
        rx.hstack(
            rx.icon("circle-user", size=16, aria_hidden="true"),
            rx.text(IdentityState.user_name, size="2", weight="medium",
                    class_name="account-name"),
            rx.button("Sign out", size="1", variant="soft", color_scheme="gray",
                      on_click=IdentityState.sign_out),
            align="center",
            spacing="2",
        ),
        rx.cond(
            IdentityState.sign_in_enabled,
            rx.button("Sign in", size="1", on_click=IdentityState.sign_in),
        ),
    )


def sign_in_screen() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(rx.icon("lock-keyhole", size=32), class_name="empty-icon"),
            rx.heading("Sign in to chat", size="6", weight="medium"),
            rx.text("This chat is for signed-in users; your conversations stay yours.",
                    color_scheme="gray", size="2"),
            rx.button("Sign in", size="3", on_click=IdentityState.sign_in),
            align="center",
            spacing="3",
        ),
        class_name="sign-in-screen",
        height="100vh",
    )
