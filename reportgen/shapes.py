"""Reading each table shape (subject, paired, economic, single-row, list) from its region of a sheet.

A mixin of sources.Reader: the reader finds each table's anchor and region; these methods read
the rows inside it, parametrised by the table's layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grid import Grid, clean
from .kinds.juesuan.layouts import LAYOUTS, Line, TableLayout, sides
from .model import (
    EconomicRow,
    EconomicTable,
    LineRow,
    ListRow,
    ListTable,
    PairedTable,
    SingleRowTable,
    SubjectRow,
    SubjectTable,
    Value,
)
from .money import normalise_text

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])")
# ASCII only: str.isdigit() and a Unicode \d accept ①, ³ and other scripts' digits.
_COLUMN_NO = re.compile(r"^\d{1,6}$", re.ASCII)
SLOT_MARKS = {"栏次", "档次"}  # 001 misprints 栏次 as 档次 in its 公开05


def strip_ordinal(text: str) -> str:
    return _ORDINAL.sub("", text)


def _to_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = clean(value)
    return int(text) if _COLUMN_NO.match(text) else None


@dataclass
class Anchor:
    table_id: str
    grid: Grid
    row: int
    col: int



class ShapeReaders:
    """The shape readers; Reader supplies problem(), amount(), code(), slot rows and headers."""

    def read_subject(self, a: Anchor, end: int) -> SubjectTable | None:
        layout = LAYOUTS[a.table_id]
        g = a.grid
        slot = self.require_slot_row(a, end)
        if slot is None:
            return None
        marks = [c for c, t in g.row_texts(slot) if t in SLOT_MARKS]
        code_col = marks[0]
        numbers = {n: c for c in range(code_col + 1, g.ncols + 1)
                   if (n := _to_int(g.value(slot, c))) is not None}
        want = len(layout.columns)
        if sorted(numbers) != list(range(1, want + 1)):
            got = "、".join(str(n) for n in sorted(numbers)) or "无"
            self.problem(g.ref(slot, code_col), f"{layout.label}栏次为 {got}，应为 1–{want}")
            return None
        amount_cols = [numbers[n] for n in range(1, want + 1)]
        name_col = next((c for c in range(code_col + 1, amount_cols[0]) if c not in marks),
                        code_col + 1)
        for col, column in zip(amount_cols, layout.columns, strict=True):
            label = column.label if a.table_id != "t09" or column.key != "c1" else ""
            self.check_header(g, a.row + 1, slot, col, label, layout)
        total: list[Value] | None = None
        rows: list[SubjectRow] = []
        seen: dict[str, str] = {}
        for r in range(slot + 1, end + 1):
            if self.is_end(g, r):
                break
            texts = dict(g.row_texts(r))
            if not texts or set(texts.values()) & (SLOT_MARKS | {"科目名称", "项目"}):
                continue  # blank, or a header repeated at a page break
            head = g.text(r, code_col) or g.text(r, name_col)
            values = [self.amount(g, r, c) for c in amount_cols]
            if head == "合计":
                if total is None:
                    total = values
                elif [v.amount for v in values] != [v.amount for v in total]:
                    self.problem(g.ref(r, code_col), f"{layout.label}有两行「合计」且数值不同")
                continue
            code = self.code(g, r, code_col, (3, 5, 7))
            if code is None:
                continue
            if code in seen:
                self.problem(g.ref(r, code_col), f"科目编码 {code} 重复（已在 {seen[code]}）")
                continue
            seen[code] = g.ref(r, code_col)
            rows.append(SubjectRow(code, g.text(r, name_col), values, g.ref(r, code_col)))
        if total is None:
            self.problem(g.ref(slot, code_col), f"{layout.label}没有「合计」行（应在栏次行下第一行）")
            return None
        return SubjectTable(total, rows)

    def read_paired(self, a: Anchor, end: int, year: int) -> PairedTable | None:
        layout = LAYOUTS[a.table_id]
        g = a.grid
        slot = self.require_slot_row(a, end)
        if slot is None:
            return None
        marks = [c for c, t in g.row_texts(slot)
                 if t in SLOT_MARKS and g.text(slot, c - 1) not in SLOT_MARKS]
        if len(marks) != 2:
            self.problem(g.ref(slot, a.col), f"{layout.label}栏次行应有收入、支出两处「栏次」")
            return None
        left, right = marks
        numbers = {n: c for c in range(left + 1, g.ncols + 1)
                   if c not in marks and (n := _to_int(g.value(slot, c))) is not None}
        want = 2 if a.table_id == "t01" else 5
        if sorted(numbers) != list(range(1, want + 1)):
            got = "、".join(str(n) for n in sorted(numbers)) or "无"
            self.problem(g.ref(slot, left), f"{layout.label}栏次为 {got}，应为 1–{want}")
            return None
        sides_spec = []
        for lo, hi, nums in ((left, right, [1]), (right, g.ncols + 1, list(range(2, want + 1)))):
            cols = [numbers[n] for n in nums]
            if not all(lo < c < hi for c in cols):
                self.problem(g.ref(slot, lo), f"{layout.label}栏次的位置与收入、支出两侧不符")
                return None
            line_col = next((c for c in range(lo + 1, cols[0])
                             if "行次" in self.header_text(g, a.row + 1, slot, c)), lo + 1)
            sides_spec.append((lo, line_col, cols))
        income_spec, spend_spec = sides(a.table_id, year)
        out: list[list[LineRow]] = [[], []]
        for r in range(slot + 1, end + 1):
            if self.is_end(g, r):
                break
            for i, (label_col, line_col, cols) in enumerate(sides_spec):
                label = g.text(r, label_col)
                line = _to_int(g.value(r, line_col))
                if label in SLOT_MARKS or label == "项目":
                    continue
                if not label and line is None and all(g.text(r, c) == "" for c in cols):
                    continue
                out[i].append(LineRow(None, label, line, [self.amount(g, r, c) for c in cols]))
        ok = True
        for rows, spec, side in ((out[0], income_spec, "收入"), (out[1], spend_spec, "支出")):
            ok &= self.match_lines(g, layout, rows, spec, side, sides_spec[0 if side == "收入"
                                                                            else 1][0])
        return PairedTable(out[0], out[1]) if ok else None

    def match_lines(self, g: Grid, layout: TableLayout, rows: list[LineRow], spec: list[Line],
                    side: str, label_col: int) -> bool:
        """Give each printed row its layout key, by label in layout order."""
        cursor = 0
        named = [s for s in spec if s.key]
        for row in rows:
            if not row.label:
                if any(v.amount != 0 for v in row.values):
                    ref = row.values[0].ref or ""
                    self.problem(ref, f"{layout.label}{side}侧第 {row.line} 行没有项目名称却有金额")
                continue
            name = strip_ordinal(row.label)
            for j in range(cursor, len(named)):
                if strip_ordinal(clean(named[j].label)) == name:
                    row.key = named[j].key
                    cursor = j + 1
                    break
            else:
                ref = (row.values[0].ref or "").rsplit("!", 1)[0]
                self.problem(ref, f"{layout.label}{side}侧有未知或顺序不对的行「{row.label}」")
        keys = {r.key for r in rows}
        missing = [s.label for s in named if s.key not in keys]
        for label in missing:
            self.problem(g.title, f"{layout.label}{side}侧缺少「{label}」行")
        return not missing

    def read_economic(self, a: Anchor, end: int) -> EconomicTable | None:
        layout = LAYOUTS[a.table_id]
        g = a.grid
        head = None
        for r in range(a.row, end + 1):
            starts = [c for c, t in g.row_texts(r) if t.endswith("科目编码")]
            if len(starts) >= 2:
                head, groups = r, starts
                break
        if head is None:
            self.problem(g.ref(a.row, a.col), f"{layout.label}找不到「经济分类科目编码」表头")
            return None
        super_header = any("人员经费" in t for r in range(a.row, head)
                           for _, t in g.row_texts(r))
        cols = []
        for start in groups:
            amount_col = next((c for c in range(start + 1, start + 4)
                               if g.text(head, c) in ("决算数", "金额")), start + 2)
            cols.append((start, start + 1, amount_col))
        out: list[list[EconomicRow]] = [[] for _ in groups]
        personnel = public = None
        seen: dict[str, str] = {}
        for r in range(head + 1, end + 1):
            texts = g.row_texts(r)
            if not texts:
                continue
            if any("人员经费合计" in t for _, t in texts):
                personnel, public = self.economic_footer(g, r)
                break
            if self.is_end(g, r):
                break
            for i, (cc, nc, ac) in enumerate(cols):
                if not g.text(r, cc):
                    continue
                code = self.code(g, r, cc, (3, 5))
                if code is None:
                    continue
                if code in seen:
                    self.problem(g.ref(r, cc), f"经济分类科目 {code} 重复（已在 {seen[code]}）")
                    continue
                seen[code] = g.ref(r, cc)
                out[i].append(EconomicRow(code, g.text(r, nc), self.amount(g, r, ac)))
        if personnel is None or public is None:
            self.problem(g.title, f"{layout.label}缺少「人员经费合计／公用经费合计」行")
            return None
        return EconomicTable(out, personnel, public, super_header)

    def economic_footer(self, g: Grid, r: int) -> tuple[Value, Value]:
        texts = g.row_texts(r)
        p_col = next(c for c, t in texts if "人员经费合计" in t)
        q_col = next((c for c, t in texts if "公用经费合计" in t), None)
        if q_col is None:
            self.problem(g.ref(r, p_col), "「人员经费合计」行应同时有「公用经费合计」")
            return Value.zero(), Value.zero()

        def last_amount(lo: int, hi: int) -> Value:
            cols = [c for c in range(lo + 1, hi) if g.text(r, c) and g.value(r, c) != g.value(r, lo)]
            return self.amount(g, r, cols[-1]) if cols else Value.zero()

        return last_amount(p_col, q_col), last_amount(q_col, g.ncols + 1)

    def read_single(self, a: Anchor, end: int) -> SingleRowTable | None:
        layout = LAYOUTS[a.table_id]
        g = a.grid
        for r in range(a.row, end + 1):
            numbers = {n: c for c in range(1, g.ncols + 1)
                       if (n := _to_int(g.value(r, c))) is not None}
            if set(range(1, 13)) <= set(numbers):
                for r2 in range(r + 1, end + 1):
                    if not g.is_blank_row(r2):
                        return SingleRowTable([self.amount(g, r2, numbers[n])
                                               for n in range(1, 13)])
                # Blank is zero: a unit with no “三公” spending (or a fresh workbook in a blank-zero style,
                # which leaves zero cells blank) has an empty row under the 栏次.
                return SingleRowTable([self.amount(g, r + 1, numbers[n]) for n in range(1, 13)])
        self.problem(g.ref(a.row, a.col), f"{layout.label}找不到栏次 1–12 行")
        return None

    def read_list(self, a: Anchor, end: int) -> ListTable | None:
        layout = LAYOUTS[a.table_id]
        g = a.grid
        slot = self.require_slot_row(a, end)
        if slot is None:
            return None
        label_col = next(c for c, t in g.row_texts(slot) if t in SLOT_MARKS)
        numbers = {n: c for c in range(label_col + 1, g.ncols + 1)
                   if (n := _to_int(g.value(slot, c))) is not None}
        cols = [numbers.get(n) for n in range(1, len(layout.columns) + 1)]
        if None in cols:
            self.problem(g.ref(slot, label_col), f"{layout.label}栏次应为 1–{len(layout.columns)}")
            return None
        rows = []
        for r in range(slot + 1, end + 1):
            if self.is_end(g, r):
                break
            label = normalise_text(str(g.value(r, label_col) or "")).strip()
            if not label:
                continue
            rows.append(ListRow(label, [self.amount(g, r, c) for c in cols if c]))
        return ListTable(rows)

    # -- the whole workbook -----------------------------------------------------------------

