"""Cells and merged ranges of every sheet of an .xlsx, .xls or .ods workbook, within the limits.

- .xlsx: one streaming pass over each sheet's XML (lxml iterparse) first checks the used
  range, merged and hyperlink ranges (openpyxl would materialise every cell of them), cell
  counts, numbers, and formulas without a cached result; only then does openpyxl load it.
- .xls: xlrd (formatting_info=True for merged cells, ragged rows so nothing is padded).
- .ods: see ods_reader.py.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import xlrd
from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from . import limits
from .errors import InputError, Problem

Cell = tuple[int, int]
Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (1-based, inclusive)

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
SAFE_XML = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class RawSheet:
    title: str
    cells: dict[Cell, object] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)


class Problems:
    """Problems of one file, capped so a hostile file cannot print a million lines."""

    def __init__(self, path: Path):
        self.file = str(path)
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, where: str, message: str) -> None:
        if len(self.items) < limits.PROBLEMS.value:
            self.items.append(Problem(self.file, where, message))
        else:
            self.dropped += 1

    def raise_any(self) -> None:
        if self.dropped:
            self.items.append(Problem(self.file, "", f"另有 {self.dropped} 处问题未列出（{limits.PROBLEMS}）"))
        if self.items:
            raise InputError(self.items)


def ref(title: str, r: int, c: int) -> str:
    return f"{title}!{get_column_letter(c)}{r}" if 1 <= c <= 18278 else f"{title}!R{r}C{c}"


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def bounds(title: str, r: int, c: int, problems: Problems) -> bool:
    """False (with one problem) when a cell lies beyond the row or column limit."""
    if r > limits.ROWS.value:
        problems.add(title, f"工作表用到第 {r} 行（{ref(title, r, c)}），超过限制（{limits.ROWS}）；"
                     "请删除表格下方多余的行后保存")
        return False
    if c > limits.COLUMNS.value:
        problems.add(title, f"工作表用到第 {c} 列（{ref(title, r, c)}），超过限制（{limits.COLUMNS}）；"
                     "请删除表格右侧多余的列后保存")
        return False
    return True


def _parse_ref(text: str) -> Cell | None:
    m = _REF.match(text.strip())
    if not m:
        return None
    return int(m.group(2)), column_index_from_string(m.group(1))


def _range(text: str) -> Merge | None:
    first, _, last = text.partition(":")
    a, b = _parse_ref(first), _parse_ref(last or first)
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


# -- .xlsx ------------------------------------------------------------------------------------


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(zf.read(name), etree.XMLParser(**SAFE_XML))


def xlsx_sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) for every worksheet, in workbook order."""
    book = _xml(zf, "xl/workbook.xml")
    targets = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in zf.namelist():
        for rel in _xml(zf, rels):
            target = rel.get("Target", "")
            # Resolved as openpyxl resolves it, so the part checked is the part it will load.
            path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = path
    out = []
    for el in book.iter():
        if _local(el.tag) == "sheet":
            part = targets.get(el.get(f"{{{REL_NS}}}id") or el.get("{http://purl.oclc.org/ooxml/officeDocument/"
                                                                   "relationships}id"))
            if part and part in zf.namelist():
                out.append((el.get("name", ""), part))
    return out


def _scan_cell(title: str, el: etree._Element, r: int, c: int, problems: Problems) -> None:
    kids = {_local(k.tag): k for k in el}
    v = kids.get("v")
    kind = el.get("t", "n")
    if "f" in kids and (v is None or (not v.text and kind not in ("str", "s", "inlineStr"))):
        formula = (kids["f"].text or "").strip()[:40]
        problems.add(ref(title, r, c), f"单元格是公式（={formula}），但文件没有保存它的计算结果；"
                     "请在 Excel/WPS 中打开、重新计算（F9）并保存后再试")
        return
    if v is None or v.text is None:
        return
    text = v.text.strip()
    if kind == "n":
        try:
            ok = math.isfinite(float(text))
        except ValueError:
            ok = False
        if not ok:
            problems.add(ref(title, r, c), f"数值单元格的内容不是有效数字：读到「{text[:40]}」，应为有限的数字")
    elif kind == "d":
        try:
            datetime.fromisoformat(text)
        except ValueError:
            problems.add(ref(title, r, c), f"日期单元格的内容不是有效日期：读到「{text[:40]}」")


