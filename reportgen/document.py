"""The Disclosure as a document tree (reportgen.tree): outline, headings, tables, every figure a string.

Numbers are formatted here, once. Section words come from the Jinja templates (reportgen.sections);
the HTML, PDF and DOCX writers all walk the tree this module builds.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .attachments import attachment_sheets
from .kinds import Kind, get_kind
from .model import (
    Disclosure,
    EconomicTable,
    LineRow,
    ListTable,
    PairedTable,
    Settings,
    SingleRowTable,
    SubjectTable,
    Value,
)
from .money import format_amount
from .render import style
from .sections import glossary_blocks, narrative_blocks, numbering_for, review_part
from .tree import Cell, Cover, Document, Heading, Paragraph, Part, Placeholder, Sheet, Table, Text, TocEntry
from .widths import PT_PER_MM, fit_widths, tighten


def narrative_sections(s: Settings, sections: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """(key, numbered heading, anchor) of each 情况说明 section the profile (or the kind) lists."""
    return [(key, section_heading(s, i, text.format(year=s.year)), f"s3-{i}")
            for i, (key, text) in enumerate(sections, 1)]


def part_heading(settings: Settings, n: int, text: str) -> str:
    return numbering_for(settings).label("part", n) + text


def section_heading(settings: Settings, n: int, text: str) -> str:
    return numbering_for(settings).label("section", n) + text


class Formatter:
    def __init__(self, settings: Settings):
        self.settings = settings

    def amount(self, v: Value) -> Cell:
        return Cell(format_amount(v.amount, zero=self.settings.zero,
                                  money_unit=self.settings.money_unit), "num")


def paired_body(table: PairedTable, f: Formatter, right_cols: int) -> list[list[Cell]]:
    strong = {"income_total", "expenditure_total", "grand_total"}
    body = []
    for i in range(max(len(table.income), len(table.expenditure))):
        row: list[Cell] = []
        for side, n in ((table.income, 1), (table.expenditure, right_cols)):
            line = side[i] if i < len(side) else LineRow(None, "", None, [])
            cls = "label total" if line.key in strong else "label"
            row.append(Cell(line.label, cls))
            row.append(Cell("" if line.line is None else str(line.line), "line"))
            if line.key is None:
                row += [Cell("", "num") for _ in range(n)]
            else:
                row += [f.amount(v) for v in line.values]
        body.append(row)
    return body


def subject_body(table: SubjectTable, f: Formatter) -> list[list[Cell]]:
    body = [[Cell("合计", "label total", colspan=2), *(f.amount(v) for v in table.total)]]
    for row in table.nonzero_rows():
        body.append([Cell(row.code, f"code level{row.level}"),
                     Cell(row.name, f"label level{row.level}"),
                     *(f.amount(v) for v in row.values)])
    return body


def economic_body(table: EconomicTable, f: Formatter) -> list[list[Cell]]:
    body = []
    for i in range(max(len(g) for g in table.groups)):
        row: list[Cell] = []
        for group in table.groups:
            if i < len(group):
                e = group[i]
                level = "level1" if len(e.code) == 3 else "level2"
                row += [Cell(e.code, f"code {level}"), Cell(e.name, f"label {level}"),
                        f.amount(e.value)]
            else:
                row += [Cell("", "code"), Cell("", "label"), Cell("", "num")]
        body.append(row)
    ncols = 3 * len(table.groups)
    body.append([Cell("人员经费合计", "label total", colspan=2), f.amount(table.personnel_total),
                 Cell("公用经费合计", "label total", colspan=ncols - 4),
                 f.amount(table.public_total)])
    return body


def table_node(layout: Any, table: object, settings: Settings, heading: str,
               empty_words: str, kind: Kind) -> Table:
    f = Formatter(settings)
    table_head, note_text = kind.head, kind.note
    empty = False
    if isinstance(table, PairedTable):
        head = table_head(layout.id, settings)
        body = paired_body(table, f, max((len(x.values) for x in table.expenditure), default=1))
    elif isinstance(table, SubjectTable):
        head = table_head(layout.id, settings)
        body = subject_body(table, f)
        empty = table.is_empty()
    elif isinstance(table, EconomicTable):
        head = table_head(layout.id, settings, super_header=table.super_header,
                          groups=len(table.groups))
        body = economic_body(table, f)
    elif isinstance(table, SingleRowTable):
        head = table_head(layout.id, settings)
        body = [[f.amount(v) for v in table.values]]
    else:
        assert isinstance(table, ListTable)
        head = table_head(layout.id, settings)
        body = [[Cell(r.label, "label"), *(f.amount(v) for v in r.values)] for r in table.rows]
    note = note_text(layout, settings, empty)
    # The empty-table note, unless the table's own 注 already says there is no data.
    said = empty and settings.table_notes and "empty_note" in layout.extra
    unit_word = "单位" if settings.who == "单位" else "部门"
    money = "金额单位" if settings.who == "单位" else "单位"
    head_rows = tuple(tuple(head_cell(c) for c in row) for row in head)
    body_rows = tuple(tuple(row) for row in body)
    orientation = "landscape" if layout.landscape else "portrait"
    widths, size = fit_widths(head_rows, body_rows, orientation)
    return Table(
        id=layout.id,
        head=head_rows,
        body=body_rows,
        widths=widths,
        orientation=orientation,
        size=size,
        title=Heading(2, heading, layout.id),
        label=layout.label,
        meta=(f"{unit_word}：{settings.unit_name}", f"{money}：万元"),
        notes=tuple(note.split("\n")) if note else (),
        empty_note=empty_words if empty and not said else "",
    )


def head_cell(c: Any) -> Cell:
    return Cell(c.text, "head", c.colspan, c.rowspan)


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
    tables = [table_node(layout, d.tables[tid], s, section_heading(s, i, layout.title), n.profile.empty_table, k)
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
            table_sheets = [Sheet((t,), t.orientation) for t in tables]
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
            sheets = (Sheet((h, *narrative_blocks(n, sections3, s))),)
        else:
            sheets = (Sheet((h, *glossary_blocks(n, s))),)
        parts.append(Part(pid, h, sheets, what))
    if draft:
        parts.append(review_part(n, [f for f in findings or [] if f.severity != "info"]))
    parts = [no_lone_characters(p, s.headings) for p in parts]
    cover_lines = [f"公开时间：{s.published}"] if s.published else []
    return Document(
        title=k.file_title(name, year, who),
        cover=Cover(f"{year}年度", (name, kind_words), tuple(cover_lines),
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
