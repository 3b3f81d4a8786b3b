"""A worksheet as a plain grid of values, merged ranges filled in, with cell references."""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

from openpyxl.utils import get_column_letter

from . import limits
from .money import normalise_text
from .ods_reader import read_ods
from .readers import Problems, RawSheet, read_xls, read_xlsx, ref
from .workbook_files import read_input, workbook_kind

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"(": "（", ")": "）", ":": "："})


def clean(value: object) -> str:
    """Cell text with all white space removed and brackets made full-width, for matching."""
    if value is None:
        return ""
    text = normalise_text(str(value))
    return _SPACE.sub("", text).translate(_BRACKETS)


class Grid:
    """Values of one sheet (1-based rows and columns); a merged range repeats its value."""

    def __init__(self, title: str, rows: list[list[object]]):
        self.title = title
        self.rows = rows
        self.nrows = len(rows)
        self.ncols = max((len(r) for r in rows), default=0)

    def value(self, r: int, c: int) -> object:
        if 1 <= r <= self.nrows and 1 <= c <= len(self.rows[r - 1]):
            return self.rows[r - 1][c - 1]
        return None

    def text(self, r: int, c: int) -> str:
        return clean(self.value(r, c))

    def ref(self, r: int, c: int) -> str:
        return f"{self.title}!{get_column_letter(c)}{r}"

    def row_texts(self, r: int) -> list[tuple[int, str]]:
        return [(c, self.text(r, c)) for c in range(1, self.ncols + 1) if self.text(r, c)]

    def is_blank_row(self, r: int) -> bool:
        return not self.row_texts(r)


def _checked(title: str, r: int, c: int, value: object, problems: Problems) -> object:
    """A cell value as the rest of the code expects it, or a problem for one it must not trust.

    Whole numbers become int whatever the format stored (xlrd and .ods give floats), so the
    three formats build the same model.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.add(ref(title, r, c), f"数值单元格的内容不是有效数字：读到「{value}」，应为有限的数字")
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, str):
        if len(value) > limits.CELL_CHARS.value:
            problems.add(ref(title, r, c), f"单元格有 {len(value)} 个字符，超过限制（{limits.CELL_CHARS}）")
            return None
        if (bad := control_character(value)) is not None:
            problems.add(ref(title, r, c), f"单元格含控制字符 {bad}，应为普通文字；请删除该字符后保存")
            return None
    return value


def control_character(text: str) -> str | None:
    """The first control character (other than tab and line breaks) as U+XXXX, or None."""
    for ch in text:
        if ch not in "\t\n\r" and unicodedata.category(ch) == "Cc":
            return f"U+{ord(ch):04X}"
    return None


def _grid(sheet: RawSheet, problems: Problems) -> Grid:
    if (bad := control_character(sheet.title)) is not None:  # the name is printed in every cell reference
        problems.add("", f"有一张工作表的名称含控制字符 {bad}，应为普通文字；请重命名该工作表后保存")
        return Grid("", [])
    area = sum((m[2] - m[0] + 1) * (m[3] - m[1] + 1) for m in sheet.merges)
    if area > limits.CELLS.value:
        problems.add(sheet.title, f"合并区域覆盖的单元格超过限制（{limits.CELLS}）")
        return Grid(sheet.title, [])
    nrows = max([r for r, _ in sheet.cells] + [m[2] for m in sheet.merges], default=0)
    ncols = max([c for _, c in sheet.cells] + [m[3] for m in sheet.merges], default=0)
    if nrows > limits.ROWS.value or ncols > limits.COLUMNS.value:  # the readers refuse these first
        problems.add(sheet.title, f"工作表超过限制（{limits.ROWS}，{limits.COLUMNS}）")
        return Grid(sheet.title, [])
    rows: list[list[object]] = [[None] * ncols for _ in range(nrows)]
    for (r, c), value in sheet.cells.items():
        rows[r - 1][c - 1] = _checked(sheet.title, r, c, value, problems)
    for r1, c1, r2, c2 in sheet.merges:
        top = rows[r1 - 1][c1 - 1]
        for r in range(r1, r2 + 1):
            rows[r - 1][c1 - 1:c2] = [top] * (c2 - c1 + 1)
    return Grid(sheet.title, rows)


def read_grids(path: Path) -> list[Grid]:
    """Every sheet of an .xlsx, .xls or .ods workbook as a Grid (cached formula results).

    The file type comes from the content, not the suffix; anything that is not a workbook,
    or is beyond the limits in reportgen.limits, is an InputError naming what was found.
    """
    data = read_input(path, what="工作簿")
    kind, zf = workbook_kind(path, data)
    if kind == "xlsx" and zf is not None:
        sheets = read_xlsx(path, data, zf)
    elif kind == "ods" and zf is not None:
        sheets = read_ods(path, zf)
    else:
        sheets = read_xls(path, data)
    problems = Problems(path)
    grids = [_grid(sheet, problems) for sheet in sheets]
    problems.raise_any()
    return grids
