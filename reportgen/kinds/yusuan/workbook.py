"""Write a 部门预算 (Budget) as its workbook: 单位信息, 文字, 项目说明, 预算情况, then 表1–表11.

The table sheets carry the header trees of layouts.py as merged cells, so the workbook looks like
the published tables; 表1/表6 add a 科目编码 column of their own (the published tables print names
only) so that every expenditure row has its code. `init` and data/make_samples.py both write this.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...model import Settings, Value
from ...settings import SETTINGS, SETTINGS_SHEET, SNIPPETS_SHEET, settings_rows
from ...workbook import save_atomically
from .inputs import FACT_KEYS, FACT_SHEET, PROJECT_COLUMNS, PROJECT_HELP, PROJECT_SHEET, SNIPPETS, TEXT_FACTS
from .layouts import TABLES, YusuanTable
from .model import PAIRED_COLUMN, Budget, BudgetTable, Row
from .sheets import (
    EXPENDITURE_TOTALS,
    INCOME_LINES,
    INCOME_TOTALS,
    T06_INCOME,
    T11_DEPARTMENT,
    T11_GOALS,
    T11_INDICATOR_HEAD,
    T11_INDICATORS,
    T11_NAME,
    T11_TOTAL,
    columns_of,
    head_cells,
    strip_ordinal,
)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")
INTEGER_FORMAT = "#,##0"
CENT_FORMAT = "#,##0.00"
# The 科目 rows a blank workbook shows as a pattern to follow (codes of the 2020 catalog).
EXAMPLE_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"), ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("210", "卫生健康支出"), ("21015", "医疗保障管理事务"), ("2101501", "行政运行"),
    ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金"),
)
EXAMPLE_ECONOMIC: tuple[tuple[str, str], ...] = (
    ("301", "工资福利支出"), ("302", "商品和服务支出"), ("303", "对个人和家庭的补助"))
def _number(v: Value | None) -> Decimal | int | None:
    if v is None:
        return None
    # Whole amounts as int, so the cell holds 256890 rather than 256890.00's float.
    return int(v.amount) if v.amount == v.amount.to_integral_value() else v.amount


class TableWriter:
    """One 表N sheet: title, 部门名称 / 单位 line, merged header, data rows."""

    def __init__(self, ws: Worksheet, layout: YusuanTable, d: Budget):
        self.ws, self.layout, self.d = ws, layout, d
        self.fmt = CENT_FORMAT if layout.precision < 1 else INTEGER_FORMAT
        self.cells, self.depth, self.ncols = head_cells(columns_of(layout.id), d.settings.year)
        self.row = 1

    def text(self, r: int, c: int, text: object, *, bold: bool = False, align: Alignment | None = None) -> None:
        cell = self.ws.cell(r, c, text if text != "" else None)
        cell.border = BOX
        if bold:
            cell.font = Font(bold=True)
        if align is not None:
            cell.alignment = align

    def amount(self, r: int, c: int, v: Value | None) -> None:
        cell = self.ws.cell(r, c, _number(v))
        cell.border = BOX
        cell.number_format = self.fmt

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if r2 > r1 or c2 > c1:
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def preamble(self) -> None:
        ws = self.ws
        ws.cell(1, 1, self.layout.title).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        self.merge(1, 1, 1, self.ncols)
        if self.layout.id == "t11":
            ws.cell(2, 1, f"（{self.d.settings.year}年度）").alignment = Alignment(horizontal="center")
            self.merge(2, 1, 2, self.ncols)
            self.text(3, 1, T11_NAME, bold=True)
            self.text(3, 2, self.d.settings.unit_name)
            self.text(3, 3, T11_DEPARTMENT, bold=True)
            self.text(3, 4, self.d.settings.competent)
            self.merge(3, 4, 3, self.ncols)
        else:
            ws.cell(2, 1, f"部门名称：{self.d.settings.unit_name}")
            ws.cell(2, self.ncols, "单位：万元").alignment = Alignment(horizontal="right")
        self.row = 4

    def head(self) -> None:
        for h in self.cells:
            r, c = self.row + h.row, 1 + h.col
            self.text(r, c, h.label, bold=True, align=CENTER)
            self.merge(r, c, r + h.rowspan - 1, c + h.colspan - 1)
        self.row += self.depth

    def line(self, texts: list[str], row: Row, keys: list[str], *, bold: bool = False) -> None:
        """A data row: the leading text cells, then the amounts in `keys` order."""
        for i, t in enumerate(texts, 1):
            self.text(self.row, i, t, bold=bold)
        for j, key in enumerate(keys, len(texts) + 1):
            self.amount(self.row, j, row.values.get(key))
        self.row += 1

    def note(self) -> None:
        if self.layout.note:
            for part in self.layout.note.split("\n"):
                self.ws.cell(self.row + 1, 1, part)
                self.row += 1

    def widths(self, widths: list[float]) -> None:
        for i in range(self.ncols):
            w = widths[i] if i < len(widths) else widths[-1]
            self.ws.column_dimensions[get_column_letter(i + 1)].width = w


def _split(rows: list[Row], totals: tuple[str, ...]) -> tuple[list[Row], list[Row]]:
    body = [r for r in rows if r.key not in totals]
    return body, [r for r in rows if r.key in totals]


def write_paired(w: TableWriter, t: BudgetTable) -> None:
    inc_body, inc_tail = _split(t.income, INCOME_TOTALS)
    exp_body, exp_tail = _split(t.expenditure, tuple(k for k, _ in EXPENDITURE_TOTALS))
    n = max(len(inc_body), len(exp_body))
    # The totals of both sides share the last lines, as the published table prints them.
    inc = inc_body + [None] * (n - len(inc_body)) + inc_tail
    exp = exp_body + [None] * (n - len(exp_body)) + exp_tail
    inc += [None] * (len(exp) - len(inc))
    exp += [None] * (len(inc) - len(exp))
    for a, b in zip(inc, exp, strict=True):
        r = w.row
        if a is not None:
            w.text(r, 1, a.label, bold=a.level == 0)
            w.amount(r, 2, a.values.get(PAIRED_COLUMN))
        else:
            w.text(r, 1, "")
            w.text(r, 2, "")
        if b is not None:
            w.text(r, 3, b.code)
            w.text(r, 4, b.label, bold=not b.code)
            w.amount(r, 5, b.values.get(PAIRED_COLUMN))
        else:
            for c in (3, 4, 5):
                w.text(r, c, "")
        w.row += 1
    w.widths([30, 14, 12, 36, 14])


def write_table(w: TableWriter, t: BudgetTable) -> None:
    """Every shape but paired and tasks: text columns first, then the layout's amount keys."""
    keys = w.layout.keys()
    tid = w.layout.id
    first = w.row
    for row in t.rows:
        if tid in ("t07", "t09", "t10"):
            texts = [row.label, "", ""] if row.key == "total" else ["", row.code, row.label]
        elif tid == "t04":
            texts = [row.code, row.label]
        elif tid == "t08":
            texts = [w.d.settings.unit_name, row.label]
        else:
            texts = [row.label]
        w.line(texts, row, keys, bold=row.key == "total")
    if tid == "t08" and w.row - 1 > first:
        w.merge(first, 1, w.row - 1, 1)  # one 预算单位 cell for the three lines, as printed
    widths = {"t04": [14, 40, 16], "t07": [28, 12, 36, 14], "t09": [28, 12, 36, 14], "t10": [28, 12, 36, 14],
              "t08": [28, 10, 12], "t05": [36, 12]}
    w.widths(widths.get(tid, [28, 12]))


