"""情况说明, charts and 名词解释: every figure from the workbook, worded per profile."""

from __future__ import annotations

import re
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import ROOT
from fixture_002 import sichuan_2020
from reportgen.analysis import Style, compare, shares
from reportgen.build import write_outputs
from reportgen.kinds.juesuan.narrative import build_narrative, economic_list
from reportgen.model import EconomicTable
from reportgen.profile import Numbers, profiles
from reportgen.render.html import phrase
from reportgen.sources import read_workbook

D = Decimal


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"—\d+—", "", text)  # page numbers interrupt sentences at page breaks


# Spec §4.5: every ✓ percentage and change amount of 000 and 001, as the text prints it.
EXPECTED = {
    "shenzhen-2020": [
        "增加8,650.53万元，增加216.1%", "增加8,647.8万元，增加216.5%", "占100%",
        "基本支出7,325.95万元，占57.9%", "项目支出5,317.12万元，占42.1%", "完成预算的70.2%",
        "社会保障和就业支出781.16万元，占6.2%；调整预算数为781.16万元，完成预算的100%",
        "卫生健康支出11,223.72万元，占88.8%；调整预算数为16,601.17万元，完成预算的67.6%",
        "住房保障支出638.19万元，占5%；调整预算数为638.19万元，完成预算的100%",
        "增加4,186.85万元，增加133.4%", "全年预算数为162.53万元，完成预算的89.4%",
        "全年预算数为135.53万元，完成预算的94.2%", "全年预算数为27万元，完成预算的65.5%",
        "全年预算数为0.78万元，完成预算的100%", "减少0.6万元，减少43.5%",
        "预算执行率80.6%", "预算执行率38.6%", "预算执行率7.5%", "预算执行率33.7%", "预算执行率91.6%",
        "流动资产922.41万元，占资产总额的49.1%", "非流动资产957.73万元，占资产总额的50.9%",
        "增加137.9万元", "减少6.82万元", "增加145.32万元", "增加127.63万元", "增加17.69万元", "增加522.23万元",
    ],
    "yicheng-2020": [
        "收、支总计各增加1,404.72万元，增长561.91%", "增加1,351.49万元，增长540.62%",
        "财政拨款收入1,601.48万元，占100%", "基本支出222.3万元，占13.56%", "项目支出1,417.06万元，占86.44%",
        "增加100.2万元，增长82.06%", "增加1,342.4万元，增长1,798.02%", "占本年支出合计的95.33%",
        "增加1,408.78万元，增长914.55%", "支出29.52万元，占1.89%", "支出1,533.3万元，占98.11%",
        "年初预算为20.38万元，支出决算为19.68万元，完成年初预算的96.57%",
        "年初预算为10.19万元，支出决算为9.84万元，完成年初预算的96.57%",
        "完成年初预算的88.57%", "完成年初预算的111.65%", "完成年初预算的11.24%", "完成年初预算的99.57%",
        "完成年初预算的78.36%",
        "年初预算为1.86万元，支出决算为1.31万元，比年初预算减少0.55万元，完成年初预算的70.43%",
        "比年初预算减少0.37万元，完成年初预算的75.33%", "比年初预算减少0.18万元，完成年初预算的50%",
        "年初预算为350万元，支出决算为64.28万元，完成年初预算的18.37%",
        "比年初预算数减少1.87万元，降低23.88%",
    ],
}


