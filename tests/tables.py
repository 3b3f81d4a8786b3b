"""Read the printed tables back out of a PDF or DOCX, keyed the way the reference JSON is."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber
from docx import Document

from reportgen.money import format_amount

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"  # origin: data/reference/README.md
LABEL = re.compile(r"公开\s*0?(\d)\s*表")
# 深圳's template misprinted 公开04's 支出 totals as 行次 23/24/28; the sample uses 59/60/64.
T04_LINE_FIX = {"shenzhen-2020": {23: 59, 24: 60, 28: 64}}


def norm(cell: object) -> str:
    return re.sub(r"\s+", "", str(cell)) if cell is not None else ""


def keyed(table_id: str, rows: list[list[str]]) -> dict[object, list[str]]:
    """Rows of one printed table by key: ('L'|'R', 行次), 科目 code, '合计', or 'row' (公开07)."""
    out: dict[object, list[str]] = {}
    for row in rows:
        row = [norm(c) for c in row]
        if table_id in ("t01", "t04") and len(row) >= 6:
            split = 3
            if row[1].isdigit():
                out[("L", int(row[1]))] = [row[2]]
            if row[split + 1].isdigit():
                out[("R", int(row[split + 1]))] = row[split + 2:]
        elif table_id == "t06" and len(row) >= 9:
            for g in range(3):
                if row[3 * g].isdigit():
                    out[row[3 * g]] = [row[3 * g + 2]]
            if row[0] == "人员经费合计":
                out["personnel"] = [row[2]]
                out["public"] = [row[-1]]
        elif table_id == "t07" and len(row) >= 12:
            if not all(c.isdigit() for c in row[:12]) and any("." in c for c in row):
                out["row"] = row[:12]
        elif row and (row[0].isdigit() or row[0] == "合计"):
            out[row[0]] = row[2:]
    return out


def pdf_tables(path: Path) -> dict[str, dict[object, list[str]]]:
    """Every table row in a PDF, attributed to the 公开0N表 whose label last appeared."""
    tables: dict[str, dict[object, list[str]]] = {}
    current = None
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            m = LABEL.search(text)
            if m:
                current = f"t0{m.group(1)}"
            elif FORM.search(text):  # the 附件's 绩效 forms follow the tables: not a 公开 table's rows
                current = None
            if current is None:
                continue
            for rows in page.extract_tables():
                tables.setdefault(current, {}).update(keyed(current, rows))
    return tables


FORM = re.compile(r"自评表|自评情况汇总表|指标体系框架")


def is_form(table) -> bool:
    """A 绩效 form of the 附件 (汇总表, 自评表, 框架), by its first cell."""
    return table.rows[0].cells[0].text in ("序号", "项目名称", "一级指标")


def docx_tables(path: Path) -> dict[str, dict[object, list[str]]]:
    doc = Document(str(path))
    out = {}
    for i, table in enumerate(doc.tables, 1):
        if is_form(table):  # the 附件's 绩效 forms come after the 公开 tables
            break
        tid = f"t{i:02d}"
        out[tid] = keyed(tid, [[c.text for c in row.cells] for row in table.rows])
    return out


def reference(name: str) -> dict:
    return json.loads((REFERENCE / f"{name}.json").read_text(encoding="utf-8"))


def shown(amount: str | None, zero: str) -> str:
    return format_amount(Decimal(amount or "0"), zero=zero)


def expected_cells(name: str) -> list[tuple[str, object, int, str]]:
    """(table, row key, column, printed text) for every amount of the reference JSON."""
    ref = reference(name)
    zero = ref["unit"]["zero_display"]
    fix = T04_LINE_FIX.get(name, {})
    out = []
    for tid in ("t01", "t04"):
        t = ref[tid]
        for r in t["income"] + t["income_totals"]:
            out.append((tid, ("L", r["row"]), 0, shown(r["amount"], zero)))
        for r in t["expenditure"] + t["expenditure_totals"]:
            line = fix.get(r["row"], r["row"]) if tid == "t04" else r["row"]
            amounts = r.get("amounts") or [r["amount"]]
            for j, a in enumerate(amounts):
                out.append((tid, ("R", line), j, shown(a, zero)))
    for tid in ("t02", "t03", "t05", "t08", "t09"):
        t = ref[tid]
        for j, a in enumerate(t["total"]):
            out.append((tid, "合计", j, shown(a, zero)))
        for r in t["rows"]:
            for j, a in enumerate(r["values"]):
                out.append((tid, r["code"], j, shown(a, zero)))
    for r in ref["t06"]["rows"]:
        out.append(("t06", r["code"], 0, shown(r["amount"], zero)))
    out.append(("t06", "personnel", 0, shown(ref["t06"]["人员经费合计"], zero)))
    out.append(("t06", "public", 0, shown(ref["t06"]["公用经费合计"], zero)))
    values = list(ref["t07"]["budget"].values()) + list(ref["t07"]["final"].values())
    for j, a in enumerate(values):
        out.append(("t07", "row", j, shown(a, zero)))
    return out


def mismatches(found: dict[str, dict[object, list[str]]], name: str) -> list[str]:
    bad = []
    for tid, key, col, text in expected_cells(name):
        row = found.get(tid, {}).get(key)
        got = row[col] if row is not None and col < len(row) else None
        if got != text:
            bad.append(f"{tid} {key} col {col}: expected {text!r}, got {got!r}")
    return bad
