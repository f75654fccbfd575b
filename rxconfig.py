"""Reflex configuration. Runtime settings (Agent Server URL, assistant, API key) live in
app/settings.py and come from the environment or `.env`."""

import reflex as rx

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="violet", gray_color="slate", radius="large")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # REFLEX_REDIS_URL (read by Reflex itself) switches state to Redis for several workers.
)