def write_tasks(w: TableWriter, t: BudgetTable) -> None:
    keys = w.layout.keys()
    for row in t.rows:
        label = T11_TOTAL if row.key == "total" else row.label
        w.line([label, row.text], row, keys, bold=row.key == "total")
    start = w.row
    for goal in t.goals:
        w.text(w.row, 1, T11_GOALS, bold=True)
        w.text(w.row, 2, goal, align=WRAP)
        w.merge(w.row, 2, w.row, w.ncols)
        w.row += 1
    if w.row - 1 > start:
        w.merge(start, 1, w.row - 1, 1)
    start = w.row
    for texts in [list(T11_INDICATOR_HEAD)] + [[i.level1, i.level2, i.level3, i.target] for i in t.indicators]:
        w.text(w.row, 1, T11_INDICATORS, bold=True)
        for c, text in enumerate(texts, 2):
            w.text(w.row, c, text, bold=w.row == start)
        w.row += 1
    w.merge(start, 1, w.row - 1, 1)
    w.widths([30, 50, 14])


def write_tables(wb: Workbook, d: Budget) -> None:
    for tid, layout in TABLES.items():
        table = d.tables.get(tid)
        if table is None:
            continue
        w = TableWriter(wb.create_sheet(layout.label), layout, d)
        w.preamble()
        w.head()
        {"paired": write_paired, "tasks": write_tasks}.get(layout.shape, write_table)(w, table)
        w.note()


def _settings_rows(settings: Settings, only: set[str] | None) -> list[tuple[str, str, str]]:
    """单位信息 rows exactly as the 决算 writes them. Until reportgen.settings accepts 预算 as a
    文档类型, the row is left blank (the reader sets the kind) rather than failing."""
    kind = next(s for s in SETTINGS if s.attr == "kind")
    if kind.choices is not None and settings.kind not in kind.choices.values():
        from dataclasses import replace

        rows = settings_rows(replace(settings, kind="决算"), only)
        return [(k, "" if k == kind.key else v, h) for k, v, h in rows]
    return settings_rows(settings, only)


def _amount(v: Value | None) -> Decimal | int | None:
    return _number(v)


