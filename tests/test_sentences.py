"""Sentence variants are profile options ([sentences]) that combine with any number style."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen import sections
from reportgen.document import build_document
from reportgen.kinds import get_kind
from reportgen.kinds.juesuan import narrative as kind_narrative
from reportgen.model import Disclosure
from reportgen.profile import Sentences, profile_for
from reportgen.render.html import render_html
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
get_kind()
YC = read_workbook(ROOT / "data" / "yicheng-2020.xlsx")


def narrative_text(monkeypatch, d: Disclosure = YC, sentences: dict | None = None, numbers: dict | None = None,
                   **profile: object) -> tuple[str, list[str]]:
    """The draft's text (tags and spaces removed) under the sample's profile with these options,
    and the keys of the inputs it found missing."""
    base = profile_for(d.settings)
    prof = replace(base, sentences=Sentences(**(sentences or {})),
                   numbers=replace(base.numbers, **(numbers or {})), **profile)
    monkeypatch.setattr(kind_narrative, "profile_for", lambda settings: prof)
    monkeypatch.setattr(sections, "profile_for", lambda settings: prof)  # the headings' numbering
    n = kind_narrative.build_narrative(d)
    html = render_html(build_document(d, n, draft=True))
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html)), [m.key for m in n.missing]


# 一般公共预算财政拨款支出: 年初预算 1,445.03, 决算 1,562.82 → 117.79 more, 8.1514 % growth, 108.1514 % done;
# 2080505: 20.38 → 19.68, 0.70 less, 3.4347 % down.
@pytest.mark.parametrize(("mode", "numbers", "expected"), [
    ("completion", {}, ["支出决算为1,562.82万元，完成年初预算的108.15%", "完成年初预算的96.57%"]),
    ("completion", {"percent_places": 1}, ["完成年初预算的108.2%", "完成年初预算的96.6%"]),
    ("completion", {"percent_places": 0, "separators": False}, ["支出决算为1562.82万元，完成年初预算的108%"]),
    ("growth", {}, ["支出决算为1,562.82万元，比年初预算增加117.79万元，增长8.15%",
                    "支出决算为19.68万元，比年初预算减少0.7万元，降低3.43%"]),
    ("growth", {"percent_places": 1, "strip_zeros": False},
     ["比年初预算增加117.79万元，增长8.2%", "支出决算为19.68万元，比年初预算减少0.70万元，降低3.4%"]),
    ("growth", {"percent_places": 0}, ["比年初预算增加117.79万元，增长8%", "比年初预算减少0.7万元，降低3%"]),
])
def test_budget_comparison_as_completion_or_growth(monkeypatch, mode, numbers, expected):
    text, _ = narrative_text(monkeypatch, sentences={"budget_comparison": mode}, numbers=numbers)
    for sentence in expected:
        assert sentence in text
    other = "比年初预算增加117.79万元" if mode == "completion" else "完成年初预算的108"
    assert other not in text


def without_income_prior(tmp_path: Path) -> Disclosure:
    """The sample with last year's 财政拨款收入 and 其他收入 left blank in 上年数."""
    wb = load_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    for row in wb["上年数"].iter_rows():
        if row[0].value in ("财政拨款收入", "其他收入"):
            for cell in row[1:]:
                cell.value = None
    wb.save(tmp_path / "u.xlsx")
    return read_workbook(tmp_path / "u.xlsx")


@pytest.mark.parametrize("places", [2, 1])
def test_line_comparisons_or_none(monkeypatch, tmp_path, places):
    d = without_income_prior(tmp_path)
    on, missing_on = narrative_text(monkeypatch, d, numbers={"percent_places": places})
    off, missing_off = narrative_text(monkeypatch, d, sentences={"line_comparisons": False},
                                      numbers={"percent_places": places})

    def income(text: str) -> str:
        start = text.index("收入决算具体情况")
        return text[start:text.index("支出决算情况说明", start)]

    assert "1、财政拨款收入1,601.48万元。与2019年度相比，【待补充：上年数】" in income(on)
    assert "上年数.财政拨款收入" in missing_on and "上年数.其他收入" in missing_on
    assert "1、财政拨款收入1,601.48万元。2、" in income(off) and "与2019年度相比" not in income(off)
    # No sentence prints last year's income, so final mode needs none of it.
    assert not [k for k in missing_off if k in ("上年数.财政拨款收入", "上年数.其他收入", "原因.其他收入")]


