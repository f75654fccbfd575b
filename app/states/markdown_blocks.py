"""Where a streamed markdown text can be cut into blocks that are finished.

While an answer streams, the browser renders it as segments: every segment but the last
is a run of finished top-level blocks (paragraphs, lists, closed code fences, ...), each
rendered once; only the open tail is rendered again as tokens arrive. For that to be
correct, rendering the segments one by one must give exactly what rendering the whole
text gives, now and after any text is appended. `next_cuts` only cuts:

- before a top-level block that follows a blank line (so nothing after the cut can
  continue or re-read the block before it), found with a CommonMark parser;
- once the first line of that block is complete (a partial line such as "2" may still
  become "2." and continue the list above);
- not after a block holding raw HTML (an HTML block's extent differs between the whole
  text and a cut piece: the end of a piece closes it), nor after an indented code block
  (after one, remark reads "2. x" as a paragraph, alone as a list), nor after an empty
  list item ("-" alone: remark continues its list past blank lines, markdown-it not);
- never in a text with a link reference or footnote definition (`]:`), whose labels
  link across blocks, or with a bare carriage return.

tests/states/test_markdown_blocks.py checks the rule against the browser's own parser
(remark, as react-markdown uses it) on random markdown cut at random points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile(r"\n")
_UNCLEAR = {"html_block", "code_block"}
_EMPTY_ITEM = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])")


def cuttable(text: str) -> bool:
    """Whether `text` may be cut at all (no definition links blocks to each other)."""
    return "]:" not in text and "\r" not in text


def next_cuts(text: str, cuts: Sequence[int] = (), checked: int = 0) -> tuple[list[int], int]:
    """The cut offsets of `text`, given `cuts` found for an earlier prefix of it and the
    length `checked` of that prefix. Returns the cuts and the new `checked`. Cheap when
    nothing new can be cut: the tail is parsed only when a line ends in it after a blank
    line."""
    if not cuttable(text):
        return [], len(text)
    found = [cut for cut in cuts if cut <= len(text)]
    start = found[-1] if found else 0
    region = text[start:]
    if "\n" not in text[max(checked, start):] or not _BLANK_LINE.search(region):
        return found, len(text)
    line_starts = [0] + [match.end() for match in _NEWLINE.finditer(region)]
    complete = len(line_starts) - 1  # lines that end with a newline
    unclear = False  # the block before reads differently alone (see the docstring)
    for token in _PARSER.parse(region):
        if token.level != 0 or token.nesting < 0 or not token.map:
            unclear = unclear or token.type == "html_block"
            continue
        first = token.map[0]
        cut = (0 < first < complete and not unclear
               and region[line_starts[first - 1]:line_starts[first]].strip(" \t\n") == ""
               and not _EMPTY_ITEM.fullmatch(_last_line(region[:line_starts[first]])))
        if cut:  # a block after a blank line, its first line complete
            found.append(start + line_starts[first])
        unclear = token.type in _UNCLEAR
    return found, len(text)


# What can start, end or change an inline construct (emphasis, code, links, images, HTML,
# entities, escapes, strikethrough, footnotes, GFM autolinks and emails).
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<>!&~|@$^]|://|www\.", re.IGNORECASE)


def plain_prefix(text: str, start: int = 0) -> int:
    """Where the plain prefix of the open paragraph `text[start:]` ends (`start` when it
    has none). The browser renders that prefix as bare text and parses only the rest as
    markdown (the rest's inline content continues the same paragraph), so a long
    paragraph is not parsed again on every flush. Only for a one-line paragraph that
    starts with a letter; the prefix holds no character that can begin or end an inline
    construct, and is all of it or ends after a space, before a letter (so the rest is a
    paragraph too)."""
    tail = text[start:]
    if not tail[:1].isalpha() or "\n" in tail or "\r" in tail:
        return start
    special = _INLINE_SPECIAL.search(tail)
    if special is None:
        return len(text)  # all of it is plain: nothing to parse
    end = special.start()
    cut = tail.rfind(" ", 0, end)
    while cut > 0 and not (cut + 1 < len(tail) and tail[cut + 1].isalpha()):
        cut = tail.rfind(" ", 0, cut)
    if cut <= 0:
        return start
    return start + cut + 1


def _last_line(text: str) -> str:
    """The last line of `text` that is not blank (trailing blanks dropped)."""
    text = text.rstrip(" \t\n")
    return text[text.rfind("\n") + 1:]


def js_offsets(text: str, cuts: Sequence[int]) -> list[int]:
    """`cuts` (Python string offsets) as JavaScript (UTF-16) offsets into `text`."""
    result: list[int] = []
    previous, extra = 0, 0
    for cut in cuts:
        extra += sum(1 for char in text[previous:cut] if ord(char) > 0xFFFF)
        result.append(cut + extra)
        previous = cut
    return result