def scan_xlsx_sheet(zf: zipfile.ZipFile, title: str, part: str, problems: Problems, cells: list[int]) -> None:
    """Check one worksheet's XML without building it; `cells` counts cells across the workbook."""
    area = 0
    r, c = 0, 0
    with zf.open(part) as stream:
        for _event, el in etree.iterparse(stream, events=("end",), **SAFE_XML):
            tag = _local(el.tag)
            if tag == "c":
                at = _parse_ref(el.get("r", "")) if el.get("r") else (r or 1, c + 1)
                if at is None:
                    problems.add(title, f"单元格坐标「{el.get('r', '')[:20]}」无效，文件可能已损坏")
                    return
                r, c = at
                if not bounds(title, r, c, problems):
                    return
                cells[0] += 1
                if cells[0] > limits.CELLS.value:
                    problems.add(title, f"单元格数超过限制（{limits.CELLS}）")
                    return
                _scan_cell(title, el, r, c, problems)
            elif tag == "row":
                r, c = (int(el.get("r")) if (el.get("r") or "").isdecimal() else r + 1), 0
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
            elif tag in ("mergeCell", "hyperlink"):
                rng = _range(el.get("ref", ""))
                if rng is None:
                    if tag == "mergeCell":
                        problems.add(title, f"合并区域「{el.get('ref', '')[:30]}」无效，文件可能已损坏")
                        return
                    continue
                if not bounds(title, rng[2], rng[3], problems):
                    return
                area += (rng[2] - rng[0] + 1) * (rng[3] - rng[1] + 1)
                if area > limits.CELLS.value:
                    problems.add(title, f"合并区域或超链接覆盖的单元格超过限制（{limits.CELLS}）")
                    return
                el.clear()
            elif tag == "sheetData":
                r = 0


def _count_elements(zf: zipfile.ZipFile, part: str, tag: str, limit: int) -> int:
    """How many `tag` elements a part has, counting no further than just past `limit`."""
    n = 0
    with zf.open(part) as stream:
        for _event, el in etree.iterparse(stream, events=("end",), **SAFE_XML):
            if _local(el.tag) == tag:
                n += 1
                el.clear()
                if n > limit:
                    break
    return n


def check_other_parts(zf: zipfile.ZipFile, sheets: set[str], problems: Problems) -> None:
    """Shared strings and comments become one object each; other XML parts must be small."""
    for info in zf.infolist():
        name = info.filename
        if name in sheets or not name.endswith((".xml", ".rels")):
            continue
        base = posixpath.basename(name)
        tag = "si" if base.startswith("sharedStrings") else "comment" if base.startswith("comments") else None
        if tag is not None:
            if _count_elements(zf, name, tag, limits.CELLS.value) > limits.CELLS.value:
                problems.add("", f"部件 {name[:60]} 的条目超过限制（{limits.CELLS}）")
        elif info.file_size > limits.XML_PART_BYTES.value:
            problems.add("", f"部件 {name[:60]} 解压后有 {info.file_size // (1 << 20)} MB，"
                         f"超过限制（{limits.XML_PART_BYTES}）")


def read_xlsx(path: Path, data: bytes, zf: zipfile.ZipFile) -> list[RawSheet]:
    problems = Problems(path)
    parts = xlsx_sheet_parts(zf)
    if len(parts) > limits.SHEETS.value:
        problems.add("", f"工作簿有 {len(parts)} 张工作表，超过限制（{limits.SHEETS}）")
        problems.raise_any()
    cells = [0]
    for title, part in parts:
        scan_xlsx_sheet(zf, title, part, problems, cells)
        if cells[0] > limits.CELLS.value:  # named once, on the sheet that crossed it
            break
    check_other_parts(zf, {part for _, part in parts}, problems)
    problems.raise_any()
    with warnings.catch_warnings():  # openpyxl warns in English about extensions it ignores
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for ws in wb.worksheets:
        if not bounds(ws.title, ws.max_row, 1, problems) or not bounds(ws.title, 1, ws.max_column, problems):
            continue  # a sheet the scan did not see (it never should): never materialise its range
        sheet = RawSheet(ws.title, merges=[(m.min_row, m.min_col, m.max_row, m.max_col)
                                           for m in ws.merged_cells.ranges])
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cells[r, c] = value
        sheets.append(sheet)
    problems.raise_any()
    return sheets


# -- .xls -------------------------------------------------------------------------------------


def _xls_value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> object:
    match cell.ctype:
        case xlrd.XL_CELL_TEXT:
            return cell.value or None
        case xlrd.XL_CELL_NUMBER:
            return cell.value
        case xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        case xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        case xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERROR!")
    return None


def read_xls(path: Path, data: bytes) -> list[RawSheet]:
    problems = Problems(path)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True,
                                  logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise InputError([Problem(str(path), "", "工作簿设置了打开密码（已加密），无法读取。请在 Excel/WPS 中"
                                      "输入密码打开，取消密码后另存为 Excel 工作簿 (.xlsx) 再试")]) from None
        raise
    if book.nsheets > limits.SHEETS.value:
        problems.add("", f"工作簿有 {book.nsheets} 张工作表，超过限制（{limits.SHEETS}）")
        problems.raise_any()
    sheets = []
    for i in range(book.nsheets):
        sh = book.sheet_by_index(i)
        if not bounds(sh.name, sh.nrows, 1, problems) or not bounds(sh.name, 1, sh.ncols, problems):
            continue
        sheet = RawSheet(sh.name, merges=[(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells])
        for r in range(sh.nrows):
            for c, cell in enumerate(sh.row(r)):
                value = _xls_value(book, cell)
                if value is not None:
                    sheet.cells[r + 1, c + 1] = value
        book.unload_sheet(i)
        sheets.append(sheet)
    problems.raise_any()
    return sheets
