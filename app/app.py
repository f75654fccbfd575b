"""The Reflex app. Pages register themselves in app/pages/."""

import reflex as rx

from app.pages import chat
from app.routes.identity import identity_routes

app = rx.App(
    api_transformer=identity_routes(),
    stylesheets=["/chat.css", "/hitl.css", "/deep.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
chat.register(app)
