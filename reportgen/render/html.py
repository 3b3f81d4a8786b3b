"""The HTML writer: the document tree as one self-contained HTML file (CSS and charts inline).

The same HTML is what WeasyPrint lays out for the PDF. Jinja gives the page skeleton
(templates/<kind>/document.html.j2 and the style.css it includes, generated from
render.style); the blocks are written here, one function per node type. A node type this
writer does not know is an error.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup, escape

from .. import __version__
from ..analysis import Comparison
from ..profile import Words
from ..sections import environment
from ..tree import (
    Block,
    Cell,
    Document,
    Figure,
    Heading,
    Paragraph,
    Placeholder,
    Run,
    Strong,
    Table,
    Text,
    UnknownNode,
    kept_from,
)
from . import style


def run_html(r: Run) -> Markup:
    if isinstance(r, Text):
        return escape(r.text)
    if isinstance(r, Strong):
        return Markup("<strong>{}</strong>").format(r.text)
    if isinstance(r, Placeholder):
        return Markup('<span class="placeholder">{}</span>').format(r.text)
    raise UnknownNode(f"HTML writer: no rendering for run {type(r).__name__}")


def heading_html(h: Heading, cls: str = "") -> Markup:
    tag = f"h{h.level}"
    attrs = Markup(' id="{}"').format(h.id) if h.id else Markup("")
    if cls:
        attrs += Markup(' class="{}"').format(cls)
    if h.tighten:
        attrs += Markup(' style="letter-spacing: {}em"').format(h.tighten)
    return Markup("<{}{}>{}</{}>").format(Markup(tag), attrs, h.text, Markup(tag))


def paragraph_html(p: Paragraph) -> Markup:
    cls = Markup(' class="{}"').format(p.role) if p.role != "body" else Markup("")
    return Markup("<p{}>{}</p>").format(cls, Markup("").join(run_html(r) for r in p.runs))


def cell_html(c: Cell, tag: str) -> Markup:
    attrs = Markup("")
    role = " ".join(w for w in c.role.split() if w != "head")
    if role:
        attrs += Markup(' class="{}"').format(role)
    if c.colspan > 1:
        attrs += Markup(' colspan="{}"').format(c.colspan)
    if c.rowspan > 1:
        attrs += Markup(' rowspan="{}"').format(c.rowspan)
    return Markup("<{}{}>{}</{}>").format(Markup(tag), attrs, c.text, Markup(tag))


def rows_html(rows, tag: str) -> Markup:
    return Markup("\n").join(Markup("<tr>{}</tr>").format(Markup("").join(cell_html(c, tag) for c in row))
                             for row in rows)


def table_html(t: Table) -> Markup:
    out = [Markup('<div class="table-block">')]
    if t.title:
        out.append(heading_html(t.title, "table-title"))
    if t.label:
        out.append(Markup('<p class="table-label">{}</p>').format(t.label))
    if any(t.meta):
        out.append(Markup('<p class="table-meta"><span class="left">{}</span><span class="right">{}</span></p>')
                   .format(*t.meta))
    size = t.size or style.table_size(t.orientation)
    cols = Markup("").join(Markup('<col style="width: {}%">').format(w) for w in t.widths)
    # The last rows form their own group that never splits: a total never stands alone.
    body = t.body
    if t.empty_note:  # the 空表说明 as a last row across the table, as the DOCX prints it
        body = (*body, (Cell(t.empty_note, "text empty", colspan=t.ncols),))
    start = kept_from(body, t.keep_last)
    head, tail = body[:start], body[start:]
    bodies = Markup("")
    if head:
        bodies += Markup("<tbody>\n{}\n</tbody>").format(rows_html(head, "td"))
    if tail:
        bodies += Markup('<tbody class="keep">\n{}\n</tbody>').format(rows_html(tail, "td"))
    out.append(Markup('<div class="table-scroll"><table class="data {}" style="font-size: {}pt; '
                      'line-height: {}pt">\n<colgroup>{}</colgroup>\n<thead>\n{}\n</thead>\n{}\n</table></div>')
               .format(t.id, size, round(size * style.TABLE_LINE, 2), cols, rows_html(t.head, "th"), bodies))
    for i, n in enumerate(t.notes):
        out.append(Markup('<p class="note">{}{}</p>').format("注：" if i == 0 else "", n))
    out.append(Markup("</div>"))
    return Markup("\n").join(out)


def figure_html(f: Figure, src: Callable[[Figure], str]) -> Markup:
    return Markup('<figure class="chart" id="fig{}"><img src="{}" alt="{}"><figcaption>{}</figcaption></figure>'
                  ).format(f.slot, src(f), f.caption, f.caption)


def block_html(b: Block, src: Callable[[Figure], str]) -> Markup:
    if isinstance(b, Heading):
        return heading_html(b)
    if isinstance(b, Paragraph):
        return paragraph_html(b)
    if isinstance(b, Table):
        return table_html(b)
    if isinstance(b, Figure):
        return figure_html(b, src)
    raise UnknownNode(f"HTML writer: no rendering for block {type(b).__name__}")


def inline_svg(charts: Path | None) -> Callable[[Figure], str]:
    """Charts as data: URIs, so the HTML is one file; relative paths when not yet drawn."""
    def src(f: Figure) -> str:
        path = charts / f.svg if charts is not None else None
        if path is None or not path.exists():
            return f.svg
        return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return src


def render_html(doc: Document, kind: str = "juesuan", charts: Path | None = None) -> str:
    """`charts` is the folder the chart files were written to (their paths are relative to it)."""
    src = inline_svg(charts)
    return environment(kind).get_template("document.html.j2").render(
        doc=doc, version=__version__, st=style, block=lambda b: block_html(b, src))


def phrase(comparison: Comparison | None, words: Words, kind: str = "juesuan") -> str:
    """The template's wording of one comparison, e.g. 增加1,404.72万元，增长561.91%."""
    macros = environment(kind).get_template("macros.html.j2").module
    return str(macros.delta(comparison, words)).strip()
