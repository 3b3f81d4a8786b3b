"""The 部门预算 sample (seed 003) built end to end: every table amount read back from the PDF
(pdfplumber) and the DOCX (python-docx), the narrative's figures on the page with the three
published errors corrected, validation with the stated rounding residues, and the CLI."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as Docx

from reportgen.build import build
from reportgen.kinds import get_kind
from reportgen.kinds.yusuan.layouts import TABLES
from reportgen.kinds.yusuan.model import BudgetTable
from reportgen.kinds.yusuan.reference import tables_from
from reportgen.kinds.yusuan.tables import amount_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "shenzhen-yibao-2022.xlsx"
REF = json.loads((ROOT / "data" / "reference" / "shenzhen-yibao-2022.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("yusuan")
    result = build(SAMPLE, out, kind="yusuan")
    get_kind("juesuan", ())
    assert result.directory is not None, result.refusals
    files = {p.suffix: p for p in result.files}
    return result, files


def expected_amounts() -> dict[str, Counter]:
    """Every amount cell of the reference's tables as the page prints it (blank cells left out)."""
    tables, _ = tables_from(REF)
    out = {}
    for tid, t in tables.items():
        prec = TABLES[tid].precision
        out[tid] = Counter(amount_text(v, prec) for v in t.amounts())
    return out


def numbers(text: str) -> Counter:
    return Counter(re.findall(r"(?<![\d.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\d,]*\d)", text))


def pdf_pages(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def table_pages(pages: list[str]) -> dict[str, str]:
    """Each table's text: the pages from its label (表N above its title) to the next table's."""
    out: dict[str, str] = {}
    current = None
    for text in pages:
        for line in text.split("\n"):
            m = re.fullmatch(r"表(\d{1,2})", line.strip())
            if m and f"t{int(m.group(1)):02d}" in TABLES:
                current = f"t{int(m.group(1)):02d}"
                out.setdefault(current, "")
            elif current and "附：审核意见" not in line:
                out[current] += line + "\n"
    return out


def test_every_table_amount_is_on_the_pdf_pages_of_its_table(built):
    _, files = built
    found = table_pages(pdf_pages(files[".pdf"]))
    assert sorted(found) == sorted(TABLES)
    for tid, want in expected_amounts().items():
        missing = want - numbers(found[tid])
        assert not missing, (tid, missing)


def test_every_table_amount_is_in_the_docx_tables(built):
    _, files = built
    doc = Docx(str(files[".docx"]))
    cells: dict[str, Counter] = {}
    ids = iter(TABLES)
    tables = [t for t in doc.tables if len(t.rows) > 1]
    # The 文字部分's one table (第七部分) comes first, then 表1 … 表11 and 表11's indicators.
    tables = tables[1:]
    for t in tables:
        texts = {c._tc: c.text.strip() for row in t.rows for c in row.cells}  # a merged cell once
        head = " ".join(texts.values())
        if "一级指标" in head and "t11" in cells:
            continue
        tid = next(ids)
        cells[tid] = Counter(texts.values())
    for tid, want in expected_amounts().items():
        missing = want - cells[tid]
        assert not missing, (tid, missing)
    # 表11's indicator table follows its task table with a paragraph between: two adjacent w:tbl
    # are joined into one table by Word and LibreOffice (its header would repeat the tasks').
    body = [e.tag.rsplit("}", 1)[-1] for e in doc.element.body]
    assert body.count("tbl") == len(doc.tables) == 13
    assert all(a != "tbl" or b != "tbl" for a, b in itertools.pairwise(body))


def stated(fig: dict) -> str:
    """A narrative figure as the page prints it: separators, trailing zeros stripped (the seed's
    one 3.50 among its 3.5s reads 3.5 here, as the profile's strip_zeros says)."""
    value = fig["value"] if fig["correct"] else fig["corrected"]
    if "." in value:
        return value.rstrip("0").rstrip(".")
    return f"{int(value):,}"


def test_the_narrative_states_every_computed_figure_and_corrects_the_three_errors(built):
    _, files = built
    pages = pdf_pages(files[".pdf"])
    text = re.sub(r"\s+", "", "".join(pages[: next(i for i, p in enumerate(pages) if "表格部分" in p and i > 2)]))
    for fig in REF["narrative_figures"]:
        if fig["formula"] is None or fig["unit"] not in ("万元", "%"):
            continue
        want = stated(fig) + ("%" if fig["unit"] == "%" else "万元")
        assert want in text, (fig["id"], want)
    # spec §4.6 items 20–22: the corrected values, never the published ones.
    assert "增长84%" in text and "119%" not in text
    assert "增加386万元" in text and "784" not in text
    assert "3,829" not in text and "1,522" not in text


def test_validation_reports_the_stated_residues_as_rounding(built):
    result, _ = built
    report = result.report
    assert report.errors == []
    info = {f.rule: f for f in report.findings if f.severity == "info"}
    for rule in ("T01-03", "T01-E-21015", "T02-02", "T03-01", "T11-01"):
        assert rule in info and info[rule].difference == 1, rule
        assert info[rule].cells and all("!" in c for c in info[rule].cells)


def test_cli_validate_build_verify(built, tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=300)

    v = run("validate", str(SAMPLE), "--kind", "yusuan")
    assert v.returncode == 0, v.stdout + v.stderr
    assert "0 处错误" in v.stdout or "错误 0" in v.stdout, v.stdout[:500]
    result, _ = built
    check = run("verify", str(result.directory))
    assert check.returncode == 0, check.stdout + check.stderr


def test_table_nodes_keep_blank_cells_blank():
    tables, _ = tables_from(REF)
    t11: BudgetTable = tables["t11"]
    district = next(r for r in t11.rows if r.label == "区财政安排项目")
    assert district.values["fiscal"] is None
    assert amount_text(district.values["fiscal"], TABLES["t11"].precision) == ""
