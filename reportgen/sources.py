"""Read a workbook in the official 公开01–09 layout into a Disclosure.

Tables are found by their label (公开0N表) or title on any sheet at any offset; columns are
mapped through the 栏次 row, and each column's header text (merged and wrapped cells joined)
is checked against the layout, so a moved, offset or re-wrapped table reads the same.
Every problem is collected and raised together as an InputError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .grid import Grid, clean, control_character, read_grids
from .layouts import LAYOUTS, Line, TableLayout, sides
from .limits import AMOUNT_RANGE, TEXT_FILE_BYTES
from .model import (
    Disclosure,
    EconomicRow,
    EconomicTable,
    LineRow,
    ListRow,
    ListTable,
    PairedTable,
    Settings,
    SingleRowTable,
    SubjectRow,
    SubjectTable,
    Table,
    Value,
)
from .money import normalise_text, parse_amount
from .performance.derive import derive
from .performance.inputs import is_performance_sheet, read_performance
from .profile import apply_profile
from .settings import SETTINGS_SHEET, SNIPPETS_SHEET, read_settings, read_snippets
from .supplement import (
    BUDGET_SHEET,
    FACT_SHEET,
    GLOSSARY_SHEET,
    PRIOR_SHEET,
    PROJECT_SHEET,
    prior_from,
    read_supplement,
)
from .workbook_files import SAVE_AS, read_input

NOT_TABLES = {SETTINGS_SHEET, SNIPPETS_SHEET, PRIOR_SHEET, BUDGET_SHEET, FACT_SHEET, PROJECT_SHEET,
              GLOSSARY_SHEET}

_LABEL = re.compile(r"^公开(\d{1,2})表$", re.ASCII)
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])")
# ASCII only: str.isdigit() and a Unicode \d accept ①, ³ and other scripts' digits.
_COLUMN_NO = re.compile(r"^\d{1,6}$", re.ASCII)
_CODE = re.compile(r"^\d+$", re.ASCII)
SLOT_MARKS = {"栏次", "档次"}  # 001 misprints 栏次 as 档次 in its 公开05
END_MARK = re.compile(r"^注[：:]?")


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


class Reader:
    def __init__(self, path: Path):
        self.path = path
        self.file = str(path)
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    # -- locating tables -------------------------------------------------------------------

    def find_anchors(self, grids: list[Grid]) -> dict[str, Anchor]:
        titles = {clean(t.title): t.id for t in LAYOUTS.values()}
        found: dict[str, list[Anchor]] = {}
        for grid in grids:
            if grid.title in NOT_TABLES or is_performance_sheet(grid.title):
                continue
            by_label: dict[str, Anchor] = {}
            by_title: dict[str, Anchor] = {}
            for r in range(1, grid.nrows + 1):
                for c, text in grid.row_texts(r):
                    m = _LABEL.match(text)
                    if m and f"t{int(m.group(1)):02d}" in LAYOUTS:
                        by_label.setdefault(f"t{int(m.group(1)):02d}", Anchor("", grid, r, c))
                        continue
                    tid = titles.get(strip_ordinal(text))
                    if tid:
                        by_title.setdefault(tid, Anchor("", grid, r, c))
            for tid in LAYOUTS:
                a = by_label.get(tid) or by_title.get(tid)
                if a:
                    found.setdefault(tid, []).append(Anchor(tid, grid, a.row, a.col))
        anchors: dict[str, Anchor] = {}
        for tid, hits in found.items():
            if len(hits) > 1:
                places = "、".join(f"{a.grid.title}!{a.row}行" for a in hits)
                self.problem("", f"{LAYOUTS[tid].label}出现了{len(hits)}次（{places}），应只有一张")
            anchors[tid] = hits[0]
        return anchors

    @staticmethod
    def region_end(anchor: Anchor, anchors: dict[str, Anchor]) -> int:
        """Last row of a table: just above the next table's title on the same sheet."""
        later = [a.row for a in anchors.values() if a.grid is anchor.grid and a.row > anchor.row]
        if not later:
            return anchor.grid.nrows
        nxt = min(later)
        # The next table's title usually sits a row or two above its label.
        titles = {clean(t.title) for t in LAYOUTS.values()}
        for r in range(nxt - 1, max(anchor.row, nxt - 3), -1):
            if any(strip_ordinal(t) in titles for _, t in anchor.grid.row_texts(r)):
                return r - 1
        return nxt - 1

    # -- shared pieces ----------------------------------------------------------------------

    def slot_row(self, g: Grid, start: int, end: int) -> int | None:
        for r in range(start, end + 1):
            if any(t in SLOT_MARKS for _, t in g.row_texts(r)):
                return r
        return None

    def header_text(self, g: Grid, start: int, slot: int, col: int) -> str:
        parts = []
        for r in range(start, slot):
            t = g.text(r, col)
            if t and not t.startswith(("部门：", "单位：", "金额单位：")) and not _LABEL.match(t):
                if not parts or parts[-1] != t:
                    parts.append(t)
        return "".join(parts)

    def check_header(self, g: Grid, start: int, slot: int, col: int, expected: str,
                     table: TableLayout) -> None:
        text = self.header_text(g, start, slot, col)
        if clean(expected) not in text:
            self.problem(g.ref(slot, col), f"{table.label}第{col}列表头为「{text or '空'}」，"
                         f"应为「{expected}」（按栏次对应的列）")

    def amount(self, g: Grid, r: int, c: int) -> Value:
        raw = g.value(r, c)
        value = parse_amount(raw)
        if value is None:
            self.problem(g.ref(r, c), f"金额无法识别：读到「{normalise_text(str(raw))[:40]}」，"
                         f"应为数字（如 1,234.56，{AMOUNT_RANGE}），空白表示 0")
            return Value.zero()
        return Value(value, g.ref(r, c))

    def code(self, g: Grid, r: int, c: int, lengths: tuple[int, ...]) -> str | None:
        raw = g.value(r, c)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = clean(raw)
        if not _CODE.match(text) or len(text) not in lengths:
            digits = "/".join(str(n) for n in lengths)
            self.problem(g.ref(r, c), f"科目编码格式不对：读到「{text}」，应为{digits}位数字")
            return None
        return text

    def is_end(self, g: Grid, r: int) -> bool:
        texts = g.row_texts(r)
        return bool(texts) and bool(END_MARK.match(texts[0][1]))

    # -- the five shapes ---------------------------------------------------------------------

    def require_slot_row(self, a: Anchor, end: int) -> int | None:
        slot = self.slot_row(a.grid, a.row, end)
        if slot is None:
            self.problem(a.grid.ref(a.row, a.col),
                         f"{LAYOUTS[a.table_id].label}找不到「栏次」行：表头下应有一行栏次 1、2、3…")
        return slot

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
                # Blank is zero: a unit with no “三公” spending (or a fresh 深圳-style workbook,
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

    def read(self) -> Disclosure:
        try:
            grids = read_grids(self.path)
        except InputError:
            raise
        except Exception as exc:  # openpyxl, xlrd and lxml raise many types for a damaged file
            # Only the exception's type: its text can quote the file's bytes into the terminal.
            raise InputError([Problem(self.file, "", f"工作簿已损坏，无法读取（{type(exc).__name__}）。"
                                      f"{SAVE_AS}")]) from exc
        by_title = {g.title: g for g in grids}
        settings, explicit = read_settings(by_title.get(SETTINGS_SHEET), self)
        if not self.problems:
            apply_profile(settings, explicit)
        snippets = read_snippets(by_title.get(SNIPPETS_SHEET), self)
        supplement = read_supplement(by_title, self)
        supplement.performance = read_performance(by_title, self, snippets, settings.money_unit)
        anchors = self.find_anchors(grids)
        tables: dict[str, Table] = {}
        for tid, layout in LAYOUTS.items():
            a = anchors.get(tid)
            if a is None:
                if not layout.optional:
                    self.problem("", f"找不到{layout.label}（{layout.title}）：任一工作表中应有"
                                 f"「{layout.label}」或「{layout.title}」字样")
                continue
            end = self.region_end(a, anchors)
            table = self.read_table(layout, a, end, settings.year)
            if table is not None:
                tables[tid] = table
        self.fill_defaults(settings, anchors)
        if self.problems:
            raise InputError(self.problems)
        derive(supplement, settings)
        return Disclosure(settings, tables, snippets, self.file, supplement)

    def read_table(self, layout: TableLayout, a: Anchor, end: int, year: int) -> Table | None:
        match layout.shape:
            case "paired":
                return self.read_paired(a, end, year)
            case "subject":
                return self.read_subject(a, end)
            case "economic":
                return self.read_economic(a, end)
            case "single":
                return self.read_single(a, end)
            case _:
                return self.read_list(a, end)

    def fill_defaults(self, settings: Settings, anchors: dict[str, Anchor]) -> None:
        """Unit name from the 公开01 header line when the 单位信息 sheet does not give it."""
        a = anchors.get("t01")
        if not settings.unit_name and a:
            for r in range(a.row, a.row + 4):
                for _, t in a.grid.row_texts(r):
                    m = re.match(r"^(?:部门|单位)(?:名称)?：(.+)$", t)
                    if m and "万元" not in m.group(1) and m.group(1) != "元":
                        settings.unit_name = m.group(1)
                        break
                if settings.unit_name:
                    break
        if not settings.unit_name:
            self.problem(SETTINGS_SHEET, "缺少单位名称：在「单位信息」表填写「单位名称」")
        if not settings.year and not any(p.message.startswith("年度应为") for p in self.problems):
            self.problem(SETTINGS_SHEET, "缺少年度：在「单位信息」表填写「年度」（如 2020）")


def read_texts(path: Path) -> dict[str, str]:
    """Snippets from a Markdown file: each `## key` heading starts the text of that key."""
    data = read_input(path, TEXT_FILE_BYTES, "文字说明文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), f"第{line}行", "文字说明文件不是 UTF-8 编码：请在编辑器中"
                                  "另存为 UTF-8 编码的文本")]) from None
    for number, line_text in enumerate(text.split("\n"), 1):
        if (bad := control_character(line_text)) is not None:
            raise InputError([Problem(str(path), f"第{number}行", f"含控制字符 {bad}，应为普通文字；"
                                      "请删除该字符后保存")])
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {k.strip(): v.strip() for k, v in zip(parts[1::2], parts[2::2], strict=True) if v.strip()}


def read_workbook(path: Path | str, prior: Path | str | None = None) -> Disclosure:
    """Read a workbook; with `prior` (last year's workbook) the 上年数 it lacks come from there."""
    d = Reader(Path(path)).read()
    if prior is not None:
        derived = prior_from(Reader(Path(prior)).read())
        d.supplement.prior = {**derived, **d.supplement.prior}
    return d
