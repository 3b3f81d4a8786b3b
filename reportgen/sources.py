"""Read a workbook in the official 公开01–09 layout into a Disclosure.

Tables are found by their label (公开0N表) or title on any sheet at any offset; columns are
mapped through the 栏次 row, and each column's header text (merged and wrapped cells joined)
is checked against the layout, so a moved, offset or re-wrapped table reads the same.
Every problem is collected and raised together as an InputError.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError, Problem
from .grid import Grid, clean, control_character, read_grids
from .kinds import ensure as ensure_kind
from .kinds.juesuan.layouts import LAYOUTS, TableLayout
from .limits import AMOUNT_RANGE, TEXT_FILE_BYTES
from .model import (
    Disclosure,
    Settings,
    Table,
    Value,
)
from .money import normalise_text, parse_amount
from .performance.derive import derive
from .performance.inputs import is_performance_sheet, read_performance
from .profile import apply_profile
from .settings import SETTINGS_SHEET, SNIPPETS_SHEET, read_settings, read_snippets
from .shapes import SLOT_MARKS, Anchor, ShapeReaders, strip_ordinal
from .supplement import SUPPLEMENT_SHEETS, prior_from, read_supplement
from .workbook_files import SAVE_AS, read_input

NOT_TABLES = {SETTINGS_SHEET, SNIPPETS_SHEET, *SUPPLEMENT_SHEETS}

_LABEL = re.compile(r"^公开(\d{1,2})表$", re.ASCII)
_CODE = re.compile(r"^\d+$", re.ASCII)
END_MARK = re.compile(r"^注[：:]?")


class Reader(ShapeReaders):
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
    ensure_kind("juesuan")  # its profiles give the defaults 「单位信息」 leaves out
    d = Reader(Path(path)).read()
    if prior is not None:
        derived = prior_from(Reader(Path(prior)).read())
        d.supplement.prior = {**derived, **d.supplement.prior}
    return d
