"""The command line: init, build, and what a user sees when the workbook is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "yicheng-2020.xlsx"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REPORTGEN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_init_writes_a_workbook_that_reads_back_as_all_zero(tmp_path):
    target = tmp_path / "blank.xlsx"
    proc = run("init", "--kind", "juesuan", "--year", "2021", "--unit", "某某局", str(target),
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    d = read_workbook(target)
    assert d.settings.unit_name == "某某局" and d.settings.year == 2021
    assert sorted(d.tables) == [f"t0{i}" for i in range(1, 10)]
    amounts = [v.amount for t in d.tables.values() for v in _values(t)]
    assert len(amounts) > 200 and all(a == 0 for a in amounts)
    # Same official layout as the samples: labels, fixed rows, 栏次.
    ws = load_workbook(target)["公开04表"]
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"公开04表", "栏次", "年初财政拨款结转和结余", "二十六、抗疫特别国债安排的支出"} <= texts
    # init refuses to overwrite.
    again = run("init", "--year", "2021", "--unit", "某某局", str(target), cwd=tmp_path)
    assert again.returncode == 2 and "已存在" in again.stderr


def _values(table):
    from dataclasses import fields

    from reportgen.model import Value

    def walk(obj):
        if isinstance(obj, Value):
            yield obj
        elif isinstance(obj, list):
            for x in obj:
                yield from walk(x)
        elif hasattr(obj, "__dataclass_fields__"):
            for f in fields(obj):
                yield from walk(getattr(obj, f.name))

    return list(walk(table))


def test_build_writes_three_files(tmp_path):
    proc = run("build", str(SAMPLE), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "out" / "峄城区医疗保障局（本级）" / "2020"
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    stem = "峄城区医疗保障局（本级）2020年度单位决算"
    assert files == ["manifest.json"] + [f"{stem}.{e}" for e in ("docx", "html", "pdf")]
    assert sorted(p.name for p in (folder / "charts").iterdir()) == [
        f"图{i}.{ext}" for i in (2, 5, 6) for ext in ("png", "svg")]


def broken(tmp_path: Path) -> Path:
    wb = load_workbook(SAMPLE)
    del wb["公开05表"]
    wb["公开02表"]["C10"] = "12,3a4"
    wb["公开03表"]["A12"] = "21O1"
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def test_bad_workbook_gets_one_line_per_problem_and_exit_2(tmp_path):
    out = tmp_path / "out"
    proc = run("build", str(broken(tmp_path)), "--output", str(out), cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    assert any("公开05表" in ln and "找不到" in ln for ln in lines), lines
    assert any("[公开02表!C10]" in ln and "12,3a4" in ln for ln in lines), lines
    assert any("[公开03表!A12]" in ln and "21O1" in ln and "7位" in ln for ln in lines), lines
    assert len(lines) == 3
    assert all(ln.startswith(f"错误 {tmp_path / 'broken.xlsx'}") for ln in lines)
    assert not out.exists() or not any(out.rglob("*"))


def test_missing_and_foreign_files(tmp_path):
    proc = run("build", str(tmp_path / "none.xlsx"), "--output", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2 and "文件不存在" in proc.stderr
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    proc = run("build", str(junk), "--output", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2 and "不是 Excel/WPS 工作簿" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_setting_names_its_cell(tmp_path):
    wb = load_workbook(SAMPLE)
    ws = wb["单位信息"]
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == "零值显示":
            row[1].value = "横线"
            ref = row[1].coordinate
    path = tmp_path / "s.xlsx"
    wb.save(path)
    proc = run("build", str(path), "--output", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2
    assert f"[单位信息!{ref}]" in proc.stderr and "横线" in proc.stderr


def test_a_failed_build_keeps_the_previous_archive(tmp_path):
    out = tmp_path / "out"
    assert run("build", str(SAMPLE), "--output", str(out), cwd=tmp_path).returncode == 0
    folder = out / "峄城区医疗保障局（本级）" / "2020"
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.xlsx"
    wb = load_workbook(SAMPLE)
    wb["公开02表"]["C10"] = "abc"
    wb.save(bad)
    assert run("build", str(bad), "--output", str(out), cwd=tmp_path).returncode == 2
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert [p.name for p in folder.parent.iterdir()] == ["2020"]