def build_budget(d: Budget, only: set[str] | None = None, needs: dict | None = None) -> Workbook:
    """The workbook of a Budget. `needs` (sheet.key → sections) notes where a 预算情况 row is used."""
    wb = Workbook()
    info = wb.active
    info.title = SETTINGS_SHEET
    info.append(["项目", "内容", "说明"])
    for row in _settings_rows(d.settings, only):
        info.append(list(row))
    for col, width in zip("ABC", (18, 40, 60), strict=True):
        info.column_dimensions[col].width = width
    text = wb.create_sheet(SNIPPETS_SHEET)
    text.append(["键", "内容", "说明"])
    helps = dict(SNIPPETS)
    for key in dict.fromkeys([*helps, *d.snippets]):
        text.append([key, d.snippets.get(key, ""), helps.get(key, "")])
        text.cell(text.max_row, 2).alignment = WRAP
    text.column_dimensions["A"].width = 22
    text.column_dimensions["B"].width = 100
    ws = wb.create_sheet(PROJECT_SHEET)
    ws.append(list(PROJECT_COLUMNS))
    for c, help_text in enumerate(PROJECT_HELP, 1):
        # Help as a comment, not a row: a help row would read as a project.
        ws.cell(1, c).comment = Comment(help_text, "reportgen", width=240, height=60)
        ws.cell(1, c).font = Font(bold=True)
    for p in d.projects:
        ws.append([p.name, _amount(p.prior), _amount(p.addition), p.basis, p.reason, p.target,
                   "是" if p.key else ""])
        for c in (4, 5, 6):
            ws.cell(ws.max_row, c).alignment = WRAP
    for i, width in enumerate((36, 12, 12, 80, 40, 60, 10), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws = wb.create_sheet(FACT_SHEET)
    ws.append(["项目", "数值", "单位", "说明"])
    for key, unit, help_text in FACT_KEYS:
        why = "、".join((needs or {}).get(f"{FACT_SHEET}.{key}", []))
        ws.append([key, _amount(d.facts.get(key)), unit, f"{help_text}；用于：{why}" if why else help_text])
    for key, help_text in TEXT_FACTS:
        ws.append([key, d.fact_texts.get(key) or None, "", help_text])
    for i, width in enumerate((22, 16, 10, 60), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    write_tables(wb, d)
    return wb


def save_budget(d: Budget, path: Path, only: set[str] | None = None, needs: dict | None = None) -> None:
    """Write atomically (as the 决算 workbook). `only` names the settings to write (the rest stay
    blank for the profile to fill)."""
    save_atomically(build_budget(d, only, needs), path)


# -- a blank budget, for `reportgen init` ------------------------------------------------------


def _row(key: str, label: str, keys: list[str], **kw: object) -> Row:
    return Row(key, label, dict.fromkeys(keys), **kw)  # type: ignore[arg-type]


def _subject_rows(keys: list[str], ordinals: bool) -> list[Row]:
    rows, n = [], 0
    for code, name in EXAMPLE_SUBJECTS:
        level = {3: 1, 5: 2, 7: 3}[len(code)]
        if level == 1 and ordinals:
            name = "一二三四五六七八九十"[n] + "、" + name
            n += 1
        rows.append(_row(code, name, keys, code=code, level=level))
    return rows


def blank_budget(settings: Settings) -> Budget:
    """Every fixed row of the eleven tables and a few example 科目 rows, all amounts blank."""
    year = settings.year
    unit = settings.unit_name
    col = [PAIRED_COLUMN]
    tables: dict[str, BudgetTable] = {}
    for tid, layout in TABLES.items():
        keys = layout.keys()
        t = BudgetTable(tid)
        if layout.shape == "paired":
            lines = INCOME_LINES if tid == "t01" else [x for x in INCOME_LINES if x[0] in T06_INCOME]
            t.income = [_row(k, lab if tid == "t01" else strip_ordinal(lab), col, level=lv) for k, lab, lv in lines]
            t.expenditure = _subject_rows(col, True) + [_row(k, lab, col) for k, lab in EXPENDITURE_TOTALS]
        elif tid in ("t02", "t03"):
            t.rows = [_row("unit", unit, keys)]
        elif tid == "t04":
            t.rows = [_row("total", "合计", keys)] + [_row(c, n, keys, code=c) for c, n in EXAMPLE_ECONOMIC]
        elif tid == "t05":
            t.rows = [_row("total", "合计", keys)]
        elif tid == "t07":
            t.rows = [_row("total", unit, keys), *_subject_rows(keys, False)]
        elif tid in ("t09", "t10"):
            t.rows = [_row("total", unit, keys)]
        elif tid == "t08":
            t.rows = [_row("prior", f"{year - 1}年", keys), _row("current", f"{year}年", keys),
                      _row("change", "增减变化金额", keys)]
        elif tid == "t11":
            t.rows = [_row("k1", "基本支出", keys, text="主要用于人员、公用及对个人和家庭补助支出等"),
                      _row("total", T11_TOTAL, keys)]
        tables[tid] = t
    return Budget(settings, dict(tables), {})
