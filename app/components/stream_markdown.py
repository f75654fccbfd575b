"""`stream_markdown(text, cuts)`: the markdown of the answer being streamed, rendered
block by block (app/components/stream_markdown.jsx): segments of finished blocks render
once, only the open tail again per flush, and of a long open paragraph only its end is
parsed again. Same rules and element map as
`safe_markdown` (no raw HTML, images as links, GitHub-flavoured markdown); the cuts come
from app/states/markdown_blocks.py."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var
from reflex_base.vars.sequence import LiteralArrayVar
from reflex_components_markdown.markdown import Markdown, markdown

from app.components.markdown import SAFE_COMPONENT_MAP

_LIBRARY = rx.asset("stream_markdown.jsx", shared=True).importable_path


class StreamMarkdown(Markdown):
    """react-markdown per finished segment (see the module docstring)."""

    library = _LIBRARY
    tag = "StreamMarkdown"
    is_default = False

    # Where finished segments end, in JavaScript (UTF-16) offsets into the text.
    cuts: Var[list[int]]
    # Where the plain prefix of the open paragraph ends (0: none), rendered as bare text.
    plain: Var[int]


def stream_markdown(text: Var, cuts: Var, plain: Var | int = 0) -> rx.Component:
    """The streamed `text` as markdown, cut into finished segments at `cuts`; the open
    tail's plain start (up to `plain`) is shown as text, only the rest is parsed."""
    return rx.el.div(
        StreamMarkdown.create(
            text,
            cuts=cuts,
            plain=plain,
            component_map=SAFE_COMPONENT_MAP,
            remark_plugins=LiteralArrayVar.create([markdown.plugin.gfm]),
            rehype_plugins=LiteralArrayVar.create([markdown.plugin.unwrap_images]),
        ),
        class_name="chat-markdown",
    )


@rx.memo
def message_markdown(text: rx.Var[str], plain: rx.Var[int]) -> rx.Component:
    """A finished message's markdown, memoized on its text: a wholly plain paragraph
    (`plain`, from the message view) is shown without parsing it."""
    return stream_markdown(text, LiteralArrayVar.create([]), plain)
