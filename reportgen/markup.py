"""Section markup: the closed vocabulary the section templates emit, read into tree blocks.

Jinja keeps the words; the templates say where blocks start with one tag at the start of a
line — `<h2 id="…">`, `<h3>`, `<p>`, `<figure slot="N">`, `<table slot="N"></table>` — and mark runs inside a paragraph
with `<strong>` and the placeholder `<span class="placeholder">` that narrative.py produces.
Templates render autoescaped, so text from a workbook can never forge one of these tokens:
a `<` in a snippet arrives as `&lt;`. This is not an HTML parser: anything else is an error.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from .placeholder import Placeholder as MissingInput
from .tree import Block, Heading, Paragraph, Placeholder, Run, Strong, Text

BLOCK = re.compile(r'<(h2|h3|p|figure|table)(?: id="([^"]*)"| slot="(\d+)")?>(.*?)</\1>', re.S)
INLINE = re.compile(r'<strong>(.*?)</strong>|<span class="placeholder">(.*?)</span>', re.S)
# A placeholder stringified upstream reaches a plain value as its visible text, or (older
# callers) as its span: either way it prints as a placeholder run.
PLACEHOLDER = re.compile(r'<span class="placeholder">(.*?)</span>|(【待补充：[^】]*】)', re.S)


class MarkupError(ValueError):
    """A section template produced something outside the vocabulary."""


def _text(escaped: str) -> str:
    if "<" in escaped or ">" in escaped:
        raise MarkupError(f"unknown markup in section text: {escaped[:80]!r}")
    # Fold white space the way a browser would: a snippet's line breaks join its sentences.
    return re.sub(r"\s+", " ", html.unescape(escaped))


def runs(escaped: str) -> tuple[Run, ...]:
    """Inline runs of one paragraph's markup (autoescaped text + strong + placeholder)."""
    out: list[Run] = []
    pos = 0
    for m in INLINE.finditer(escaped):
        if t := _text(escaped[pos:m.start()]):
            out.append(Text(t))
        if m.group(1) is not None:
            out.append(Strong(_text(m.group(1)).strip()))
        else:
            out.append(Placeholder(_text(m.group(2)).strip()))
        pos = m.end()
    if t := _text(escaped[pos:]):
        out.append(Text(t))
    out = _merge(out)
    # A paragraph's own edges carry no space (the template's line layout put it there).
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(r for r in out if r.text)


def _merge(items: list[Run]) -> list[Run]:
    """Adjacent plain texts as one run (the template splits them only where tags were)."""
    out: list[Run] = []
    for r in items:
        if out and isinstance(r, Text) and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + r.text)
        else:
            out.append(r)
    return out


def plain_runs(text: object) -> tuple[Run, ...]:
    """Runs of a value that may be workbook text (a str), template output (Markup) or a
    placeholder.

    A str is taken literally, except an embedded placeholder that was stringified upstream
    (it must still print as a placeholder, never as `<span …>`)."""
    if isinstance(text, MissingInput):
        return (Placeholder(str(text)),)
    text = str(text) if not isinstance(text, str) else text
    if isinstance(text, Markup):
        return runs(str(text))
    out: list[Run] = []
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        if text[pos:m.start()]:
            out.append(Text(text[pos:m.start()]))
        out.append(Placeholder(html.unescape(m.group(1)) if m.group(1) is not None else m.group(2)))
        pos = m.end()
    if text[pos:]:
        out.append(Text(text[pos:]))
    return tuple(out)


def blocks(rendered: str, figure, table=None) -> list[Block]:
    """Blocks of one rendered section template; `figure(slot)` gives the Figure node and
    `table(slot)` the Table node a kind's narrative built (its cells computed, never markup)."""
    out: list[Block] = []
    pos = 0
    for m in BLOCK.finditer(rendered):
        between = rendered[pos:m.start()]
        if between.strip():
            raise MarkupError(f"text outside a block: {between.strip()[:80]!r}")
        tag, ident, slot, body = m.groups()
        if tag == "figure":
            out.append(figure(int(slot)))
        elif tag == "table":
            if table is None or slot is None:
                raise MarkupError("a <table> needs a slot and a narrative with tables")
            out.append(table(int(slot)))
        elif tag == "p":
            r = runs(body)
            if r:
                out.append(Paragraph(r))
        else:
            out.append(Heading(2 if tag == "h2" else 3, _text(body).strip(), ident or "", toc=tag == "h2"))
        pos = m.end()
    if rendered[pos:].strip():
        raise MarkupError(f"text outside a block: {rendered[pos:].strip()[:80]!r}")
    return out
