"""PDF through WeasyPrint: PDF/A-3b, fonts embedded and subset, the inputs attached as Source.

The document and attachment dates are the document date (公开时间 or a date derived from the
year), never the clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from weasyprint import DEFAULT_OPTIONS, HTML, Attachment

from .font_subsets import compact_fonts

DESCRIPTIONS = {"workbook": "源工作簿（公开表及补充数据）", "prior": "上年工作簿", "catalog": "补充科目目录",
                "texts": "文字说明"}


def write_pdf(html: str, target: Path, base_url: str | None = None, *, when: datetime | None = None,
              attachments: list[tuple[Path, str]] | None = None) -> tuple[int, dict[str, int]]:
    """Write the PDF; return its page count and the page number (as printed) each anchor lands on."""
    # WeasyPrint logs every CSS property it ignores; users need none of that on their terminal.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    when = when or datetime(2000, 1, 1)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    # dcterms dates become the PDF's Info and XMP dates; without them PDF/A has none to show.
    html = html.replace("</head>", f'<meta name="dcterms.created" content="{iso}">\n'
                                   f'<meta name="dcterms.modified" content="{iso}">\n</head>', 1)
    files = [Attachment(filename=str(path), name=path.name, description=DESCRIPTIONS.get(role, role),
                        relationship="Source", created=when, modified=when)
             for path, role in attachments or []]
    document = HTML(string=html, base_url=base_url or str(Path.cwd()))
    # What HTML.write_pdf does, in two steps, so the rendered pages can be counted and located.
    options = {**DEFAULT_OPTIONS, "pdf_variant": "pdf/a-3b", "attachments": files}
    rendered = document.render(**options)
    # Compact CJK subsets (see font_subsets): the same glyphs and text, about half the bytes.
    rendered.write_pdf(target, finisher=compact_fonts, **options)
    return len(rendered.pages), anchor_pages(rendered)


def anchor_pages(document) -> dict[str, int]:
    """The printed page number of every anchor (counter(page) counts the cover too)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def page_numbers(html: str, base_url: str | None = None) -> dict[str, int]:
    """The PDF's pagination without writing a PDF: for a DOCX built alone, its 目录 numbers."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return anchor_pages(HTML(string=html, base_url=base_url or str(Path.cwd())).render())