@pytest.mark.parametrize(("mode", "charts", "sentence", "chart"), [
    ("chart", (2, 5, 6), False, False),
    ("chart", (2, 5, 6, 7), True, True),
    ("always", (2, 5, 6), True, False),
    ("never", (2, 5, 6, 7), False, True),
])
def test_sangong_shares_with_or_without_the_chart(monkeypatch, mode, charts, sentence, chart):
    text, _ = narrative_text(monkeypatch, sentences={"sangong_shares": mode}, charts=charts)
    assert ("2020年度“三公”经费支出中，因公出国（境）费" in text) is sentence
    assert ("图7：" in text) is chart


def test_an_unknown_choice_is_named():
    with pytest.raises(ValueError, match=r"\[sentences\] budget_comparison 应为 completion \| growth"):
        Sentences(budget_comparison="完成率")


def test_heading_numbering_is_profile_data(monkeypatch):
    """A region numbering its sub-headings 1、 and its parts 第N章 changes the headings only."""
    before, _ = narrative_text(monkeypatch)
    after, _ = narrative_text(monkeypatch, numbering={"sub": "{n}、", "part": "第{cn}章 ", "glossary": "{n}. "})
    assert "第一部分单位概况" in before and "（一）收入决算结构情况" in before
    assert "第一章单位概况" in after and "1、收入决算结构情况" in after and "（一）收入决算结构情况" not in after
    assert "第三章峄城区医疗保障局（本级）2020年度单位决算情况说明" not in after  # 峄城's parts stay unnamed
    assert "1.基本支出：" in after and "一、基本支出：" in before and "一、基本支出：" not in after


def test_an_unknown_numbering_key_is_named(tmp_path, capsys):
    from reportgen.cli import main

    kind = get_kind("juesuan", ())
    text = (kind.profiles_dir / "yicheng.toml").read_text(encoding="utf-8") + '\n[numbering]\nsubs = "{n}、"\n'
    (tmp_path / "yicheng.toml").write_text(text, encoding="utf-8")
    assert main(["profile", "check", str(tmp_path)]) == 2
    assert "[numbering] 中未知的键「subs」" in capsys.readouterr().err


def test_every_figure_a_sentence_may_use_is_computed_whatever_the_profile(monkeypatch):
    """A profile that prints one section still has every comparison at hand: it only chooses."""
    from copy import deepcopy
    from decimal import Decimal

    from reportgen.model import ListRow, ListTable, Value

    d = deepcopy(YC)
    d.tables["t10"] = ListTable([ListRow("合计", [Value(Decimal(30)), Value(Decimal(20)), Value(Decimal(10))]),
                                 ListRow("三、行政事业性收费收入", [Value(Decimal(30)), Value(Decimal(20)),
                                                            Value(Decimal(10))])])
    base = profile_for(d.settings)
    monkeypatch.setattr(kind_narrative, "profile_for",
                        lambda s: replace(base, sections=(("total", "总体情况"),)))
    n = kind_narrative.build_narrative(d)
    incomes = {line["share"].name: line["vs_prior"] for line in n.totals["income_lines"]}
    assert incomes["财政拨款收入"] is not None and incomes["财政拨款收入"].current == "1,601.48"
    spending = {line["share"].name: line["vs_prior"] for line in n.spending["lines"]}
    assert {"基本支出", "项目支出"} <= set(spending) and all(spending[k] for k in ("基本支出", "项目支出"))
    against = n.gpb["against"]["年初预算数"]
    assert (against.rate, against.vs_budget.change, against.vs_budget.rate) == ("108.15", "117.79", "8.15")
    item = n.gpb["items"][0]
    assert item.against["年初预算数"].rate == item.completion.rate
    assert [s.name for s in n.sangong["shares"]] and all(s.percent for s in n.sangong["shares"])
    nontax = n.nontax
    assert (nontax["total"], nontax["budget"], nontax["special"]) == ("30", "20", "10")
    assert [(s.name, s.percent) for s in nontax["lines"]] == [("三、行政事业性收费收入", "100")]
