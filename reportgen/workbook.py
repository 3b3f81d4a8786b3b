"""Write a Disclosure as a workbook in the official layout (what `init` and the samples use).

The same header grids the renderer prints are merged here, so a person typing by hand and a
person pasting the 决算 software's export fill in the same format.
"""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .kinds.juesuan.headers import HeadCell, table_head, width
from .kinds.juesuan.layouts import ECONOMIC_2020, LAYOUTS, TableLayout, classes_for, sides
from .model import (
    Disclosure,
    EconomicRow,
    EconomicTable,
    LineRow,
    ListTable,
    PairedTable,
    Settings,
    SingleRowTable,
    SubjectRow,
    SubjectTable,
    Value,
)
from .performance.inputs import write_performance
from .settings import SETTINGS_SHEET, SNIPPETS, SNIPPETS_SHEET, settings_rows
from .supplement import (
    BUDGET_COLUMNS,
    BUDGET_SHEET,
    FACT_KEYS,
    FACT_SHEET,
    GLOSSARY_SHEET,
    GPB_TOTAL,
    KEY_EVALUATION_COLUMNS,
    KEY_EVALUATION_SHEET,
    PRIOR_KEYS,
    PRIOR_SHEET,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    BudgetRow,
)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
AMOUNT_FORMAT = "#,##0.00"


class SheetWriter:
    def __init__(self, ws: Worksheet, settings: Settings):
        self.ws = ws
        self.settings = settings
        self.row = 1

    def amount(self, r: int, c: int, value: Value) -> None:
        cell = self.ws.cell(r, c)
        if value.amount != 0 or self.settings.zero == "0.00":
            cell.value = value.amount
            cell.number_format = AMOUNT_FORMAT
        cell.border = BOX

    def text(self, r: int, c: int, text: object, *, bold: bool = False,
             align: Alignment | None = None, border: bool = True) -> None:
        cell = self.ws.cell(r, c, text if text != "" else None)
        if bold:
            cell.font = Font(bold=True)
        if align:
            cell.alignment = align
        if border:
            cell.border = BOX

    def preamble(self, layout: TableLayout, ncols: int) -> None:
        s = self.settings
        ws = self.ws
        ws.cell(self.row, 1, layout.title).font = Font(bold=True, size=14)
        ws.cell(self.row, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=ncols)
        ws.cell(self.row + 1, ncols, layout.label).alignment = Alignment(horizontal="right")
        who_line = f"{'单位' if s.who == '单位' else '部门'}：{s.unit_name}"
        money_line = f"{'金额单位' if s.who == '单位' else '单位'}：{s.money_unit}"
        ws.cell(self.row + 2, 1, who_line)
        ws.cell(self.row + 2, ncols, money_line).alignment = Alignment(horizontal="right")
        self.row += 3

    def head(self, head: list[list[HeadCell]]) -> None:
        taken: set[tuple[int, int]] = set()
        for i, cells in enumerate(head):
            r = self.row + i
            c = 1
            for cell in cells:
                while (r, c) in taken:
                    c += 1
                self.text(r, c, cell.text, bold=True, align=CENTER)
                if cell.colspan > 1 or cell.rowspan > 1:
                    self.ws.merge_cells(start_row=r, start_column=c,
                                        end_row=r + cell.rowspan - 1,
                                        end_column=c + cell.colspan - 1)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        self.row += len(head)

    def note(self, layout: TableLayout, ncols: int, empty: bool) -> None:
        text = note_text(layout, self.settings, empty)
        if text:
            self.ws.cell(self.row + 1, 1, "注：" + text.replace("\n", " "))
            self.row += 2

    def widths(self, widths: list[float]) -> None:
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w


# How the 公开07 note spells out each 三公预算口径.
SANGONG_NOTE = {"全年预算数": "全年预算数，反映按规定程序调整后的预算数"}


