"""`init --from`: the 单位信息 and 文字 a unit filled once carry into its next workbook, of either kind."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from reportgen.cli import main


def sheet_values(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


@pytest.mark.parametrize("kind", ["juesuan", "yusuan"])
def test_init_from_another_workbook_keeps_the_units_facts(tmp_path, capsys, kind):
    first = tmp_path / "决算.xlsx"
    assert main(["init", str(first), "--year", "2021", "--unit", "某某市某某局", "--who", "部门"]) == 0
    wb = openpyxl.load_workbook(first)
    for row in wb["文字"].iter_rows(min_row=2):
        if row[0].value == "职责":
            row[1].value = "负责全市某某工作。"
    for row in wb["单位信息"].iter_rows(min_row=2):
        if row[0].value == "主管部门":
            row[1].value = "某某市人民政府"
    wb.save(first)
    second = tmp_path / "next.xlsx"
    assert main(["init", str(second), "--kind", kind, "--year", "2022", "--from", str(first)]) == 0
    info = sheet_values(second, "单位信息")
    assert info["单位名称"] == "某某市某某局" and info["主管部门"] == "某某市人民政府"
    assert info["称谓"] == "部门" and str(info["年度"]) == "2022"
    assert sheet_values(second, "文字")["职责"] == "负责全市某某工作。"


def test_init_needs_a_unit_name_from_somewhere(tmp_path, capsys):
    assert main(["init", str(tmp_path / "x.xlsx"), "--year", "2022"]) == 2
    assert "缺少单位名称" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_init_from_a_file_that_is_not_a_workbook(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["init", str(tmp_path / "x.xlsx"), "--year", "2022", "--from", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()
