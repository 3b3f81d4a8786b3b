"""Broken and hostile inputs (tests/hostile.py) are refused with clear Chinese lines, never obeyed.

Each case runs `reportgen build` and must exit 2 with exactly its expected lines (file,
[sheet or cell], key words), no traceback, no 内部错误, nothing under the output root. Cases
that would hang or exhaust memory if a guard failed run in a child process with a timeout,
and their peak memory (that child's own, from wait4) is bounded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import CASES, SAMPLE, Case, xlsx
from openpyxl import load_workbook

from reportgen.catalog import load_catalog
from reportgen.cli import main
from reportgen.sources import read_workbook

HANG_SECONDS = 60  # generous: every case answers in a second or two
PEAK_MB = 600  # a guard that failed would take gigabytes (3.8 GB for one cell at XFD1048576)


# The child's own peak: rusage's ru_maxrss also counts the forking pytest process's pages
# (Linux keeps the pre-exec high-water mark), so a suite grown past the limit failed every case.
PEAK_WRAPPER = """
import atexit, re, runpy, sys
out = sys.argv[1]
def peak():
    status = open("/proc/self/status", encoding="ascii").read()
    open(out, "w").write(re.search(r"VmHWM:\\s*(\\d+)", status).group(1))
atexit.register(peak)
sys.argv = ["reportgen", *sys.argv[2:]]
runpy.run_module("reportgen", run_name="__main__", alter_sys=True)
"""


def run_isolated(args: list[str], tmp: Path) -> tuple[int, str, int]:
    """Exit code, stderr and peak resident MB of `reportgen build` in its own process."""
    err_path = tmp / "stderr.txt"
    with open(err_path, "wb") as err, open(os.devnull, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", PEAK_WRAPPER, str(tmp / "peak.txt"), "build", *args],
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=tmp)
        deadline = time.monotonic() + HANG_SECONDS
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                pytest.fail(f"reportgen build {' '.join(args)} still running after {HANG_SECONDS} s")
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = tmp / "peak.txt"
    # VmHWM of the child's own process image; a killed child wrote none: its rusage then.
    mb = int(peak.read_text()) // 1024 if peak.exists() else usage.ru_maxrss // 1024
    return proc.returncode, err_path.read_text(encoding="utf-8"), mb


def run_in_process(args: list[str], capsys) -> tuple[int, str]:
    def hang(_signum, _frame):
        raise TimeoutError(f"reportgen build {' '.join(args)} still running after {HANG_SECONDS} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_SECONDS)
    try:
        code = main(["build", *args])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_refused_clearly(name, tmp_path, capsys):
    files = tmp_path / "in"
    files.mkdir()
    c: Case = CASES[name](files)
    out = tmp_path / "output"
    args = [*c.args, "--output", str(out)]
    if c.isolate:
        code, err, peak = run_isolated(args, tmp_path)
        assert peak < PEAK_MB, f"peak memory {peak} MB"
    else:
        code, err = run_in_process(args, capsys)
    lines = err.splitlines()
    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == 2, err
    assert len(lines) == len(c.expect), err
    for line, e in zip(lines, c.expect, strict=True):
        assert line.startswith(e.prefix()), (line, e.prefix())
        missing = [w for w in e.words if w not in line]
        assert not missing, (line, missing)
    assert not out.exists() or not any(out.iterdir())


def test_corpus_is_large_enough():
    assert len(CASES) >= 45


# -- what must still be accepted --------------------------------------------------------------


def test_published_as_excel_date_prints_as_chinese_date(tmp_path):
    from datetime import datetime

    wb = load_workbook(SAMPLE)
    ws = wb["单位信息"]
    ws.append(["公开时间", datetime(2021, 8, 30)])
    ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    path = tmp_path / "date.xlsx"
    wb.save(path)
    assert read_workbook(path).settings.published == "2021年8月30日"


@pytest.mark.parametrize(("text", "shown"), [("2021-8-30", "2021年8月30日"), ("2021年08月30日", "2021年8月30日"),
                                             ("2021/8/30", "2021年8月30日")])
def test_published_text_is_normalised(tmp_path, text, shown):
    from hostile import inline, published

    path = xlsx(tmp_path / "p.xlsx", published(inline("B30", text)))
    assert read_workbook(path).settings.published == shown


@pytest.mark.parametrize("year", ["2020", "2020年", "2020年度"])
def test_year_forms_still_read(tmp_path, year):
    from hostile import inline, put

    path = xlsx(tmp_path / "y.xlsx", {"单位信息": [put("B3", inline("B3", year))]})
    assert read_workbook(path).settings.year == 2020


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_catalog_in_utf8_bom_or_gb18030_reads(tmp_path, encoding):
    path = tmp_path / "本地科目.csv"
    path.write_bytes("code,name,note\n2089999,其他社会保障和就业支出（本地）,“说明”\n".encode(encoding))
    assert load_catalog(2020, path).functional["2089999"].name == "其他社会保障和就业支出（本地）"



def test_formula_with_cached_value_reads_that_value(tmp_path):
    from hostile import put

    cell = '<c r="C7"><f>SUM(C8:C9)</f><v>1566.22</v></c>'
    path = xlsx(tmp_path / "f.xlsx", {"公开01表": [put("C7", cell)]})
    value = read_workbook(path).tables["t01"].income[0].values[0]
    assert (str(value.amount), value.ref) == ("1566.22", "公开01表!C7")
