"""The Disclosure as a document: outline, headings and printed table grids, every figure a string.

Numbers are formatted here, once; templates only place them. The PDF, DOCX and HTML all come
from the one HTML document these views render into.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .headers import HeadCell, table_head, width
from .layouts import LAYOUTS, TableLayout, cn_ordinal
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
from .narrative import Narrative, build_narrative
from .workbook import note_text


@dataclass
class Cell:
    text: str
    cls: str = ""
    colspan: int = 1


@dataclass
class TableView:
    id: str
    number: int
    label: str
    title: str
    meta_left: str
    meta_right: str
    head: list[list[HeadCell]]
    body: list[list[Cell]]
    widths: list[int]  # relative column widths, summing to 100
    notes: list[str]
    landscape: bool
    heading: str = ""  # the numbered 目录 entry


@dataclass
class Section:
    id: str
    heading: str  # with its number, as printed and as listed in the 目录
    paragraphs: list[str] = field(default_factory=list)
    placeholder: str = ""


@dataclass
class Part:
    id: str
    heading: str
    kind: str  # overview | tables | narrative | glossary
    sections: list[Section] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    narrative: list[tuple[str, str, str]] = field(default_factory=list)  # (key, heading, id)


@dataclass
class DocumentView:
    title: str
    cover_name: str
    cover_kind: str
    year: int
    parts: list[Part]
    settings: Settings
    narrative: Narrative
    glossary: list[tuple[str, str]]
    draft: bool = False
    findings: list = field(default_factory=list)  # checks.Finding, for a draft's 审核意见
    published: str = ""  # 公开时间, printed on the cover when given

    @property
    def watermark(self) -> str:
        return self.narrative.profile.watermark

    def sub(self, n: int, text: str) -> str:
        """Third-level heading: （一） in 第一部分 style, 1. in 一、 style."""
        if self.settings.headings == "第一部分":
            return f"（{cn_ordinal(n)}）{text}"
        return f"{n}. {text}"

    def glossary_label(self, n: int) -> str:
        return f"{cn_ordinal(n)}、" if self.settings.headings == "第一部分" else f"（{cn_ordinal(n)}）"


NARRATIVE_SECTIONS = (
    ("total", "收入支出决算总体情况说明"),
    ("income", "收入决算情况说明"),
    ("spending", "支出决算情况说明"),
    ("fiscal", "财政拨款收入支出决算总体情况说明"),
    ("gpb", "一般公共预算财政拨款支出决算情况说明"),
    ("basic", "一般公共预算财政拨款基本支出决算情况说明"),
    ("sangong", "一般公共预算财政拨款“三公”经费支出决算情况说明"),
    ("fund", "政府性基金预算财政拨款收入支出决算情况说明"),
    ("capital", "国有资本经营预算财政拨款支出决算情况说明"),
    ("other", "其他重要事项情况说明"),
    ("performance", "预算绩效情况说明"),
)


def narrative_sections(s: Settings, style: str) -> list[tuple[str, str, str]]:
    order = list(NARRATIVE_SECTIONS)
    if style == "shenzhen":  # 000 puts 绩效 (十) before 其他重要事项 (十一)
        order[9], order[10] = (order[10][0], f"{s.year}年度{order[10][1]}"), order[9]
    return [(key, section_heading(s, i, text), f"s3-{i}") for i, (key, text) in enumerate(order, 1)]


def part_heading(settings: Settings, n: int, text: str) -> str:
    if settings.headings == "第一部分":
        return f"第{cn_ordinal(n)}部分 {text}"
    return f"{cn_ordinal(n)}、{text}"


def section_heading(settings: Settings, n: int, text: str) -> str:
    if settings.headings == "第一部分":
        return f"{cn_ordinal(n)}、{text}"
    return f"（{cn_ordinal(n)}）{text}"


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


WIDTHS = {
    "t01": [32, 6, 12, 32, 6, 12],
    "t04": [21, 5, 9, 22, 5, 9, 10, 10, 9],
    "t06": [7, 17, 8, 7, 17, 8, 7, 21, 8],
    "t07": [100 // 12] * 12,
}


def table_widths(layout: TableLayout, ncols: int) -> list[int]:
    if layout.id in WIDTHS and len(WIDTHS[layout.id]) == ncols:
        return WIDTHS[layout.id]
    if layout.shape == "subject":
        n = ncols - 2
        amount = max(10, 60 // n)
        return [10, 100 - 10 - amount * n] + [amount] * n
    if layout.shape == "list":
        return [40] + [60 // (ncols - 1)] * (ncols - 1)
    return [100 // ncols] * ncols


def table_view(layout: TableLayout, table: object, settings: Settings) -> TableView:
    f = Formatter(settings)
    empty = False
    if isinstance(table, PairedTable):
        head = table_head(layout.id, settings)
        body = paired_body(table, f, 1 if layout.id == "t01" else 4)
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
    unit_word = "单位" if settings.who == "单位" else "部门"
    money = "金额单位" if settings.who == "单位" else "单位"
    return TableView(
        id=layout.id,
        number=layout.number,
        label=layout.label,
        title=layout.title,
        meta_left=f"{unit_word}：{settings.unit_name}",
        meta_right=f"{money}：万元",
        head=head,
        body=body,
        widths=table_widths(layout, width(head)),
        notes=note.split("\n") if note else [],
        landscape=layout.landscape,
    )


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def build_document(d: Disclosure, narrative: Narrative | None = None, *, draft: bool = False,
                   findings: list | None = None) -> DocumentView:
    s = d.settings
    n = narrative or build_narrative(d)
    name, year, who = s.unit_name, s.year, s.who
    kind = f"{who}决算"
    placeholder = "【待补充：{}】"

    overview_sections = []
    for i, (key, title) in enumerate((("职责", f"{who}职责"), ("机构设置", "机构设置")), 1):
        text = d.snippets.get(key, "")
        if not text:
            n.need(key, f"「文字」表 键「{key}」：{title}")
        overview_sections.append(Section(
            f"s1-{i}", section_heading(s, i, title), paragraphs(text),
            "" if text else placeholder.format(f"{title}（「文字」表「{key}」）"),
        ))
    head_name = "" if s.headings == "第一部分" else name
    tables = [table_view(layout, d.tables[tid], s)
              for tid, layout in LAYOUTS.items() if tid in d.tables]
    for i, t in enumerate(tables, 1):
        t.heading = section_heading(s, i, t.title)
    sections3 = narrative_sections(s, n.profile.style)
    parts = [
        Part("part1", part_heading(s, 1, f"{head_name}{who}概况" if head_name else f"{who}概况"),
             "overview", sections=overview_sections),
        Part("part2", part_heading(s, 2, f"{head_name}{year}年度{kind}表"), "tables", tables=tables),
        Part("part3", part_heading(s, 3, f"{head_name}{year}年度{kind}情况说明"), "narrative",
             sections=[Section(sid, heading) for _, heading, sid in sections3], narrative=sections3),
        Part("part4", part_heading(s, 4, "名词解释"), "glossary"),
    ]
    return DocumentView(
        title=f"{name}{year}年度{kind}",
        cover_name=name,
        cover_kind=kind,
        year=year,
        parts=parts,
        settings=s,
        narrative=n,
        glossary=n.glossary,
        draft=draft,
        findings=[f for f in findings or [] if f.severity != "info"],
        published=s.published,
    )
