"""The 绩效 forms on the page: the 附件 part, read back from the PDF (pdfplumber) and the DOCX
(python-docx), every cell in its row and column; its place and numbering follow the profile."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from reportgen.build import build
from reportgen.document import build_document
from reportgen.kinds import get_kind
from reportgen.render.html import render_html
from reportgen.sources import read_workbook
from reportgen.tree import Table, grid_positions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def kind_profiles_only():
    yield
    get_kind("juesuan", ())


def squash(text: str | None) -> str | None:
    return re.sub(r"\s+", "", text or "") or None


def forms(workbook: Path) -> list[Table]:
    doc = build_document(read_workbook(workbook))
    return [t for p in doc.parts if p.role == "attachments" for t in p.tables]


def origin_grid(t: Table) -> list[list[str | None]]:
    """Each cell's text at its grid position; positions a merge covers are None (as pdfplumber reads)."""
    grid: list[list[str | None]] = [[None] * t.ncols for _ in t.body]
    for r, c, cell in grid_positions(t.body):
        grid[r][c] = squash(cell.text)
    return grid


def filled_grid(t: Table) -> list[list[str | None]]:
    """Each cell's text at every position it covers (as python-docx's row.cells reads a merge)."""
    grid: list[list[str | None]] = [[None] * t.ncols for _ in t.body]
    for r, c, cell in grid_positions(t.body):
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                grid[r + dr][c + dc] = squash(cell.text)
    return grid


def pdf_rows(pdf: Path) -> list[list[str | None]]:
    with pdfplumber.open(pdf) as doc:
        return [[squash(c) for c in row] for page in doc.pages for t in page.extract_tables() for row in t]


def same_row(got: list[str | None], want: list[str | None]) -> bool:
    """Equal cell by cell; a page that shows only some of a form's rows can lack a column
    boundary no row on it draws, and then the texts must still come in order."""
    if len(got) == len(want):
        return got == want
    return [x for x in got if x] == [x for x in want if x]


@pytest.mark.parametrize(("sample", "count", "first"), [
    ("yicheng-2020", 14, "2020年度项目支出绩效自评情况汇总表"),
    ("shenzhen-2020", 8, "附件1-1 部门整体支出绩效评价共性指标体系框架（2020年度）"),
])
def test_every_form_cell_reads_back_from_the_pdf_and_the_docx(built, sample, count, first):
    expected = forms(ROOT / "data" / f"{sample}.xlsx")
    assert len(expected) == count and expected[0].title.text == first
    rows, i, exact = pdf_rows(built[sample]["pdf"]), 0, 0
    for t in expected:
        for want in origin_grid(t):
            j = next((j for j in range(i, len(rows)) if same_row(rows[j], want)), None)
            assert j is not None, (t.id, want)
            exact += len(rows[j]) == len(want)
            i = j + 1
    # Most rows compare column by column (measured: 深圳 128 of 173; the rest are rows of a page
    # without every column boundary, compared in order).
    assert exact > 0.7 * sum(len(t.body) for t in expected)
    docx_tables = Docx(str(built[sample]["docx"])).tables[-count:]
    for t, dt in zip(expected, docx_tables, strict=True):
        assert [[squash(c.text) for c in row.cells] for row in dt.rows] == filled_grid(t), t.id


def test_the_forms_print_the_computed_scores(built):
    """峄城 劳务费: published 72.21 % / 97.22; the page shows 4.9 ÷ 6.8 = 72.06 % and 97.21."""
    text = re.sub(r"\s+", "", "".join(
        p.extract_text() or "" for p in pdfplumber.open(built["yicheng-2020"]["pdf"]).pages[-14:]))
    assert "72.06%" in text and "97.21" in text and "72.21%" not in text and "97.22" not in text
    sz = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdfplumber.open(
        built["shenzhen-2020"]["pdf"]).pages[-13:]))
    for score in ("96.6", "92.9", "88.7", "92.4", "94.45", "94.27"):
        assert score in sz
    assert [n for n in re.findall(r"附件2-(\d)项目支出绩效自评表", sz)][:7] == list("1234567")


def test_no_performance_sheets_no_attachments_part(tmp_path):
    wb = load_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    for ws in [ws for ws in wb.worksheets if ws.title.startswith("绩效-")]:
        wb.remove(ws)
    wb.save(tmp_path / "u.xlsx")
    doc = build_document(read_workbook(tmp_path / "u.xlsx"), draft=True)
    assert [p.role for p in doc.parts if p.role != "review"][-1] == "glossary"
    assert not any("附件" in e.text for e in doc.toc)