def note_text(layout: TableLayout, settings: Settings, empty: bool) -> str:
    """The 注 under a table, in the unit's wording; '' when notes are off."""
    if not settings.table_notes or not layout.note:
        return ""
    fmt = {"who": settings.who, "sangong_basis": SANGONG_NOTE.get(settings.sangong_basis, settings.sangong_basis)}
    text = layout.note.format(**fmt)
    extra = layout.extra.get("empty_note")
    if empty and extra:
        text = f"1. {text}\n2. {extra.format(**fmt)}"
    return text


def write_paired(w: SheetWriter, layout: TableLayout, table: PairedTable) -> None:
    head = table_head(layout.id, w.settings)
    ncols = width(head)
    w.preamble(layout, ncols)
    w.head(head)
    n_right = 1 if layout.id == "t01" else 4
    for i in range(max(len(table.income), len(table.expenditure))):
        r = w.row
        for side, c0, n in ((table.income, 1, 1), (table.expenditure, 4, n_right)):
            row = side[i] if i < len(side) else LineRow(None, "", None, [Value.zero()] * n)
            bold = row.key in ("income_total", "expenditure_total", "grand_total")
            w.text(r, c0, row.label, bold=bold)
            w.text(r, c0 + 1, row.line, align=Alignment(horizontal="center"))
            for j, v in enumerate(row.values):
                if row.key is None:
                    w.text(r, c0 + 2 + j, "")
                else:
                    w.amount(r, c0 + 2 + j, v)
        w.row += 1
    w.note(layout, ncols, False)
    w.widths([30, 6, 14, 30, 6] + [14] * n_right)


def write_subject(w: SheetWriter, layout: TableLayout, table: SubjectTable) -> None:
    head = table_head(layout.id, w.settings)
    ncols = width(head)
    w.preamble(layout, ncols)
    w.head(head)
    w.text(w.row, 1, "合计", align=CENTER)
    w.ws.merge_cells(start_row=w.row, start_column=1, end_row=w.row, end_column=2)
    for j, v in enumerate(table.total):
        w.amount(w.row, 3 + j, v)
    w.row += 1
    for row in table.rows:
        w.text(w.row, 1, row.code)
        w.text(w.row, 2, row.name)
        for j, v in enumerate(row.values):
            w.amount(w.row, 3 + j, v)
        w.row += 1
    w.note(layout, ncols, table.is_empty())
    w.widths([12, 34] + [14] * (ncols - 2))


def write_economic(w: SheetWriter, layout: TableLayout, table: EconomicTable) -> None:
    groups = len(table.groups)
    head = table_head(layout.id, w.settings, super_header=table.super_header, groups=groups)
    ncols = width(head)
    w.preamble(layout, ncols)
    w.head(head)
    height = max(len(g) for g in table.groups)
    for i in range(height):
        for gi, group in enumerate(table.groups):
            c = 1 + 3 * gi
            if i < len(group):
                w.text(w.row, c, group[i].code)
                w.text(w.row, c + 1, group[i].name)
                w.amount(w.row, c + 2, group[i].value)
            else:
                for k in range(3):
                    w.text(w.row, c + k, "")
        w.row += 1
    w.text(w.row, 1, "人员经费合计", align=CENTER)
    w.ws.merge_cells(start_row=w.row, start_column=1, end_row=w.row, end_column=2)
    w.amount(w.row, 3, table.personnel_total)
    w.text(w.row, 4, "公用经费合计", align=CENTER)
    w.ws.merge_cells(start_row=w.row, start_column=4, end_row=w.row, end_column=ncols - 1)
    w.amount(w.row, ncols, table.public_total)
    w.row += 1
    w.note(layout, ncols, False)
    w.widths([9, 24, 12] * groups)


def write_single(w: SheetWriter, layout: TableLayout, table: SingleRowTable) -> None:
    head = table_head(layout.id, w.settings)
    w.preamble(layout, 12)
    w.head(head)
    for j, v in enumerate(table.values):
        w.amount(w.row, 1 + j, v)
    w.row += 1
    w.note(layout, 12, False)
    w.widths([11] * 12)


