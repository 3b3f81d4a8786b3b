"""Cells and merged ranges of an .ods workbook, in one streaming pass over content.xml.

pandas and odfpy were not used: pandas drops the merged ranges (covered cells read as empty),
and odfpy builds the whole document tree in memory before anything could be bounded. The
table XML is simple enough to read directly, counting repeated rows and cells as they come.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from lxml import etree

from . import limits
from .readers import SAFE_XML, Problems, RawSheet, bounds, ref

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _count(el: etree._Element, attr: str) -> int:
    text = el.get(_T + attr, "1")
    return int(text) if text.isdecimal() and len(text) <= 9 else 0


def _ods_text(cell: etree._Element) -> str:
    """Paragraphs joined by newlines; text:s, text:tab and text:line-break as white space."""
    paras = []
    for p in cell.iterchildren(_X + "p", _X + "h"):
        out = []
        for event, el in etree.iterwalk(p, events=("start", "end")):
            if event == "start":
                if el.tag == _X + "s":
                    out.append(" " * min(_count_text(el), 1000))
                elif el.tag == _X + "tab":
                    out.append("\t")
                elif el.tag == _X + "line-break":
                    out.append("\n")
                out.append(el.text or "")
            elif el is not p:
                out.append(el.tail or "")
        paras.append("".join(out))
    return "\n".join(paras)


def _count_text(el: etree._Element) -> int:
    text = el.get(_X + "c", "1")
    return int(text) if text.isdecimal() and len(text) <= 4 else 1


def _ods_value(cell: etree._Element) -> object:
    kind = cell.get(_O + "value-type")
    if kind in ("float", "percentage", "currency"):
        return float(cell.get(_O + "value", "nan"))
    if kind == "date":
        return datetime.fromisoformat(cell.get(_O + "date-value", ""))
    if kind == "boolean":
        return cell.get(_O + "boolean-value") == "true"
    text = cell.get(_O + "string-value") if kind == "string" else None
    return (text if text is not None else _ods_text(cell)) or None


def _ods_rows(content: io.BufferedIOBase) -> Iterator[tuple[str, etree._Element | None]]:
    """(sheet name, row) for every row; (name, None) when a sheet starts."""
    for event, el in etree.iterparse(content, events=("start", "end"), **SAFE_XML):
        if el.tag == _T + "table" and event == "start":
            yield el.get(_T + "name", ""), None
        elif el.tag == _T + "table-row" and event == "end":
            yield "", el
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]


def _ods_row(row: etree._Element, title: str, r: int, problems: Problems) -> list[tuple[int, object, int, int]]:
    """(column, value, columns spanned, rows spanned) of the row's non-empty or merged cells.

    Stops at the first cell beyond the column limit (kept, so the caller names it): a repeated
    cell could otherwise stand for millions of columns.
    """
    found: list[tuple[int, object, int, int]] = []
    c = 0
    for cell in row.iterchildren(_T + "table-cell", _T + "covered-table-cell"):
        span = max(_count(cell, "number-columns-repeated"), 1)
        if cell.tag == _T + "table-cell":
            try:
                value = _ods_value(cell)
            except ValueError:
                problems.add(ref(title, r + 1, c + 1), "单元格的数值或日期无效，文件可能已损坏")
                value = None
            cols, rows = max(_count(cell, "number-columns-spanned"), 1), max(_count(cell, "number-rows-spanned"), 1)
            if value is not None or cols > 1 or rows > 1:
                for k in range(span):
                    found.append((c + k + 1, value, cols, rows))
                    if c + k + 1 + cols - 1 > limits.COLUMNS.value:
                        return found
        c += span
    return found


def read_ods(path: Path, zf: zipfile.ZipFile) -> list[RawSheet]:
    problems = Problems(path)
    sheets: list[RawSheet] = []
    full: set[str] = set()  # sheets already refused, so each is named once
    r = 0
    total = 0
    with zf.open("content.xml") as content:
        for name, row in _ods_rows(content):
            if row is None:
                if len(sheets) >= limits.SHEETS.value:
                    problems.add("", f"工作簿的工作表超过限制（{limits.SHEETS}）")
                    break
                sheets.append(RawSheet(name))
                r = 0
                continue
            sheet = sheets[-1]
            repeat = max(_count(row, "number-rows-repeated"), 1)
            found = [] if sheet.title in full else _ods_row(row, sheet.title, r, problems)
            for k in range(repeat if found else 0):
                at = r + k + 1
                for col, value, cols, rows in found:
                    last = (at + rows - 1, col + cols - 1)
                    if sheet.title in full or not bounds(sheet.title, *last, problems):
                        full.add(sheet.title)
                        break
                    total += 1
                    if total > limits.CELLS.value:
                        problems.add(sheet.title, f"单元格数超过限制（{limits.CELLS}）")
                        problems.raise_any()
                    if value is not None:
                        sheet.cells[at, col] = value
                    if cols > 1 or rows > 1:
                        sheet.merges.append((at, col, last[0], last[1]))
                if sheet.title in full:
                    break
            r += repeat
    problems.raise_any()
    return sheets
