"""The 部门预算 workbook: the sample reads back as its reference, a blank one round-trips, and bad
input is reported cell by cell in one InputError."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.errors import InputError
from reportgen.kinds.yusuan.layouts import TABLES
from reportgen.kinds.yusuan.model import Budget, Row
from reportgen.kinds.yusuan.reader import read_budget
from reportgen.kinds.yusuan.reference import budget_from
from reportgen.kinds.yusuan.workbook import blank_budget, save_budget
from reportgen.model import Settings
from reportgen.sources import read_texts

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "shenzhen-yibao-2022.xlsx"
REF = ROOT / "data" / "reference" / "shenzhen-yibao-2022.json"
SETTINGS = Settings(unit_name="深圳市医疗保险基金管理中心", year=2022, who="部门", kind="预算", profile="深圳")
CELL = re.compile(r"^表\d{1,2}![A-Z]{1,2}\d+$")


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads(REF.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected(ref) -> Budget:
    return budget_from(ref, replace(SETTINGS, competent=ref["unit"]["competent_department"]))


@pytest.fixture(scope="module")
def sample() -> Budget:
    return read_budget(SAMPLE)


def _shape(row: Row) -> tuple:
    amounts = {k: (v.amount if v is not None else None) for k, v in row.values.items()}
    return row.key, row.label, row.code, row.level, row.text, row.project, amounts


def test_sample_reads_back_as_the_reference(sample, expected):
    assert list(sample.tables) == list(TABLES)
    for tid, want in expected.tables.items():
        got = sample.tables[tid]
        for side in ("income", "expenditure", "rows"):
            assert [_shape(r) for r in getattr(got, side)] == [_shape(r) for r in getattr(want, side)], (tid, side)
        assert got.goals == want.goals, tid
        assert got.indicators == want.indicators, tid
        for row in got.all_rows():
            assert CELL.match(row.ref), (tid, row.key, row.ref)
            for v in row.values.values():
                assert v is None or (v.ref and CELL.match(v.ref) and v.ref.startswith(TABLES[tid].label + "!"))
    assert sample.tables["t08"].get("prior", "car") == expected.tables["t08"].get("prior", "car")
    assert str(sample.tables["t08"].row("prior").values["car"].amount) == "3.50"  # the 2 dp the table prints


def test_sample_inputs_and_settings(sample, expected, ref):
    s = sample.settings
    assert (s.unit_name, s.year, s.kind, s.profile) == ("深圳市医疗保险基金管理中心", 2022, "预算", "深圳")
    assert s.competent == ref["unit"]["competent_department"]
    assert sample.snippets == expected.snippets
    assert sample.fact_texts == expected.fact_texts
    assert {k: v.amount for k, v in sample.facts.items()} == {k: v.amount for k, v in expected.facts.items()}
    assert all(v.ref and v.ref.startswith("预算情况!B") for v in sample.facts.values())
    strip = [replace(p, ref="") for p in sample.projects]
    assert [(p.name, p.prior and p.prior.amount, p.addition and p.addition.amount, p.basis, p.reason, p.target, p.key)
            for p in strip] == [(p.name, p.prior and p.prior.amount, p.addition and p.addition.amount, p.basis,
                                 p.reason, p.target, p.key) for p in expected.projects]
    # The 表11 tasks are linked to their 表5 projects, （） and () alike.
    t05 = {r.key: r.label for r in sample.tables["t05"].rows}
    linked = {r.label: t05.get(r.project) for r in sample.tables["t11"].rows if r.project}
    assert linked["信息化新建项目（非政府投资项目）"] == "信息化新建项目(非政府投资项目)"
    assert len(linked) == 10


def test_text_file_holds_the_reference_snippets(ref):
    assert read_texts(ROOT / "data" / "text" / "shenzhen-yibao-2022.md") == ref["inputs"]["snippets"]
    assert len(ref["inputs"]["snippets"]["工作目标"].split("\n")) == 8


def test_blank_budget_round_trips(tmp_path):
    settings = Settings(unit_name="某某局", year=2023, kind="预算", profile="深圳")
    blank = blank_budget(settings)
    path = tmp_path / "blank.xlsx"
    save_budget(blank, path)
    d = read_budget(path)
    assert d.settings.unit_name == "某某局" and d.settings.year == 2023
    for tid, want in blank.tables.items():
        got = d.tables[tid]
        for side in ("income", "expenditure", "rows"):
            assert [_shape(r) for r in getattr(got, side)] == [_shape(r) for r in getattr(want, side)], (tid, side)
    assert not d.tables["t01"].amounts()
    assert [r.label for r in d.tables["t08"].rows] == ["2022年", "2023年", "增减变化金额"]
    assert d.projects == [] and d.facts == {}


def _edit(tmp_path: Path, edits) -> Path:
    path = tmp_path / "edited.xlsx"
    shutil.copy(SAMPLE, path)
    wb = load_workbook(path)
    edits(wb)
    wb.save(path)
    return path


def _cell(ref: str) -> tuple[str, str]:
    sheet, cell = ref.split("!")
    return sheet, cell


def test_bad_input_is_named_cell_by_cell(tmp_path, sample):
    t = sample.tables
    gpb = t["t02"].row("unit").values["gpb"].ref  # 表2!C8
    fiscal = t["t01"].row("fiscal_account", "income").ref
    subject = t["t01"].row("2101506", "expenditure")
    code_cell = subject.ref.replace("!D", "!C")
    note = sample.projects[2]  # 区财政安排项目
    staff = sample.facts["编制总数"].ref
    dup = t["t05"].rows[1].ref

    def edits(wb):
        wb[_cell(gpb)[0]][_cell(gpb)[1]] = "二十万"
        wb["表1"][_cell(fiscal)[1]] = "二、财政专户资金"
        wb["表1"][_cell(code_cell)[1]] = None
        wb["表1"][_cell(subject.ref)[1]] = "不存在的科目"
        wb["项目说明"][_cell(note.ref)[1]] = "区级项目"
        wb["预算情况"][_cell(staff)[1]] = "约141人"
        wb["表5"][_cell(dup)[1]] = t["t05"].rows[0].label
        del wb["表9"]

    with pytest.raises(InputError) as err:
        read_budget(_edit(tmp_path, edits))
    found = {p.where: p.message for p in err.value.problems}
    assert "二十万" in found[gpb] and "应为数字" in found[gpb]
    assert "财政专户资金" in found[fiscal] and "应为" in found[fiscal]
    assert "不存在的科目" in found[code_cell] and "应填写" in found[code_cell]
    assert "区级项目" in found[note.ref] and "不在表5中" in found[note.ref]
    assert "约141人" in found[staff]
    assert "重复" in found[dup]
    assert any("表9" in p.message for p in err.value.problems if p.where == "")
    # The duplicate leaves 表5's second project unnamed for its 项目说明 row: reported too, nothing else.
    second = next(p.ref for p in sample.projects if p.name == t["t05"].rows[1].label)
    assert set(found) == {gpb, fiscal, code_cell, note.ref, staff, dup, second, ""}
    assert all(str(p.file) == str(tmp_path / "edited.xlsx") for p in err.value.problems)


def test_blank_code_is_found_by_name(tmp_path, sample):
    """A 表1 row without its 科目编码 takes the code 表7 gives the name; failing that, the catalog's
    (2101599 is not in 表7) nearest the row above."""
    rows = {k: sample.tables["t01"].row(k, "expenditure") for k in ("2101501", "2101599")}

    def edits(wb):
        for row in rows.values():
            wb["表1"][_cell(row.ref.replace("!D", "!C"))[1]] = None

    d = read_budget(_edit(tmp_path, edits))
    for key in rows:
        got = d.tables["t01"].row(key, "expenditure")
        assert got is not None and got.code == key and got.level == 3


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError):
        read_budget(path)
