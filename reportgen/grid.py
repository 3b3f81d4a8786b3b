"""A worksheet as a plain grid of values, merged ranges filled in, with cell references."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .money import normalise_text

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


def read_grids(path: Path) -> list[Grid]:
    """Every sheet of an .xlsx workbook as a Grid (cached formula results, not formulas)."""
    wb = load_workbook(path, data_only=True)
    grids = []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                row = rows[r - 1]
                if len(row) < rng.max_col:
                    row.extend([None] * (rng.max_col - len(row)))
                for c in range(rng.min_col, rng.max_col + 1):
                    row[c - 1] = top
        grids.append(Grid(ws.title, rows))
    return grids
