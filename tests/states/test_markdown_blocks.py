"""Cutting a streamed markdown text into finished blocks never changes what it renders.

The oracle is the browser's own parse: react-markdown 10.1's pipeline (remark-parse,
remark-gfm, remark-rehype) in Node, from the pinned packages in tests/markdown_oracle
(installed with `npm ci` on first use). Random markdown is streamed in random pieces
(MD_EXAMPLES documents, 400 by default); after every piece, rendering the segments one by
one must equal rendering the whole text.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.states.markdown_blocks import js_offsets, next_cuts, plain_prefix

ROOT = Path(__file__).resolve().parents[2]
ORACLE = ROOT / "tests" / "markdown_oracle"


class Oracle:
    """A Node process answering: the top-level HAST blocks of each text."""

    def __init__(self) -> None:
        env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        if not (ORACLE / "node_modules" / "remark-parse").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel", "error"],
                           cwd=ORACLE, env=env, check=True)
        self.proc = subprocess.Popen(["node", "hast.mjs"], cwd=ORACLE, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def blocks(self, texts: list[str]) -> list[list[dict]]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"texts": texts}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def oracle() -> Iterator[Oracle]:
    found = Oracle()
    yield found
    found.close()


def segments(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def assert_renders_alike(oracle: Oracle, prefixes: list[str], cuts_of: list[list[int]]) -> None:
    """For each prefix: its segments' blocks, in order, are the whole prefix's blocks."""
    texts: list[str] = []
    for prefix, cuts in zip(prefixes, cuts_of, strict=True):
        texts.append(prefix)
        texts.extend(segments(prefix, cuts))
    rendered = iter(oracle.blocks(texts))
    for prefix, cuts in zip(prefixes, cuts_of, strict=True):
        whole = next(rendered)
        parts = [block for _ in segments(prefix, cuts) for block in next(rendered)]
        assert parts == whole, (prefix, cuts)


WORDS = st.sampled_from(["alpha", "beta", "x", "*em*", "**strong**", "`code`", "~~del~~",
                         "[link](https://a.example)", "<span>", "https://b.example",
                         "a_b", "*open", "**", "`", "\\*", "&amp;", "[ref]", "[^1]", "1.",
                         "-", "|", "![img](https://c.example/i.png)", "<!--", "-->"])
INLINE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
LINES = st.lists(INLINE, min_size=1, max_size=3).map("\n".join)


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from([
        "para", "para", "heading", "setext", "bullets", "ordered", "nested", "fence",
        "open_fence", "indented", "quote", "table", "html", "pre", "comment", "rule",
        "definition", "footnote", "loose", "raw"]))
    text = draw(LINES)
    one = draw(INLINE)
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 6))} {one}"
    if kind == "setext":
        return f"{one}\n{draw(st.sampled_from(['===', '---', '-']))}"
    if kind == "bullets":
        marker = draw(st.sampled_from(["-", "*", "+"]))
        items = draw(st.lists(INLINE, min_size=1, max_size=3))
        return "\n".join(f"{marker} {item}" for item in items)
    if kind == "ordered":
        start = draw(st.integers(0, 12))
        items = draw(st.lists(INLINE, min_size=1, max_size=3))
        return "\n".join(f"{start + i}. {item}" for i, item in enumerate(items))
    if kind == "nested":
        return f"- {one}\n  - {draw(INLINE)}\n\n  {draw(INLINE)}\n- {draw(INLINE)}"
    if kind == "loose":
        return f"1. {one}\n\n2. {draw(INLINE)}\n\n   {draw(INLINE)}"
    if kind == "fence":
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        return f"{fence}py\n{text}\n\n{draw(INLINE)}\n{fence}"
    if kind == "open_fence":
        return f"```\n{text}\n\n{draw(INLINE)}"
    if kind == "indented":
        return f"    {one}\n\n    {draw(INLINE)}"
    if kind == "quote":
        return f"> {one}\n{draw(INLINE)}\n>\n> {draw(INLINE)}"
    if kind == "table":
        return f"| {one} | b |\n|---|:-:|\n| 1 | {draw(INLINE)} |"
    if kind == "html":
        return f"<div>\n{text}\n</div>"
    if kind == "pre":
        return f"<pre>\n{text}\n\n{draw(INLINE)}\n</pre>"
    if kind == "comment":
        return f"<!-- {one}\n\n{draw(INLINE)} -->"
    if kind == "rule":
        return draw(st.sampled_from(["---", "***", "___", "- - -"]))
    if kind == "definition":
        return f"[ref]: https://d.example \"{one}\""
    if kind == "footnote":
        return f"[^1]: {one}"
    if kind == "raw":
        return draw(st.text(alphabet="ab -*_`#>|[]()!\n 12.:~<\t\\", max_size=40))
    return text


SEPARATOR = st.sampled_from(["\n", "\n\n", "\n\n", "\n\n\n", "\n \n", "\n\t\n"])


@st.composite
def document(draw) -> str:
    parts = draw(st.lists(block(), min_size=1, max_size=7))
    text = parts[0]
    for part in parts[1:]:
        text += draw(SEPARATOR) + part
    return text + draw(st.sampled_from(["", "\n", "\n\n"]))


EXAMPLES = int(os.environ.get("MD_EXAMPLES", "400"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=document().filter(bool), data=st.data())
def test_streamed_segments_render_as_the_whole_text(oracle, text, data):
    points = sorted(set(data.draw(st.lists(st.integers(1, len(text)), max_size=12)))
                    | {len(text)})
    cuts: list[int] = []
    checked = 0
    prefixes, cuts_of = [], []
    for point in points:
        prefix = text[:point]
        cuts, checked = next_cuts(prefix, cuts, checked)
        assert cuts == sorted(set(cuts)) and all(0 < c < len(prefix) for c in cuts)
        prefixes.append(prefix)
        cuts_of.append(list(cuts))
    assert_renders_alike(oracle, prefixes, cuts_of)


@settings(max_examples=150, deadline=None)
@given(text=document())
def test_token_by_token_equals_cutting_once(text):
    """Streaming a character at a time finds the same cuts as seeing the text at once."""
    cuts: list[int] = []
    checked = 0
    for end in range(1, len(text) + 1):
        cuts, checked = next_cuts(text[:end], cuts, checked)
    assert cuts == next_cuts(text)[0]


def test_finished_blocks_are_cut_and_the_open_one_is_not(oracle):
    text = ("First paragraph.\n\n- one\n- two\n\n```py\nx = 1\n\ny = 2\n```\n\n"
            "# Heading\nStill open")
    cuts, _ = next_cuts(text)
    parts = segments(text, cuts)
    assert parts == ["First paragraph.\n\n", "- one\n- two\n\n", "```py\nx = 1\n\ny = 2\n```\n\n",
                     "# Heading\nStill open"]
    assert_renders_alike(oracle, [text], [cuts])
    # An open fence keeps everything after it; a definition anywhere stops all cutting.
    assert next_cuts("Intro\n\n```\ncode\n\nmore\n\ntext")[0] == [7]
    assert next_cuts("Intro\n\n[x]: https://a.example\n\nmore [x]\n")[0] == []
    # A partial first line may still continue the list above: no cut before it yet.
    assert next_cuts("1. a\n\n2")[0] == []
    assert next_cuts("1. a\n\n2. b\n")[0] == []
    assert next_cuts("1. a\n\nplain\n")[0] == [6]


def test_one_long_paragraph_is_never_cut():
    text = " ".join(["word"] * 2000)
    assert next_cuts(text)[0] == []


def test_offsets_count_utf16_units_like_javascript():
    text = "😀 a\n\nb\n\nc\n"
    cuts, _ = next_cuts(text)
    assert cuts == [5, 8]
    assert js_offsets(text, cuts) == [6, 9]


def _merged(children: list[dict]) -> list[dict]:
    """Adjacent text nodes as one (the DOM shows them alike)."""
    out: list[dict] = []
    for node in children:
        if node.get("type") == "text" and out and out[-1].get("type") == "text":
            out[-1] = {"type": "text", "value": out[-1]["value"] + node["value"]}
        else:
            out.append(dict(node))
    return out


PROSE_WORDS = st.sampled_from(["alpha", "Beta", "x", "x.", "1.", "(see", "it)", "well-known",
                               "*em*", "**", "_under_", "`code`", "[link](https://a.example)",
                               "<b>", "a>b", "&amp;", "https://b.example/x", "www.c.example",
                               "bob@d.example", "~~del~~", "![i](https://e.example/i.png)",
                               "#tag", "-dash", "+plus", "> q", "|", "\\*", "é", "naïve",
                               "[^1]", "$x$", "  ", ":", "wait:", "x://y"])
PROSE = st.lists(PROSE_WORDS, min_size=1, max_size=25).map(" ".join)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=PROSE, data=st.data())
def test_a_plain_prefix_renders_as_the_start_of_the_same_paragraph(oracle, text, data):
    """The browser shows the plain prefix of the open paragraph as text and parses only
    the rest: that is the same paragraph as parsing the whole text."""
    text = data.draw(st.sampled_from(["", "Start ", "Z"])) + text
    ends = sorted(set(data.draw(st.lists(st.integers(1, len(text)), max_size=8)))
                  | {len(text)})
    cases = [(text[:end], plain_prefix(text[:end])) for end in ends]
    cases = [(prefix, cut) for prefix, cut in cases if cut > 0]
    if not cases:
        return
    texts = [t for prefix, cut in cases for t in (prefix, prefix[cut:])]
    rendered = iter(oracle.blocks(texts))
    for prefix, cut in cases:
        whole, rest = next(rendered), next(rendered)
        plain, remainder = prefix[:cut], prefix[cut:]
        assert not any(c in plain for c in "*_`[]<>&~|@\\")
        if remainder.strip():
            assert len(rest) == 1 and rest[0]["tagName"] == "p", (prefix, cut)
            children = [{"type": "text", "value": plain}, *rest[0]["children"]]
        else:
            children = [{"type": "text", "value": plain.rstrip()}]
        assert len(whole) == 1 and whole[0]["tagName"] == "p", prefix
        assert _merged(whole[0]["children"]) == _merged(children), (prefix, cut)


def test_plain_prefixes():
    assert plain_prefix("hello world foo") == len("hello world foo")  # all plain
    assert plain_prefix("hello world foo `x`") == len("hello world ")
    assert plain_prefix("hello world *em* x") == len("hello ")  # the rest starts a word
    assert plain_prefix("see >quote and") == 0
    assert plain_prefix("- a list item") == 0 and plain_prefix("two\nlines here") == 0
    assert plain_prefix("Intro\n\nParagraph two *x* y", 7) == len("Intro\n\nParagraph ")
