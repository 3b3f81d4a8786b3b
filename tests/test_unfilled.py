"""A table still being filled is "not filled": no conclusion is drawn from its blanks (issue 8)."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from conftest import ROOT
from reportgen.build import build
from reportgen.kinds.juesuan.rules import validate
from reportgen.model import EconomicTable, PairedTable, SingleRowTable, SubjectTable
from reportgen.sources import read_workbook

SZ = ROOT / "data" / "shenzhen-2020.xlsx"


def amount_refs(table) -> list[str]:
    """Every cell an amount of this table was read from."""
    if isinstance(table, PairedTable):
        values = [v for side in (table.income, table.expenditure) for row in side for v in row.values]
    elif isinstance(table, SubjectTable):
        values = table.total + [v for r in table.rows for v in r.values]
    elif isinstance(table, EconomicTable):
        values = [r.value for r in table.rows()] + [table.personnel_total, table.public_total]
    else:
        assert isinstance(table, SingleRowTable)
        values = table.values
    return [v.ref for v in values if v.ref]


def blanked(src: Path, tmp_path: Path, *tids: str) -> Path:
    """A copy of `src` with every amount of these tables blank, as in a workbook being filled."""
    d = read_workbook(src)
    wb = load_workbook(src)
    for tid in tids:
        for ref in amount_refs(d.tables[tid]):
            sheet, cell = ref.rsplit("!", 1)
            wb[sheet][cell].value = None
    path = tmp_path / f"{src.stem}-no-{'-'.join(tids)}.xlsx"
    wb.save(path)
    return path


def page_text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_an_empty_04_draws_no_conclusion_in_checks(tmp_path):
    d = read_workbook(blanked(SZ, tmp_path, "t04"))
    report = validate(d)
    # Nothing inferred from the blanks: no 公开04 equation fails, no non-fiscal money concluded.
    assert [f.rule for f in report.errors] == []
    assert not any("非财政拨款" in s.reason for s in report.skipped)
    notice = [f for f in report.findings if f.table == "t04" and "未填写" in f.message]
    assert len(notice) == 1 and notice[0].severity == "warning"
    assert notice[0].message.startswith("公开04表未填写") and "未检查" in notice[0].message


def test_an_empty_04_prints_a_placeholder_not_zero(tmp_path):
    r = build(blanked(SZ, tmp_path, "t04"), tmp_path / "out", ("html",), draft=True)
    html = next(p for p in r.files if p.suffix == ".html").read_text(encoding="utf-8")
    body = page_text(html[: html.index('id="review"')])
    assert "财政拨款收入0万元" not in body and "财政拨款支出0万元" not in body
    assert "财政拨款收入4,002.37万元相比" not in body  # no "decrease of 100 %" from blanks
    assert "【待补充：公开04表】" in body
    assert any(m.key == "公开04表" for m in r.missing)
    # The appendix says the table is not filled, and says nothing about non-fiscal money.
    review = page_text(html[html.index('id="review"'):])
    assert "公开04表未填写" in review and "X01-04" not in review


def test_a_filled_sample_has_no_unfilled_notice():
    report = validate(read_workbook(SZ))
    assert not any("未填写" in f.message for f in report.findings)


def test_balancing_never_turns_a_part_of_the_whole_into_100_percent():
    from decimal import Decimal as D

    from reportgen.analysis import Style, shares
    from reportgen.profile import Numbers

    style = Style(Numbers(balance_shares=True))
    # 一般公共预算 1,562.82 of 本年支出合计 1,639.36 is 95.33 %, balanced or not.
    assert [s.percent for s in shares([("一般公共预算", D("1562.82"))], D("1639.36"), style)] == ["95.33"]
    # Parts that make up the whole are still balanced to 100.
    parts = [("a", D("219079")), ("b", D("94089.93")), ("c", D("108502.8"))]
    assert [s.percent for s in shares(parts, D("421671.73"), style)] == ["51.95", "22.31", "25.74"]


def test_final_mode_refuses_while_any_table_is_unfilled(tmp_path):
    # 公开02 feeds no sentence of the narrative, yet an empty 公开02 must not be published.
    r = build(blanked(SZ, tmp_path, "t02"), tmp_path / "out", ("html",))
    assert r.directory is None
    assert [m.key for m in r.missing] == ["公开02表"]
