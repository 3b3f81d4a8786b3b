"""The 部门预算 tables as tree Table nodes: header grids from the layouts' header trees, bodies by shape.

Integer 万元 tables print whole numbers, 表8 two decimals; a blank cell stays blank and a zero
prints 0, as the published 预算 does.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from ...model import Settings, Value
from ...numbering import cn_ordinal
from ...shapes import strip_ordinal
from ...tree import Cell, Heading, Table
from ...widths import fit_widths
from .layouts import Header, YusuanTable
from .model import PAIRED_COLUMN, BudgetTable, Row


def amount_text(v: Value | None, precision: Decimal) -> str:
    """256,890 / 3.50 / 0; "" for a blank cell."""
    if v is None:
        return ""
    if v.amount == 0:
        return "0"
    q = v.amount.quantize(precision, ROUND_HALF_UP)
    places = max(0, -precision.as_tuple().exponent)  # type: ignore[operator]
    return f"{q:,.{places}f}"


def head_rows(columns: tuple[Header, ...], year: int) -> list[list[Cell]]:
    """The header tree as rows of cells: a group spans its leaves, a leaf reaches the last row;
    {year} in a label is the budget's year."""
    def depth(h: Header) -> int:
        return 1 + max((depth(c) for c in h.children), default=0)

    total = max(depth(h) for h in columns)
    rows: list[list[Cell]] = [[] for _ in range(total)]

    def place(h: Header, level: int) -> None:
        if h.children:
            rows[level].append(Cell(h.label.format(year=year), "head", colspan=len(h.leaves())))
            for c in h.children:
                place(c, level + 1)
        else:
            rows[level].append(Cell(h.label.format(year=year), "head", rowspan=total - level))

    for h in columns:
        place(h, 0)
    return rows


class Body:
    """Cells of one table's body, formatted at the table's precision."""

    def __init__(self, layout: YusuanTable, settings: Settings):
        self.layout = layout
        self.settings = settings
        self.keys = layout.keys()

    def num(self, v: Value | None) -> Cell:
        return Cell(amount_text(v, self.layout.precision), "num")

    def nums(self, row: Row | None) -> list[Cell]:
        return [self.num(row.values.get(k) if row else None) for k in self.keys]

    def paired(self, t: BudgetTable) -> list[list[Cell]]:
        out = []
        classes = 0
        for i in range(max(len(t.income), len(t.expenditure))):
            row: list[Cell] = []
            inc = t.income[i] if i < len(t.income) else None
            row += ([Cell(inc.label, f"label level{inc.level}"), self.num(inc.values.get(PAIRED_COLUMN))]
                    if inc else [Cell("", "label"), Cell("", "num")])
            exp = t.expenditure[i] if i < len(t.expenditure) else None
            if exp is None:
                row += [Cell("", "label"), Cell("", "num")]
            else:
                label = strip_ordinal(exp.label)
                if exp.code and exp.level == 1:  # classes carry 一、二、 as the published table prints them
                    classes += 1
                    label = f"{cn_ordinal(classes)}、{label}"
                role = f"label level{exp.level}" if exp.code else "label total"
                row += [Cell(label, role), self.num(exp.values.get(PAIRED_COLUMN))]
            out.append(row)
        return out

    def grid(self, t: BudgetTable) -> list[list[Cell]]:
        unit = self.layout.id in ("t02", "t03")
        return [[Cell(self.settings.unit_name if unit else r.label,
                      "label total" if r.key == "total" else "label"), *self.nums(r)] for r in t.rows]

    def economic(self, t: BudgetTable) -> list[list[Cell]]:
        out = []
        for r in t.rows:
            if r.key == "total":
                out.append([Cell("合计", "label total", colspan=2), *self.nums(r)])
            else:
                level = "level1" if len(r.code) == 3 else "level2"
                out.append([Cell(r.code, f"code {level}"), Cell(r.label, f"label {level}"), *self.nums(r)])
        return out

    def subject(self, t: BudgetTable) -> list[list[Cell]]:
        out = []
        for r in t.rows:
            if r.key == "total":
                out.append([Cell(self.settings.unit_name, "label total"), Cell("", "code"), Cell("", "label"),
                            *self.nums(r)])
            else:
                level = f"level{r.level or {3: 1, 5: 2, 7: 3}.get(len(r.code), 3)}"
                out.append([Cell("", "label"), Cell(r.code, f"code {level}"), Cell(r.label, f"label {level}"),
                            *self.nums(r)])
        return out

    def years(self, t: BudgetTable) -> list[list[Cell]]:
        out = []
        for i, r in enumerate(t.rows):
            first = [Cell(self.settings.unit_name, "label", rowspan=len(t.rows))] if i == 0 else []
            out.append([*first, Cell(r.label, "label"), *self.nums(r)])
        return out

    def tasks(self, t: BudgetTable) -> list[list[Cell]]:
        """表11: tasks and their amounts, 金额合计, 年度总体目标, then the indicator tree."""
        out = [[Cell(r.label, "label total" if r.key == "total" else "label"), Cell(r.text, "text"),
                *self.nums(r)] for r in t.rows]
        for i, goal in enumerate(t.goals):
            first = [Cell("年度总体目标", "label", rowspan=len(t.goals))] if i == 0 else []
            out.append([*first, Cell(f"目标{i + 1}：{goal}", "text", colspan=4)])
        return out