def test_a_separate_performance_part_and_a_layout_of_the_units_own(tmp_path):
    """004-style: 预算绩效管理情况 as its own part before 名词解释, with a layout the unit defines."""
    shutil.copy(ROOT / "data" / "yicheng-2020.xlsx", tmp_path / "u.xlsx")
    kind = get_kind("juesuan", ())
    own = tmp_path / "profile"
    own.mkdir()
    text = (kind.profiles_dir / "yicheng.toml").read_text(encoding="utf-8")
    text = text.replace('layout = "weighted"\n', 'layout = "mine"\n')
    text += ('\n[performance.layouts.mine]\nbase = "weighted"\ntitle = "项目绩效自评结果表"\n'
             'value_heads = ["目标值", "完成值"]\n')
    parts = (("overview", "{named}{who}概况"), ("tables", "{named}{year}年度{kind}表"),
             ("narrative", "{named}{year}年度{kind}情况说明"), ("attachments", "预算绩效管理情况"),
             ("glossary", "名词解释"))
    text += "".join(f'\n[[parts]]\npart = "{p}"\nheading = "{h}"\n' for p, h in parts)
    (own / "yicheng.toml").write_text(text, encoding="utf-8")
    result = build(tmp_path / "u.xlsx", tmp_path / "out", ("html",), draft=True, profile_dirs=(own,))
    html = next(result.directory.glob("*.html")).read_text(encoding="utf-8")
    plain = re.sub(r"<[^>]+>", "", html)
    assert "第四部分 预算绩效管理情况" in plain and "第五部分 名词解释" in plain
    assert plain.index("预算绩效管理情况") < plain.rindex("项目绩效自评结果表") < plain.rindex("名词解释")
    assert "目标值" in plain and "年度指标值" not in plain.split("预算绩效管理情况")[-1]


def test_an_unknown_layout_is_named_by_profile_check(tmp_path, capsys):
    from reportgen.cli import main

    kind = get_kind("juesuan", ())
    text = (kind.profiles_dir / "yicheng.toml").read_text(encoding="utf-8").replace(
        'layout = "weighted"\n', 'layout = "wieghted"\n')
    (tmp_path / "yicheng.toml").write_text(text, encoding="utf-8")
    assert main(["profile", "check", str(tmp_path)]) == 2
    assert "layout「wieghted」不是已有的表样" in capsys.readouterr().err


def test_init_then_one_project_by_hand_then_build_shows_its_form(tmp_path):
    """The form is on the page with the computed values, and the 绩效 paragraph agrees with it."""
    from perf_fill import fill_one_project
    from reportgen.cli import main

    target = tmp_path / "unit.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某某局", str(target)]) == 0
    fill_one_project(target)
    result = build(target, tmp_path / "out", ("html", "docx"), draft=True)
    html = next(result.directory.glob("*.html")).read_text(encoding="utf-8")
    start = html.index('id="fj-')
    annex = re.sub(r"<[^>]+>", "|", html[start:html.index('id="review"')])  # the draft's 审核意见 follows
    cells = [c for c in re.split(r"\s*\|+\s*", annex) if c]
    # 执行率 60 ÷ 80 = 75.00 %, its score 7.50; 系统数 8 ÷ 10 × 40 = 32 (typed 35); 总分 89.5 (typed 92.5)
    assert cells[cells.index("年度资金总额"):][:7] == ["年度资金总额", "100", "80", "60", "10", "75.00%", "7.50"]
    assert cells[cells.index("系统数"):][:5] == ["系统数", "10套", "8套", "40", "32"]
    assert cells[cells.index("总分"):][:3] == ["总分", "100", "89.50"]
    assert "35" not in cells and "92.5" not in annex
    narrative = re.sub(r"<[^>]+>", "", html[:start])
    assert re.search(r"1\s*个项目", narrative) and "良" in narrative
    docx = Docx(str(next(result.directory.glob("*.docx"))))
    (form,) = [t for t in docx.tables if t.rows[0].cells[0].text == "项目名称"]
    assert [c.text for c in form.rows[0].cells][:2] == ["项目名称", "信息系统运维"]


def test_key_evaluations_from_their_sheet_reach_the_performance_section(tmp_path, capsys):
    """重点评价: the sheet `init` writes, two results typed in, the 绩效 section lists them."""
    from reportgen.cli import main

    target = tmp_path / "unit.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某某局", str(target)]) == 0
    wb = load_workbook(target)
    ws = wb["重点评价"]
    assert [c.value for c in ws[1]] == ["项目名称", "评价涉及资金", "评价得分", "评价等级", "评价方式", "主要结论"]
    ws.append(["医疗救助资金", 1361.11, 91.5, "优", "财政重点评价", "资金使用规范，救助及时。"])
    ws.append(["信息系统运维", 80, 85, "良", "第三方评价", None])
    wb.save(target)
    d = read_workbook(target)
    assert [(k.name, k.amount.amount, k.score.amount, k.ref) for k in d.supplement.key_evaluations] == [
        ("医疗救助资金", Decimal("1361.11"), Decimal("91.5"), "重点评价!A2"),
        ("信息系统运维", Decimal(80), Decimal(85), "重点评价!A3")]
    text = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", render_html(build_document(d, draft=True))))
    assert ("2021年度，我单位有2个项目开展重点绩效评价，涉及资金1,441.11万元：医疗救助资金（财政重点评价），"
            "评价得分91.5分，评价等级为优，资金使用规范，救助及时；信息系统运维（第三方评价），评价得分85分，"
            "评价等级为良。") in text
    ws = wb["重点评价"]
    ws["C2"] = 105
    wb.save(target)
    assert main(["validate", str(target)]) == 2
    assert "重点评价!C2" in capsys.readouterr().err


def test_typed_prose_keeps_its_full_width_punctuation():
    """The forms print goals and outcomes as typed: 「资料，并进行」, never 「资料,并进行」."""
    d = read_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    text = re.sub(r"<[^>]+>", "", render_html(build_document(d)))
    assert "相关数据资料，并进行现场调研、座谈；核实资金使用等情况，分析形成初步结论" in text
    assert not re.search(r"[\u4e00-\u9fff],[\u4e00-\u9fff]", text)
