"""The Disclosure as a document tree (reportgen.tree): outline, headings, tables, every figure a string.

Numbers are formatted here, once. Section words come from the Jinja templates (reportgen.sections);
the HTML, PDF and DOCX writers all walk the tree this module builds.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .attachments import attachment_sheets
from .kinds import Kind, get_kind
from .model import Disclosure, Settings
from .render import style
from .sections import glossary_blocks, narrative_blocks, numbering_for, review_part
from .tree import Cover, Document, Heading, Paragraph, Part, Placeholder, Sheet, Table, Text, TocEntry
from .widths import PT_PER_MM, tighten


def narrative_sections(s: Settings, sections: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """(key, numbered heading, anchor) of each 情况说明 section the profile (or the kind) lists."""
    return [(key, section_heading(s, i, text.format(year=s.year)), f"s3-{i}")
            for i, (key, text) in enumerate(sections, 1)]


def part_heading(settings: Settings, n: int, text: str) -> str:
    return numbering_for(settings).label("part", n) + text


def section_heading(settings: Settings, n: int, text: str) -> str:
    return numbering_for(settings).label("section", n) + text


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def build_document(d: Disclosure, narrative: Any = None, *, draft: bool = False,
                   findings: list | None = None, kind: Kind | None = None) -> Document:
    """The document tree of one disclosure: `narrative` is the kind's figures (kind.narrative)."""
    k = kind or get_kind()
    s = d.settings
    n = narrative or k.narrative(d)
    name, year, who = s.unit_name, s.year, s.who
    kind_words = f"{who}{k.title}"
    numbers = numbering_for(s)

    overview: list = []
    for i, (key, title) in enumerate((("职责", f"{who}职责"), ("机构设置", "机构设置")), 1):
        text = d.snippets.get(key, "")
        overview.append(Heading(2, section_heading(s, i, title), f"s1-{i}"))
        if text:
            overview += [Paragraph((Text(p),)) for p in paragraphs(text)]
        else:
            n.need(key, f"「文字」表 键「{key}」：{title}")
            overview.append(Paragraph((Placeholder(f"【待补充：{title}（「文字」表「{key}」）】"),),
                                      "placeholder"))
    head_name = name if numbers.named else ""
    tables = [k.table(layout, d.tables[tid], s, numbers.label("table", i) + layout.title, n.profile.empty_table)
              for i, (tid, layout) in enumerate(((t, lay) for t, lay in k.layouts.items() if t in d.tables), 1)]

    # The parts in the profile's (or the kind's) order, each with its heading; {named} is the
    # unit's name in 一、 style (where part headings carry it) and nothing in 第一部分 style.
    words = {"named": head_name, "unit": name, "who": who, "year": year, "kind": kind_words}
    outline = n.profile.parts or k.parts
    sections3 = narrative_sections(s, n.profile.sections or k.sections)
    parts = []
    for number, (what, text) in enumerate(outline, 1):
        pid = f"part{number}"
        h = Heading(1, part_heading(s, number, text.format(**words)), pid)
        if what == "overview":
            sheets: tuple[Sheet, ...] = (Sheet((h, *overview)),)
        elif what == "tables":
            # Each table on its own page in its own orientation. With a title page (第一部分 style,
            # as seed 001 prints it) the part opens alone; otherwise its heading heads the first table.
            # A kind may give a table as several (预算 表11: its tasks, then its indicators).
            table_sheets = [Sheet(t, t[0].orientation) if isinstance(t, tuple) else Sheet((t,), t.orientation)
                            for t in tables]
            if numbers.title_page or not table_sheets:
                table_sheets.insert(0, Sheet((h,), title_page=numbers.title_page))
            else:
                table_sheets[0] = Sheet((h, *table_sheets[0].blocks), table_sheets[0].orientation)
            sheets = tuple(table_sheets)
        elif what == "attachments":
            sheets = attachment_sheets(d, h)
            if not sheets:  # no 绩效-N sheets: no 附件, and no heading for it
                continue
        elif what == "narrative":
            sheets = (Sheet((h, *narrative_blocks(n, sections3, s, k.name))),)
        else:
            sheets = (Sheet((h, *glossary_blocks(n, s))),)
        parts.append(Part(pid, h, sheets, what))
    if draft:
        parts.append(review_part(n, [f for f in findings or [] if f.severity != "info"]))
    parts = [no_lone_characters(p, s.headings) for p in parts]
    cover_lines = [f"公开时间：{s.published}"] if s.published else []
    return Document(
        title=k.file_title(name, year, who),
        cover=Cover(k.cover_year.format(year=year), (name, kind_words), tuple(cover_lines),
                    f"{n.profile.watermark}：数据未经最终审核，不得公开" if draft else ""),
        toc_title="目　录",
        toc=tuple(toc_entries(parts)),
        parts=tuple(parts),
        headings=s.headings,
        watermark=n.profile.watermark if draft else "",
    )


def no_lone_characters(part: Part, headings: str) -> Part:
    """Headings whose last line would hold one character get a little less letter spacing."""
    def fit(h: Heading, orientation: str, centred: bool, size: float) -> Heading:
        line = style.PAGES[orientation].text_width * PT_PER_MM
        indent = 0 if centred else style.INDENT
        return replace(h, tighten=tighten(h.text, size, line, indent))

    sheets = []
    for sheet in part.sheets:
        blocks = []
        for b in sheet.blocks:
            if isinstance(b, Heading):
                centred = style.HEADINGS[headings][b.level][2]
                size = style.TITLE_PAGE["size"] if sheet.title_page and b.level == 1 else style.BODY
                b = fit(b, sheet.orientation, centred, size)
            elif isinstance(b, Table) and b.title:
                b = replace(b, title=fit(b.title, b.orientation, True, style.TITLE["size"]))
            blocks.append(b)
        sheets.append(replace(sheet, blocks=tuple(blocks)))
    opening = next((b for b in sheets[0].blocks if isinstance(b, Heading) and b.id == part.heading.id),
                   part.heading)
    return replace(part, heading=opening, sheets=tuple(sheets))


def toc_entries(parts: list[Part]) -> list[TocEntry]:
    """Parts and their sections and tables: every level-1/2 heading with an anchor."""
    out = []
    for p in parts:
        for sheet in p.sheets:
            for b in sheet.blocks:
                heading = b.title if isinstance(b, Table) else b
                if isinstance(heading, Heading) and heading.id and heading.toc and heading.level <= 2:
                    out.append(TocEntry(heading.level, heading.text, heading.id))
    return out
