"""Reading the eleven 表N sheets of a 部门预算 workbook into BudgetTables (see reader.py).

Each table's header is found by its first column's label, wherever it sits; the data rows follow
the header's depth and run to the first blank row or 注 line. Columns are the layout's leaves in
order. Every cell read keeps its reference; every problem names its cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from ...catalog import Catalog
from ...grid import Grid, clean
from ...model import Value
from ...money import prose_text
from ...supplement import number_cell
from .layouts import TABLES
from .model import PAIRED_COLUMN, BudgetTable, Indicator, Row
from .sheets import (
    EXPENDITURE_TOTALS,
    INCOME_LINES,
    T06_INCOME,
    T11_DEPARTMENT,
    T11_GOALS,
    T11_INDICATOR_HEAD,
    T11_INDICATORS,
    T11_TOTAL,
    columns_of,
    head_cells,
    strip_ordinal,
)

_END = re.compile(r"^注[：:]")
_DIGITS = re.compile(r"^\d+$", re.ASCII)
_YEAR = re.compile(r"^(\d{4})年(?:度)?$", re.ASCII)
HEADER_SEARCH_ROWS = 40  # a table's header sits within its sheet's first rows
INCOME_KEYS = {clean(strip_ordinal(label)): (key, level) for key, label, level in INCOME_LINES}
EXPENDITURE_KEYS = {clean(label): key for key, label in EXPENDITURE_TOTALS}
LEVELS = {3: 1, 5: 2, 7: 3}


class Reports(Protocol):
    def problem(self, where: str, message: str) -> None: ...


def cell_text(g: Grid, r: int, c: int) -> str:
    """A label or prose cell as typed (ends trimmed); a date cell as 2021年12月31日."""
    raw = g.value(r, c)
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        return f"{raw.year}年{raw.month}月{raw.day}日"
    return prose_text(str(raw))


def same_name(a: str, b: str) -> bool:
    """Names equal after spaces are dropped and （）/() made alike."""
    return clean(a) == clean(b)


class Region:
    """Where a table's data rows lie on its sheet."""

    def __init__(self, grid: Grid, header_row: int, col: int, depth: int, ncols: int):
        self.grid, self.col, self.ncols = grid, col, ncols
        self.start = header_row + depth

    def rows(self) -> list[int]:
        """Data rows up to the first blank row or 注 line."""
        out = []
        g = self.grid
        for r in range(self.start, g.nrows + 1):
            texts = [g.text(r, c) for c in range(self.col, self.col + self.ncols) if g.text(r, c)]
            if not texts or _END.match(texts[0]):
                break
            out.append(r)
        return out


def locate(g: Grid, tid: str, year: int) -> Region | None:
    """The table's header, found by its first column's label (e.g. 预算单位), or None."""
    cols = columns_of(tid)
    _, depth, ncols = head_cells(cols, year)
    want = clean(cols[0].label)
    for r in range(1, min(g.nrows, HEADER_SEARCH_ROWS) + 1):
        for c, text in g.row_texts(r):
            if text == want:
                return Region(g, r, c, depth, ncols)
    return None


