"""What the CLI tells a user while it works and when it stops: Chinese, grouped, one summary line."""

from __future__ import annotations

import io

import pytest
from test_unfilled import blanked

from conftest import ROOT
from reportgen.cli import main

YC = ROOT / "data" / "yicheng-2020.xlsx"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse exits by itself
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("argv", "says"), [
    (["init", "x.xlsx", "--unit", "某局"], "缺少必需的参数：--year"),
    (["init", "x.xlsx", "--year", "二〇二一", "--unit", "某局"], "参数 --year 应为整数，读到 '二〇二一'"),
    (["init", "x.xlsx", "--year", "2021", "--unit", "某局", "--who", "科室"], "参数 --who 的值 '科室' 无效"),
    (["validate", "x.xlsx", "--colour"], "无法识别的参数：--colour"),
    (["bulid", "x.xlsx"], "无效，可选："),
])
def test_usage_errors_are_in_chinese(capsys, argv, says):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert says in err and "用法：reportgen" in err
    assert not any(w in err for w in ("usage:", "error:", "required", "invalid", "unrecognized"))


def test_help_headings_are_in_chinese(capsys):
    code, out, _ = run(capsys, "build", "-h")
    assert code == 0 and "用法：reportgen build" in out and "选项：" in out and "options:" not in out


def test_validate_on_a_fresh_workbook_says_nothing_is_filled(tmp_path, capsys):
    target = tmp_path / "new.xlsx"
    assert run(capsys, "init", "--year", "2021", "--unit", "某某局", str(target))[0] == 0
    code, out, _ = run(capsys, "validate", str(target))
    assert code == 1
    assert "工作簿中的表都还没有填写数据" in out and "错误 0" not in out


def test_refusals_are_grouped_by_sheet_with_counts(tmp_path, capsys):
    path = blanked(YC, tmp_path, "t06")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for row in wb["文字"].iter_rows():
        if row[0].value in ("机构设置", "原因.项.2101501"):
            row[1].value = None
    wb.save(path)
    code, _, err = run(capsys, "build", str(path), "--output", str(tmp_path / "out"), "--formats", "html")
    assert code == 1
    lines = err.splitlines()
    assert "「文字」表（2 处）" in lines and "公开06表（1 处）" in lines
    i = lines.index("「文字」表（2 处）")
    assert lines[i + 1].startswith("  待补充 ") and lines[i + 2].startswith("  待补充 ")
    assert lines[-1].startswith("未生成正式文档")


def test_a_build_ends_with_one_summary_line_and_no_progress_off_a_terminal(tmp_path, capsys):
    code, out, err = run(capsys, "build", str(YC), "--output", str(tmp_path / "out"), "--formats", "html,pdf")
    assert code == 0 and err == ""
    assert len(out.splitlines()) == 1
    line = out.strip()
    folder = tmp_path / "out" / "峄城区医疗保障局（本级）" / "2020"
    assert line.startswith(f"正式文档已生成于 {folder}：")
    import pdfplumber

    with pdfplumber.open(next(folder.glob("*.pdf"))) as pdf:
        pages = len(pdf.pages)
    # 4 warnings: the published 绩效自评表 errors the sample keeps (劳务费 P-3/P-4/P-5, 99.96 % P-5)
    assert f"PDF（{pages} 页）" in line and "警告 4 条" in line


def test_progress_on_a_terminal_is_one_rewritten_line():
    from reportgen.progress import TerminalProgress, for_stream

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    p = for_stream(stream)
    assert isinstance(p, TerminalProgress)
    p.step("读取工作簿…")
    p.step("校验…")
    p.done()
    assert "\n" not in stream.getvalue()
    assert stream.getvalue().count("\r") == 3 and "读取工作簿…" in stream.getvalue()
    assert type(for_stream(io.StringIO())).__name__ == "Progress"


@pytest.mark.parametrize("profile", ["深圳", "峄城", "四川"])
def test_a_fresh_workbook_of_every_profile_reads_back(tmp_path, capsys, profile):
    """深圳 leaves zero cells blank, so its blank 公开07 row is empty: blank is zero, not an error."""
    target = tmp_path / "new.xlsx"
    assert run(capsys, "init", "--year", "2021", "--unit", "某某局", "--profile", profile, str(target))[0] == 0
    code, out, err = run(capsys, "validate", str(target))
    assert (code, err) == (1, "") and "工作簿中的表都还没有填写数据" in out