@pytest.fixture(scope="module")
def texts(built):
    return {name: pdf_text(files["pdf"]) for name, files in built.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_checked_figure_of_spec_4_5_is_in_the_pdf(texts, name):
    missing = [e for e in EXPECTED[name] if e not in texts[name]]
    assert missing == []
    assert "【待补充" not in texts[name]


def test_published_errors_of_000_are_corrected(texts):
    t = texts["shenzhen-2020"]
    # 1: 三公 146.1 / 163.32 = 89.5 %, not the printed 89.4 %.
    assert re.search(r"“三公”经费支出146\.1万元，全年预算数为163\.32万元（[^）]*），完成预算的89\.5%", t)
    # 4: 财政拨款支出 is the 12,643.07 its increase of 8,647.8 was computed from.
    assert "财政拨款支出12,643.07万元" in t and "财政拨款支出12,652.9" not in t
    # 7: no "0 元" unit slip.
    assert "0元相比" not in t


def test_published_error_of_001_is_corrected(texts):
    t = texts["yicheng-2020"]
    # 8: the 一般公共预算 年初预算 is the sum of its 项 (1,445.03), not 1,795.03 with the GF 350.
    assert "年初预算为1,445.03万元，支出决算为1,562.82万元，完成年初预算的108.15%" in t
    assert "1,795.03" not in t


def test_personnel_and_public_lists_are_the_nonzero_06_rows():
    for name in ("shenzhen-2020", "yicheng-2020"):
        t06 = read_workbook(ROOT / "data" / f"{name}.xlsx").tables["t06"]
        assert isinstance(t06, EconomicTable)
        nonzero = {r.code: r.name for r in t06.rows() if len(r.code) == 5 and r.value.amount}
        people = economic_list(t06, ("301", "303"))
        assert people == [nonzero[c] for c in sorted(nonzero) if c[:3] in ("301", "303")]
    sz = read_workbook(ROOT / "data" / "shenzhen-2020.xlsx").tables["t06"]
    people, public = economic_list(sz, ("301", "303")), economic_list(sz, ("302", "307", "310", "312", "399"))
    # The published 000 lists were stale (spec §5): they missed these and named zero rows.
    assert "职工基本医疗保险缴费" in people and "住房公积金" in people and "生活补助" not in people
    assert "印刷费" not in public and len(public) == 13


# -- wording --------------------------------------------------------------------------------

YC = profiles()["峄城"]
SZ = profiles()["深圳"]
SC = profiles()["四川"]


def words(current: str, base: str, profile=YC) -> str:
    return phrase(compare(D(current), D(base), Style(profile.numbers)), profile.words)


def test_increase_decrease_equal():
    assert words("1654.71", "249.99") == "增加1,404.72万元，增长561.91%"
    assert words("1654.71", "249.99", SZ) == "增加1,404.72万元，增加561.9%"
    assert words("5.96", "7.83") == "减少1.87万元，降低23.88%"
    assert words("0.78", "1.38", SZ) == "减少0.6万元，减少43.5%"
    assert words("12", "12") == "相同" and words("12", "12", SC) == "持平"


def test_zero_base_and_zero_value():
    assert words("5.2", "0") == "增加5.2万元"  # 000/001: no percentage
    assert words("5.2", "0", SC) == "增加5.2万元，增长——%（基数为0，不可比）"
    assert words("0", "28.91", SC) == "减少28.91万元，下降100%"
    assert words("0", "0") == "相同"


def test_negative_figures():
    assert words("-5", "10") == "减少15万元，降低150%"
    assert words("5", "-10") == "增加15万元，增长150%"


def test_precision_is_half_up_with_trailing_zeros_stripped():
    def pct(value: str, places: int) -> str:
        return Style(Numbers(percent_places=places)).percent(D(value))

    assert pct("2.345", 2) == "2.35" and pct("0.125", 2) == "0.13"
    assert pct("0.25", 1) == "0.3" and pct("216.451", 1) == "216.5"
    assert pct("2.5", 0) == "3" and pct("4.499", 0) == "4"
    assert pct("100.00", 2) == "100" and pct("5.04", 1) == "5"
    assert Style(Numbers()).amount(D("12652.90")) == "12,652.9"
    assert Style(Numbers(separators=False)).amount(D("6696.34")) == "6696.34"


def test_shares_can_be_balanced_to_100():
    items = [("a", D("219079")), ("b", D("94089.93")), ("c", D("108502.8"))]
    whole = D("421671.73")
    assert [s.percent for s in shares(items, whole, Style(Numbers()))] == ["51.95", "22.31", "25.73"]
    balanced = shares(items, whole, Style(Numbers(balance_shares=True)))
    assert [s.percent for s in balanced] == ["51.95", "22.31", "25.74"]


# -- charts ---------------------------------------------------------------------------------

def test_all_seven_charts_for_data_shaped_like_002(tmp_path):
    d = sichuan_2020()
    n = build_narrative(d)
    files = write_outputs(d, tmp_path, ("html", "docx"), n)
    names = sorted(p.name for p in files if p.parent.name == "charts")
    assert names == sorted(f"图{i}.{ext}" for i in range(1, 8) for ext in ("png", "svg"))
    for p in files:
        if p.suffix == ".svg":
            head = p.read_text(encoding="utf-8")
            assert "<svg" in head and "<dc:date>" not in head
    html = next(p for p in files if p.suffix == ".html").read_text(encoding="utf-8")
    captions = re.findall(r"<figcaption>(图\d)：", html)
    assert captions == [f"图{i}" for i in range(1, 8)]
    # Each figure follows the paragraph it illustrates: 图1 inside 一, before 二's heading.
    assert html.index("收、支总计6696.34万元") < html.index('id="fig1"') < html.index('<h2 id="s3-2"')
    assert html.index("占本年支出合计的100%") < html.index('id="fig5"')
    assert html.index("公务接待费1.8万元，占4.72%") < html.index('id="fig7"')
    doc = Document(str(next(p for p in files if p.suffix == ".docx")))
    assert len(doc.inline_shapes) == 7
    assert [p.text[:2] for p in doc.paragraphs if re.match(r"图\d：", p.text)] == [f"图{i}" for i in range(1, 8)]


def test_002_wording_has_no_thousands_separators_and_lists_end_with_deng(tmp_path):
    d = sichuan_2020()
    files = write_outputs(d, tmp_path, ("html",))
    html = files[-1].read_text(encoding="utf-8")
    assert "增加1272.24万元，增长23.46%" in html  # 002's own figures (收支总计)
    assert "卫生健康（类）支出6204.7万元，占92.66%" in html


# -- 名词解释 and missing inputs --------------------------------------------------------------

SEED_001_ITEMS = {
    "2080505": "反映机关事业单位实施养老保险制度由单位缴纳的基本养老保险费支出。",
    "2101504": "反映医疗保障部门用于信息化建设、开发、运行维护和数据分析等方面支出。",
    "2296099": "反映用于其他社会公益事业的彩票公益金支出。",
}


def test_glossary_of_001_has_one_entry_per_item_of_its_03(built):
    d = read_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    items = sorted(r.code for r in d.tables["t03"].rows if len(r.code) == 7)
    entries = build_narrative(d).glossary
    subject_entries = [(t, x) for t, x in entries if t.endswith("（项）")]
    assert len(items) == 12 and len(subject_entries) == 12
    html = built["yicheng-2020"]["html"].read_text(encoding="utf-8")
    assert "二十七、其他支出（类）彩票公益金安排的支出（款）用于其他社会公益事业的彩票公益金支出（项）：" in html
    for code, text in SEED_001_ITEMS.items():
        term = build_narrative(d).path(code)
        assert f"{term}：{text}" in html


def test_a_missing_snippet_is_visible_and_listed(tmp_path):
    wb = load_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    ws = wb["文字"]
    for row in ws.iter_rows():
        if row[0].value in ("原因.项.2101501", "机构设置"):
            row[1].value = None
    path = tmp_path / "gaps.xlsx"
    wb.save(path)
    from reportgen.build import build

    final = build(path, tmp_path / "out", ("html",))
    keys = {m.key: m.where for m in final.missing}
    assert set(keys) == {"原因.项.2101501", "机构设置"}
    assert "「文字」表" in keys["原因.项.2101501"]
    assert final.directory is None and any("原因.项.2101501" in r for r in final.refusals)
    draft = build(path, tmp_path / "out", ("html",), draft=True)
    html = next(p for p in draft.files if p.suffix == ".html").read_text(encoding="utf-8")
    body = html[: html.index('id="review"')]  # the draft's appendix lists them again
    assert body.count("【待补充：") == 2


def test_prior_year_figures_come_from_last_years_workbook(tmp_path):
    wb = load_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    ws = wb["上年数"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value != "收支总计":
            row[1].value = None  # keep one stated figure: it must win over the derived one
    path = tmp_path / "no-prior.xlsx"
    wb.save(path)
    d = read_workbook(path, prior=ROOT / "data" / "shenzhen-2020.xlsx")
    assert d.supplement.prior["收支总计"].amount == D("249.99")
    assert d.supplement.prior["基本支出"].amount == D("7325.95")  # 深圳 公开03 合计 基本支出
    assert d.supplement.prior["“三公”经费"].amount == D("146.10")
    assert d.supplement.prior["机关运行经费"].amount == D("892.91")  # from last year's 情况