def indicator_rows(t: BudgetTable) -> list[list[Cell]]:
    """表11 年度绩效指标: 一级 and 二级 cells span their group's rows."""
    out = []
    n = len(t.indicators)
    for i, x in enumerate(t.indicators):
        row: list[Cell] = []
        for level, attr in ((1, "level1"), (2, "level2")):
            key = [(y.level1, y.level2)[:level] for y in t.indicators]
            if i == 0 or key[i] != key[i - 1]:
                span = 1
                while i + span < n and key[i + span] == key[i]:
                    span += 1
                row.append(Cell(getattr(x, attr), "label", rowspan=span))
        row += [Cell(x.level3, "text"), Cell(x.target, "text")]
        out.append(row)
    return out


def indicator_table(t: BudgetTable) -> Table:
    """The indicators as a table of their own under 表11, so its header repeats on each page and
    its columns are as wide as indicator texts need (not the tasks' amount columns)."""
    head = ((Cell("年度绩效指标", "head", colspan=4),),
            (Cell("一级指标", "head"), Cell("二级指标", "head"), Cell("三级指标", "head"), Cell("目标值", "head")))
    body = tuple(tuple(r) for r in indicator_rows(t))
    widths, size = fit_widths(head, body, "portrait")
    return Table(id="t11-indicators", head=head, body=body, widths=widths, size=size)


SHAPES: dict[str, Callable[[Body, BudgetTable], list[list[Cell]]]] = {
    "paired": Body.paired, "grid": Body.grid, "economic": Body.economic, "subject": Body.subject,
    "years": Body.years, "tasks": Body.tasks,
}


def table_node(layout: YusuanTable, table: BudgetTable, settings: Settings, heading: str,
               empty_words: str) -> Table | tuple[Table, ...]:
    """One 预算 table: header grid, body, 注, and the empty-table note when it has no rows;
    表11 with its indicator table after it on the same pages."""
    head = head_rows(layout.columns, settings.year)
    if layout.shape == "paired":
        head = [[Cell("收入", "head", colspan=2), Cell("支出", "head", colspan=2)],
                [Cell("项目", "head"), Cell(f"{settings.year}年预算数", "head")] * 2]
    elif layout.shape == "tasks":
        head.insert(0, [Cell("部门（单位）名称", "head"), Cell(settings.unit_name, "label", colspan=2),
                        Cell("主管部门", "head"), Cell(settings.competent, "label")])
    body = SHAPES[layout.shape](Body(layout, settings), table)
    head_t = tuple(tuple(r) for r in head)
    body_t = tuple(tuple(r) for r in body)
    orientation = "landscape" if layout.landscape else "portrait"
    widths, size = fit_widths(head_t, body_t, orientation)
    empty = not table.amounts()
    node = Table(
        id=layout.id,
        head=head_t,
        body=body_t,
        widths=widths,
        orientation=orientation,
        size=size,
        title=Heading(2, heading, layout.id),
        label=layout.label,
        meta=(f"部门名称：{settings.unit_name}", "单位：万元"),
        notes=tuple(layout.note.split("\n")) if layout.note else (),
        empty_note=empty_words if empty and not layout.note else "",
    )
    return (node, indicator_table(table)) if layout.shape == "tasks" and table.indicators else node