class TableReaders:
    """The shape readers; the host supplies `problem`, `year`, `catalog()` and `unit_name`."""

    year: int
    unit_name: str

    def problem(self, where: str, message: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def catalog(self) -> Catalog | None:  # pragma: no cover - the host's
        raise NotImplementedError

    # -- cells ------------------------------------------------------------------------------

    def amount(self, g: Grid, r: int, c: int, cents: bool = False) -> Value | None:
        """The amount in a cell; None for a blank cell (and for one that is no number, reported)."""
        v = number_cell(g, r, c, self)
        if v is None:
            return None
        value = v.amount
        if cents and value.as_tuple().exponent > -2:  # type: ignore[operator]
            value = value.quantize(Decimal("0.01"))  # 3.5 → 3.50: the table prints 2 dp; nothing lost
        return Value(value, g.ref(r, c))

    def code(self, g: Grid, r: int, c: int, lengths: tuple[int, ...]) -> str | None:
        """A 科目编码: "" when blank, None when malformed (reported)."""
        raw = g.value(r, c)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = clean(raw)
        if not text:
            return ""
        if not _DIGITS.match(text) or len(text) not in lengths:
            digits = "或".join(str(n) for n in lengths) if len(lengths) < 3 else "3、5或7"
            self.problem(g.ref(r, c), f"科目编码读到「{text[:20]}」，应为{digits}位数字")
            return None
        return text

    def values(self, g: Grid, r: int, c: int, keys: list[str], cents: bool = False) -> dict[str, Value | None]:
        return {k: self.amount(g, r, c + i, cents) for i, k in enumerate(keys)}

    # -- 科目 by name -------------------------------------------------------------------------

    def code_by_name(self, name: str, before: str, subjects: dict[str, list[str]]) -> str | None:
        """The 功能分类 code a name has in 表7/表9/表10 (then the catalog); among several, the one
        sharing most of its leading digits with the row above (行政运行 is under many 款)."""
        key = clean(strip_ordinal(name))
        candidates = subjects.get(key, [])
        if not candidates and (cat := self.catalog()) is not None:
            candidates = [s.code for s in cat.functional.values() if clean(s.name) == key]
        if not candidates:
            return None

        def shared(code: str) -> int:
            n = 0
            while n < min(len(code), len(before)) and code[n] == before[n]:
                n += 1
            return n

        best = max(shared(c) for c in candidates)
        found = sorted({c for c in candidates if shared(c) == best})
        return found[0] if len(found) == 1 else None

    # -- the shapes ---------------------------------------------------------------------------

    def read_paired(self, tid: str, reg: Region, subjects: dict[str, list[str]]) -> BudgetTable:
        g, c0 = reg.grid, reg.col
        t = BudgetTable(tid)
        allowed = [k for k, _, _ in INCOME_LINES if tid == "t01" or k in T06_INCOME]
        seen: dict[str, str] = {}
        before = ""
        for r in reg.rows():
            label = cell_text(g, r, c0)
            amount = self.amount(g, r, c0 + 1)
            if label:
                key, level = INCOME_KEYS.get(clean(strip_ordinal(label)), ("", 0))
                if key not in allowed:
                    names = "、".join(f"「{strip_ordinal(lab)}」" for k, lab, _ in INCOME_LINES if k in allowed)
                    self.problem(g.ref(r, c0), f"收入项目读到「{label[:40]}」，应为{names}之一")
                elif key in seen:
                    self.problem(g.ref(r, c0), f"收入项目「{label[:40]}」重复（另见 {seen[key]}），应只有一行")
                else:
                    seen[key] = g.ref(r, c0)
                    t.income.append(Row(key, label, {PAIRED_COLUMN: amount}, level=level, ref=g.ref(r, c0)))
            elif amount is not None:
                self.problem(g.ref(r, c0), f"收入项目为空而金额为 {amount.amount}，应填写收入项目名称")
            code = self.code(g, r, c0 + 2, (3, 5, 7))
            label = cell_text(g, r, c0 + 3)
            amount = self.amount(g, r, c0 + 4)
            if code is None or not (code or label or amount):
                continue
            key = code or EXPENDITURE_KEYS.get(clean(label), "")
            if not key and label:
                key = self.code_by_name(label, before, subjects) or ""
                if not key:
                    self.problem(g.ref(r, c0 + 2), f"科目编码为空，表7、表9、表10和科目目录中也找不到「{label[:40]}」，"
                                 "应填写3、5或7位科目编码")
                    continue
            elif not key:
                self.problem(g.ref(r, c0 + 3), "支出项目为空，应填写科目名称")
                continue
            is_code = _DIGITS.match(key) is not None
            if is_code:
                before = key
            t.expenditure.append(Row(key, label, {PAIRED_COLUMN: amount}, code=key if is_code else "",
                                     level=LEVELS.get(len(key), 0) if is_code else 0, ref=g.ref(r, c0 + 3)))
        return t

    def read_rows(self, tid: str, reg: Region) -> BudgetTable:
        """表2/3/4/5/7/8/9/10: leading text columns, then the layout's amount columns."""
        g, c0 = reg.grid, reg.col
        layout = TABLES[tid]
        keys = layout.keys()
        ntext = reg.ncols - len(keys)
        cents = layout.precision < 1
        t = BudgetTable(tid)
        names: dict[str, str] = {}
        for r in reg.rows():
            vals = self.values(g, r, c0 + ntext, keys, cents)
            row = self.row_of(tid, g, r, c0, len(t.rows), names)
            if row is not None:
                row.values = vals
                t.rows.append(row)
        return t

    def row_of(self, tid: str, g: Grid, r: int, c0: int, index: int, names: dict[str, str]) -> Row | None:
        """The key, label and code of one data row (values are set by the caller)."""
        ref = g.ref(r, c0)
        if tid in ("t02", "t03"):
            if index:
                self.problem(ref, f"读到第{index + 1}行「{cell_text(g, r, c0)[:40]}」，应只有本单位一行")
                return None
            return Row("unit", cell_text(g, r, c0), {}, ref=ref)
        if tid == "t05":
            label = cell_text(g, r, c0)
            if clean(label) in ("合计", "总计"):
                return Row("total", label, {}, ref=ref)
            if not label:
                self.problem(ref, "支出项目类别为空，应填写项目名称")
                return None
            if clean(label) in names:
                self.problem(ref, f"项目「{label[:40]}」重复（另见 {names[clean(label)]}），应每个项目一行")
                return None
            names[clean(label)] = ref
            return Row(f"p{len(names)}", label, {}, ref=ref)
        if tid == "t08":
            return self.year_row(g, r, c0 + 1, index)
        if tid == "t04":
            return self.economic_row(g, r, c0)
        return self.subject_row(g, r, c0, index, names)

    def year_row(self, g: Grid, r: int, c: int, index: int) -> Row | None:
        label = cell_text(g, r, c)
        text = clean(label)
        if text == "增减变化金额":
            return Row("change", label, {}, ref=g.ref(r, c))
        m = _YEAR.match(text)
        if m and self.year and int(m.group(1)) in (self.year, self.year - 1):
            return Row("current" if int(m.group(1)) == self.year else "prior", label, {}, ref=g.ref(r, c))
        if m and not self.year and index < 2:  # no 年度 given (reported elsewhere): by order
            return Row(("prior", "current")[index], label, {}, ref=g.ref(r, c))
        y = self.year or 2022
        self.problem(g.ref(r, c), f"年度读到「{label[:40]}」，应为{y - 1}年、{y}年或增减变化金额")
        return None

    def economic_row(self, g: Grid, r: int, c0: int) -> Row | None:
        code = self.code(g, r, c0, (3, 5))
        label = cell_text(g, r, c0 + 1)
        ref = g.ref(r, c0 + 1)
        if code is None:
            return None
        if not code and clean(label) in ("合计", "总计"):
            return Row("total", label, {}, ref=ref)
        if not code:
            cat = self.catalog()
            found = [s.code for s in cat.economic.values() if same_name(s.name, label)] if cat else []
            if len(found) != 1:
                self.problem(g.ref(r, c0), f"经济分类科目编码为空，科目目录中也找不到「{label[:40]}」，"
                             "应填写3或5位编码")
                return None
            code = found[0]
        return Row(code, label, {}, code=code, ref=ref)

    def subject_row(self, g: Grid, r: int, c0: int, index: int, names: dict[str, str]) -> Row | None:
        """表7/9/10: the first row the unit's total (预算单位 filled, no code), then 科目."""
        unit = cell_text(g, r, c0)
        code = self.code(g, r, c0 + 1, (3, 5, 7))
        label = cell_text(g, r, c0 + 2)
        if code is None:
            return None
        if not code and (unit or clean(label) in ("合计", "总计")):
            if "total" in names:
                self.problem(g.ref(r, c0), f"合计行重复（另见 {names['total']}），应只有第一行为本单位合计")
                return None
            names["total"] = g.ref(r, c0)
            return Row("total", unit or label, {}, ref=g.ref(r, c0) if unit else g.ref(r, c0 + 2))
        if not code:
            code = self.code_by_name(label, names.get("before", ""), {}) or ""
            if not code:
                self.problem(g.ref(r, c0 + 1), f"科目编码为空，科目目录中也找不到「{label[:40]}」，"
                             "应填写3、5或7位科目编码")
                return None
        names["before"] = code
        return Row(code, label, {}, code=code, level=LEVELS[len(code)], ref=g.ref(r, c0 + 2))

    def read_tasks(self, reg: Region, lines: dict[str, str]) -> BudgetTable:
        """表11; its 主管部门 line goes into `lines` (the setting of that name, when 单位信息 lacks it)."""
        g, c0 = reg.grid, reg.col
        t = BudgetTable("t11")
        keys = TABLES["t11"].keys()
        for r in range(1, reg.start):  # the 部门（单位）名称 / 主管部门 line above the header
            texts = g.row_texts(r)
            for i, (_c, text) in enumerate(texts[:-1]):
                if text == clean(T11_DEPARTMENT):
                    lines[T11_DEPARTMENT] = cell_text(g, r, texts[i + 1][0])
        section, last = "tasks", ["", ""]
        for r in reg.rows():
            head = clean(cell_text(g, r, c0))
            if head == T11_GOALS:
                section = "goals"
            elif head == T11_INDICATORS:
                section = "indicators"
            if section == "tasks":
                label = cell_text(g, r, c0)
                total = head == T11_TOTAL
                key = "total" if total else f"k{sum(1 for x in t.rows if x.key != 'total') + 1}"
                if not label:
                    self.problem(g.ref(r, c0), "任务名称为空，应填写任务名称")
                    continue
                t.rows.append(Row(key, label, self.values(g, r, c0 + 2, keys), text=cell_text(g, r, c0 + 1),
                                  ref=g.ref(r, c0)))
            elif section == "goals":
                text = next((x for c in range(c0 + 1, c0 + reg.ncols) if (x := cell_text(g, r, c))), "")
                if text:
                    t.goals.append(text)
            else:
                cells = [cell_text(g, r, c) for c in range(c0 + 1, c0 + 5)]
                if [clean(x) for x in cells] == list(T11_INDICATOR_HEAD) or not any(cells):
                    continue
                # A merged 一级/二级 cell may reach the reader as blanks below its first row.
                cells[0] = cells[0] or last[0]
                cells[1] = cells[1] or last[1]
                last = cells[:2]
                t.indicators.append(Indicator(*cells))
        return t
