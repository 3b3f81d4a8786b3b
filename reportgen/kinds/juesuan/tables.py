"""The 决算 tables as tree Table nodes: header grids, bodies by table shape, widths, notes."""

from __future__ import annotations

from typing import Any

from ...model import (
    EconomicTable,
    LineRow,
    ListTable,
    PairedTable,
    Settings,
    SingleRowTable,
    SubjectTable,
    Value,
)
from ...money import format_amount
from ...tree import Cell, Heading, Table
from ...widths import fit_widths
from ...workbook import note_text
from .headers import table_head
from .layouts import TableLayout


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


def table_node(layout: TableLayout, table: object, settings: Settings, heading: str, empty_words: str) -> Table:
    """One 公开 table: its header grid, its body by shape, its 注 and the empty-table note."""
    f = Formatter(settings)
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
