"""The Reflex app. Pages register themselves in app/pages/."""

import reflex as rx

from app.pages import chat, launcher
from app.routes.identity import identity_routes
from app.states.browser import EARLY_ENTER_SCRIPT

app = rx.App(
    api_transformer=identity_routes(),
    stylesheets=["/chat.css", "/hitl.css", "/deep.css", "/chatux.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1"),
                     rx.el.script(EARLY_ENTER_SCRIPT)],
)
chat.register(app)
launcher.register(app)
