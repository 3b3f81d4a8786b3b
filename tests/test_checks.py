"""勾稽关系: the samples' residues, mutants, strict 元, non-fiscal money, catalog, JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from reportgen.catalog import load_catalog
from reportgen.kinds.juesuan.rules import validate
from reportgen.model import Value
from reportgen.report import SCHEMA_PATH
from reportgen.sources import read_workbook
from reportgen.workbook import save_workbook
from synth import consistent_in_yuan, slots

SZ = ROOT / "data" / "shenzhen-2020.xlsx"
YC = ROOT / "data" / "yicheng-2020.xlsx"

# Spec §3: every rounding residue of the two samples, one by one (rule, where, difference).
RESIDUES = {
    SZ: {
        ("T02-2", "公开02表 合计「本年收入合计」", "0.01"),
        ("T02-2", "公开02表 合计「财政拨款收入」", "0.01"),
        ("T02-2", "公开02表 20805 行政事业单位养老支出「本年收入合计」", "-0.01"),
        ("T02-2", "公开02表 20805 行政事业单位养老支出「财政拨款收入」", "-0.01"),
        ("T06-1", "公开06表 301 工资福利支出", "-0.02"),
        ("T07-1", "公开07表 预算数", "0.01"),
        ("S06-05", "30108 ↔ 2080505", "-0.01"),
        ("N-11", "政府采购", "-0.01"),  # 000 itself notes 因单位转化四舍五入存在尾差
        ("N-19", "上年数", "-0.01"),  # spec §4.6 no. 3: 3,139.1 + 856.18 = 3,995.28 vs 3,995.27
    },
    YC: {
        ("T01-4", "公开01表", "0.01"),
        ("P-6", "绩效-1「医疗救助（含扶贫医疗）」 全年执行数", "-0.01"),  # 689.93 + 658.28 vs 1,348.2
        ("T02-2", "公开02表 210 卫生健康支出「本年收入合计」", "0.01"),
        ("T02-2", "公开02表 210 卫生健康支出「财政拨款收入」", "0.01"),
        ("T03-1", "公开03表 合计", "-0.01"),
        ("T03-1", "公开03表 210 卫生健康支出", "0.01"),
        ("T03-2", "公开03表 210 卫生健康支出「本年支出合计」", "0.01"),
        ("T03-2", "公开03表 22960 彩票公益金安排的支出「本年支出合计」", "-0.01"),
        ("T03-2", "公开03表 22960 彩票公益金安排的支出「项目支出」", "-0.01"),
        ("T03-2", "公开03表 合计「基本支出」", "0.01"),
        ("T03-2", "公开03表 合计「项目支出」", "0.01"),
        ("T04-4", "公开04表 第64行 总计", "0.01"),
        ("T04-6", "公开04表「合计」列", "0.01"),
        ("T04-8", "公开04表 政府性基金", "0.01"),
        ("T05-1", "公开05表 210 卫生健康支出", "0.01"),
        ("T05-2", "公开05表 210 卫生健康支出「小计」", "0.01"),
        ("T05-2", "公开05表 合计「基本支出」", "0.01"),
        ("T06-1", "公开06表 301 工资福利支出", "0.01"),
        ("T08-1", "公开08表 合计", "0.01"),
        ("T08-1", "公开08表 229 其他支出", "0.01"),
        ("T08-1", "公开08表 22960 彩票公益金安排的支出", "0.01"),
        ("T08-3", "公开08表 22960 彩票公益金安排的支出「小计」", "-0.01"),
        ("T08-3", "公开08表 22960 彩票公益金安排的支出「项目支出」", "-0.01"),
        ("X02-03", "收支差额", "0.01"),
    },
}


@pytest.mark.parametrize("path", [SZ, YC], ids=["shenzhen", "yicheng"])
def test_samples_have_no_errors_and_every_residue_is_rounding_info(path):
    report = validate(read_workbook(path))
    assert report.count("error") == 0
    warnings = [(f.rule, str(f.difference)) for f in report.findings if f.severity == "warning"]
    # Spec §4.6 no. 6: 000's seven project 执行数 sum to 5,318.86 against 项目支出 5,317.12;
    # no. 9: 001's 劳务费 prints 执行率 72.21 % (score 7.22, total 97.22) for 4.9 ÷ 6.8 = 72.06 %, and its
    # first central-subsidy form 99.96 % for 7.99 ÷ 8 (tests/test_performance.py names the cells).
    assert warnings == ([("N-10", "-1.74")] if path == SZ else
                        [("P-3", "0.01"), ("P-4", "0.01"), ("P-5", "0.15"), ("P-5", "0.08")])
    found = {(f.rule, f.where, str(f.difference)) for f in report.findings if f.severity == "info"}
    assert found == RESIDUES[path]
    assert all(f.cells and "!" in f.cells[0] for f in report.findings)


DELTAS = [Decimal(x) for x in ("0.10", "-0.10", "0.37", "-1", "5.55", "-12.34", "100", "-250",
                               "999.99", "-1000")]


@pytest.mark.parametrize("path", [SZ, YC], ids=["shenzhen", "yicheng"])
def test_every_mutant_that_breaks_an_identity_is_an_error_naming_its_cell(path):
    d = read_workbook(path)
    catalog = load_catalog(d.settings.year)
    baseline = validate(d, catalog=catalog)
    targets = list(slots(d))
    refs = {values[j].ref for _, values, j in targets}
    assert refs <= baseline.touched, "every amount the tables hold is read by some identity"
    mutants = missed = 0
    misses = []
    for i, (_tid, values, j) in enumerate(targets):
        original = values[j]
        for delta in (DELTAS[i % len(DELTAS)], DELTAS[(i + 3) % len(DELTAS)]):
            values[j] = Value(original.amount + delta, original.ref)
            report = validate(d, catalog=catalog)
            mutants += 1
            if not any(original.ref in f.cells for f in report.errors):
                missed += 1
                misses.append(f"{original.ref} {delta:+}")
        values[j] = original
    assert mutants >= 500
    assert misses == [], f"{missed}/{mutants} mutants missed: {misses[:10]}"


def test_yuan_workbook_passes_strict_and_fails_on_one_yuan(tmp_path):
    d = consistent_in_yuan(read_workbook(YC))
    path = tmp_path / "yuan.xlsx"
    save_workbook(d, path)
    back = read_workbook(path)
    assert back.settings.money_unit == "元"
    report = validate(back)
    assert report.strict and report.errors == [], [f.message for f in report.errors]
    # strict: no rounding allowance at all in the tables (the 绩效自评表 stay in 万元, with their own
    # rounding allowance: 医疗救助's 689.93 + 658.28 against 1,348.2)
    assert [f.rule for f in report.findings if f.severity == "info"] == ["P-6"]
    # One cell off by 1 元: 公开03 2101501 行政运行, 基本支出.
    wb = load_workbook(path)
    ws = wb["公开03表"]
    row = next(r for r in ws.iter_rows() if r[0].value == "2101501")
    row[3].value = float(Decimal(repr(row[3].value)) + 1)
    wb.save(path)
    report = validate(read_workbook(path))
    assert report.errors and all(f"公开03表!{row[3].coordinate}" in f.cells for f in report.errors[:1])


def test_yuan_workbook_prints_wan_yuan(tmp_path):
    from reportgen.document import build_document

    d = consistent_in_yuan(read_workbook(SZ))
    doc = build_document(d)
    t01 = doc.parts[1].tables[0]
    assert t01.body[0][2].text == "12,646.12"  # 126,461,200 元 shown as 万元


def nonfiscal_workbook(tmp_path: Path) -> Path:
    """深圳 with 其他收入 50 and a non-fiscal carry-over 20: 公开04 totals now differ from 公开01."""
    wb = load_workbook(SZ)
    ws1, ws2, ws3 = wb["公开01表"], wb["公开02表"], wb["公开03表"]

    def bump(ws, label_col: int, label: str, col: int, delta: float) -> None:
        row = next(r for r in ws.iter_rows() if r[label_col - 1].value == label)
        cell = row[col - 1]
        cell.value = float(Decimal(repr(cell.value or 0)) + Decimal(repr(delta)))

    bump(ws1, 1, "八、其他收入", 3, 50)
    bump(ws1, 1, "本年收入合计", 3, 50)
    bump(ws1, 1, "年初结转和结余", 3, 20)
    bump(ws1, 1, "总计", 3, 70)
    bump(ws1, 4, "总计", 6, 70)
    bump(ws1, 4, "本年支出合计", 6, 60)
    bump(ws1, 4, "九、卫生健康支出", 6, 60)
    bump(ws1, 4, "年末结转和结余", 6, 10)
    for code in ("合计", "210", "21015", "2101599"):
        bump(ws2, 1, code, 3, 50)
        bump(ws2, 1, code, 9, 50)  # 其他收入
        bump(ws3, 1, code, 3, 60)
        bump(ws3, 1, code, 5, 60)  # 项目支出
    path = tmp_path / "nonfiscal.xlsx"
    wb.save(path)
    return path


def test_non_fiscal_money_raises_no_false_error_and_says_what_it_skipped(tmp_path):
    report = validate(read_workbook(nonfiscal_workbook(tmp_path)))
    assert report.errors == [], [f"{f.rule} {f.message}" for f in report.errors]
    skipped = {s.rule for s in report.skipped}
    assert {"X01-04b", "X01-04c", "X01-04d", "X01-04e", "X03-05", "X03-05r"} <= skipped
    reason = next(s.reason for s in report.skipped if s.rule == "X01-04c")
    assert "其他收入 50.00" in reason and "年初结转和结余" in reason


def test_non_fiscal_inequalities_still_catch_impossible_figures(tmp_path):
    wb = load_workbook(nonfiscal_workbook(tmp_path))
    ws = wb["公开05表"]
    row = next(r for r in ws.iter_rows() if r[0].value == "2101599")
    row[2].value = float(Decimal(repr(row[2].value)) + 500)  # GPB spending above all spending
    path = tmp_path / "impossible.xlsx"
    wb.save(path)
    report = validate(read_workbook(path))
    assert any(f.rule == "X03-05r" and f"公开05表!{row[2].coordinate}" in f.cells for f in report.errors)


def test_catalog_checks_and_a_units_own_catalog(tmp_path):
    wb = load_workbook(YC)
    ws = wb["公开03表"]
    row = next(r for r in ws.iter_rows() if r[0].value == "2101501")
    row[1].value = "行政运行费"  # not the official name
    path = tmp_path / "names.xlsx"
    wb.save(path)
    report = validate(read_workbook(path))
    name = [f for f in report.findings if f.rule == "C-3"]
    assert len(name) == 1 and name[0].severity == "warning" and "「行政运行」" in name[0].message
    # A code the catalog does not know is a warning; the unit's own catalog makes it known.
    d = read_workbook(YC)
    t03 = d.tables["t03"]
    t03.rows[-1].code = "2296098"
    assert any(f.rule == "C-4" for f in validate(d).findings)
    extra = tmp_path / "own.csv"
    extra.write_text("code,name,note\n2296098,用于城乡医疗救助的彩票公益金支出,本地科目\n", encoding="utf-8")
    own = validate(d, catalog=load_catalog(2020, extra))
    assert not any(f.rule == "C-4" for f in own.findings)


def test_a_child_without_its_parent_is_an_error():
    d = read_workbook(YC)
    t02 = d.tables["t02"]
    t02.rows = [r for r in t02.rows if r.code != "21004"]
    report = validate(d)
    assert any(f.rule == "C-2" and "21004" in f.message for f in report.errors)


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_validate_json_matches_its_schema_and_exit_codes(tmp_path):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    ok = run("validate", str(YC), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    jsonschema.validate(data, schema)
    assert data["summary"]["info"] == 24 and data["summary"]["errors"] == 0  # 23 + P-6 (绩效-1)

    wb = load_workbook(YC)
    wb["公开01表"]["C7"] = 1000  # 一般公共预算财政拨款收入
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    failed = run("validate", str(bad), "--format", "json")
    assert failed.returncode == 1
    data = json.loads(failed.stdout)
    jsonschema.validate(data, schema)
    assert data["summary"]["errors"] > 0
    assert all("公开01表!C7" in f["cells"] for f in data["findings"] if f["severity"] == "error")

    text = run("validate", str(bad))
    assert text.returncode == 1 and "[错误] T01-1" in text.stdout and "公开01表!C7" in text.stdout

    unreadable = run("validate", str(tmp_path / "missing.xlsx"))
    assert unreadable.returncode == 2 and "Traceback" not in unreadable.stderr

    refused = run("build", str(bad), "--output", str(tmp_path / "out"))
    assert refused.returncode == 1 and "未生成正式文档" in refused.stderr and "公开01表!C7" in refused.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))