def write_list(w: SheetWriter, layout: TableLayout, table: ListTable) -> None:
    head = table_head(layout.id, w.settings)
    ncols = width(head)
    w.preamble(layout, ncols)
    w.head(head)
    for row in table.rows:
        w.text(w.row, 1, row.label)
        for j, v in enumerate(row.values):
            w.amount(w.row, 2 + j, v)
        w.row += 1
    w.note(layout, ncols, False)
    w.widths([34] + [16] * (ncols - 1))


WRITERS = {
    "paired": write_paired,
    "subject": write_subject,
    "economic": write_economic,
    "single": write_single,
    "list": write_list,
}


def build_workbook(d: Disclosure, only: set[str] | None = None, needs: dict[str, list[str]] | None = None) -> Workbook:
    wb = Workbook()
    info = wb.active
    info.title = SETTINGS_SHEET
    info.append(["项目", "内容", "说明"])
    for key, value, help_text in settings_rows(d.settings, only):
        info.append([key, value, help_text])
    for col, w in zip("ABC", (18, 40, 60), strict=True):
        info.column_dimensions[col].width = w
    text = wb.create_sheet(SNIPPETS_SHEET)
    text.append(["键", "内容", "说明"])
    helps = dict(SNIPPETS)
    keys = list(dict.fromkeys([*helps, *d.snippets]))
    for key in keys:
        text.append([key, d.snippets.get(key, ""), helps.get(key, "")])
        text.cell(text.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    text.column_dimensions["A"].width = 16
    text.column_dimensions["B"].width = 100
    write_supplement(wb, d, needs)
    for tid, layout in LAYOUTS.items():
        table = d.tables.get(tid)
        if table is None:
            continue
        ws = wb.create_sheet(layout.label)
        WRITERS[layout.shape](SheetWriter(ws, d.settings), layout, table)
    return wb


def _amount(v: Value | None) -> Decimal | None:
    return None if v is None else v.amount


def write_supplement(wb: Workbook, d: Disclosure, needs: dict[str, list[str]] | None = None) -> None:
    """The 上年数, 预算数, 情况, 绩效项目, 绩效-N (one per project; a blank template when none) and
    名词解释 sheets. With `needs` (reportgen.needs) the 上年数 and 情况 rows are those the outline
    prints, each noting where; without, every key."""
    s = d.supplement

    def used(sheet: str, key: str, given: object) -> str | None:
        """Why the row is there: the sections that print it; None leaves out a blank row no
        section of the outline prints (`needs` None: every row, as before a profile is known)."""
        if needs is None:
            return ""
        if f"{sheet}.{key}" in needs:
            return "用于：" + "、".join(dict.fromkeys(needs[f"{sheet}.{key}"]))
        return "" if given is not None else None

    ws = wb.create_sheet(PRIOR_SHEET)
    ws.append(["项目", "上年决算数", "说明"])
    for key, path in PRIOR_KEYS:
        hint = "上年公开表中的数" if path else "上年「情况」表中的数"
        if (why := used(PRIOR_SHEET, key, s.prior.get(key))) is not None:
            ws.append([key, _amount(s.prior.get(key)), f"{hint}；{why}" if why else hint])
    ws = wb.create_sheet(BUDGET_SHEET)
    ws.append(["科目编码", "科目名称", *BUDGET_COLUMNS])
    rows = list(s.budgets.values()) or [BudgetRow(GPB_TOTAL, "一般公共预算财政拨款支出", {})] + [
        BudgetRow(code, name, {}) for code, name in EXAMPLE_SUBJECTS if len(code) == 7]
    for row in rows:
        ws.append([row.code, row.name, *(_amount(row.amounts.get(b)) for b in BUDGET_COLUMNS)])
    ws = wb.create_sheet(FACT_SHEET)
    ws.append(["项目", "数值", "单位", "说明"])
    for key, unit in FACT_KEYS:
        if (why := used(FACT_SHEET, key, s.facts.get(key))) is not None:
            ws.append([key, _amount(s.facts.get(key)), unit, why])
    ws = wb.create_sheet(PROJECT_SHEET)
    ws.append(list(PROJECT_COLUMNS))
    for p in s.projects:
        ws.append([p.name, _amount(p.budget), _amount(p.actual), p.score, p.grade, p.outcome, p.problems,
                   p.measures])
    write_performance(wb, s.performance)
    ws = wb.create_sheet(KEY_EVALUATION_SHEET)
    ws.append(list(KEY_EVALUATION_COLUMNS))
    for k in s.key_evaluations:
        ws.append([k.name, _amount(k.amount), _amount(k.score), k.grade, k.evaluator, k.conclusion])
    ws = wb.create_sheet(GLOSSARY_SHEET)
    ws.append(["名词或科目编码", "解释"])
    for term, text in s.glossary.items():
        ws.append([term, text])
    for name, widths in ((PRIOR_SHEET, (30, 16, 24)), (BUDGET_SHEET, (12, 34, 14, 14, 14)),
                         (FACT_SHEET, (26, 14, 10, 40)), (PROJECT_SHEET, (28, 12, 12, 10, 10, 50, 40, 40)),
                         (KEY_EVALUATION_SHEET, (28, 14, 10, 10, 20, 60)),
                         (GLOSSARY_SHEET, (40, 100))):
        for i, w in enumerate(widths):
            wb[name].column_dimensions[get_column_letter(i + 1)].width = w


def save_atomically(wb: Workbook, path: Path) -> None:
    """Write a temporary file beside the target, then rename: never a half-written workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_workbook(d: Disclosure, path: Path, only: set[str] | None = None,
                  needs: dict[str, list[str]] | None = None) -> None:
    """Write atomically. `only` names the settings to write (the rest stay blank for the profile
    to fill)."""
    save_atomically(build_workbook(d, only, needs), path)


# -- a blank disclosure, for `reportgen init` --------------------------------------------------

EXAMPLE_SUBJECTS = (
    ("208", "社会保障和就业支出"),
    ("20805", "行政事业单位养老支出"),
    ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("2080506", "机关事业单位职业年金缴费支出"),
    ("210", "卫生健康支出"),
    ("21011", "行政事业单位医疗"),
    ("2101101", "行政单位医疗"),
    ("221", "住房保障支出"),
    ("22102", "住房改革支出"),
    ("2210201", "住房公积金"),
)


def blank_disclosure(settings: Settings) -> Disclosure:
    """Every fixed row and header of the official layout, all amounts zero."""
    zero = Value.zero()

    def lines(spec, n):
        return [LineRow(s.key, s.label, s.line, [zero] * n) for s in spec]

    tables: dict = {}
    for tid, layout in LAYOUTS.items():
        if layout.shape == "paired":
            inc, exp = sides(tid, settings.year)
            tables[tid] = PairedTable(lines(inc, 1), lines(exp, 1 if tid == "t01" else 4))
        elif layout.shape == "subject":
            n = len(layout.columns)
            rows = [] if tid in ("t08", "t09") else [
                SubjectRow(code, name, [zero] * n) for code, name in EXAMPLE_SUBJECTS]
            tables[tid] = SubjectTable([zero] * n, rows)
        elif layout.shape == "economic":
            groups = [[EconomicRow(c, nm, zero) for c, nm in g] for g in ECONOMIC_2020]
            tables[tid] = EconomicTable(groups, zero, zero, super_header=True)
        elif layout.shape == "single":
            tables[tid] = SingleRowTable([zero] * 12)
    assert classes_for(settings.year)  # the year must map to a class list
    return Disclosure(settings, tables, {})

