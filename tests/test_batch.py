"""`reportgen batch`: archives equal to single builds, the summary, resuming, refusals, Dask."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reportgen.batch import Options, clean_leftovers, plan
from reportgen.batch_inputs import extract_zip
from reportgen.build import build
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.executors import LocalExecutor, WorkerCrashed

ROOT = Path(__file__).resolve().parent.parent
FORMATS = "html,pdf"


def renamed(sample: str, unit: str, target: Path, *, break_total: bool = False, year: int = 2020) -> Path:
    """A sample workbook under another 单位名称 (optionally with 公开01's 本年收入合计 off by 1)."""
    wb = openpyxl.load_workbook(ROOT / "data" / f"{sample}-2020.xlsx")
    ws = wb["单位信息"]
    for row in ws.iter_rows():
        if row[0].value == "单位名称":
            row[1].value = unit
        if row[0].value == "年度":
            row[1].value = year
    if break_total:
        wb["公开01表"]["C33"].value = float(wb["公开01表"]["C33"].value) + 1
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """Four good units in a folder; a refused and an unreadable one in a .zip."""
    base = tmp_path_factory.mktemp("batch-in")
    books = {
        "sz-a": renamed("shenzhen", "甲单位", base / "units" / "sz-a.xlsx"),
        "sz-b": renamed("shenzhen", "乙单位", base / "units" / "sz-b.xlsx"),
        "yc-a": renamed("yicheng", "丙单位", base / "units" / "sub" / "yc-a.xlsx"),
        "yc-b": renamed("yicheng", "丁单位", base / "units" / "sub" / "yc-b.xlsx"),
    }
    bad = renamed("shenzhen", "戊单位", base / "tmp" / "bad.xlsx", break_total=True)
    with zipfile.ZipFile(base / "more.zip", "w") as zf:
        zf.write(bad, "more/bad.xlsx")
        zf.writestr("more/broken.xlsx", "这不是工作簿")
    books["zip"] = base / "more.zip"
    return books


@pytest.fixture(scope="module")
def batch_run(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch-out")
    code = main(["batch", str(inputs["sz-a"].parent), str(inputs["zip"]), "--output", str(out),
                 "--jobs", "2", "--formats", FORMATS])
    return code, out


def documents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".html", ".pdf", ".docx")}


def test_batch_archives_equal_single_builds_and_summary(inputs, batch_run, tmp_path):
    code, out = batch_run
    assert code == 1  # not every unit is final
    for key, unit in (("sz-a", "甲单位"), ("sz-b", "乙单位"), ("yc-a", "丙单位"), ("yc-b", "丁单位")):
        single = build(inputs[key], tmp_path / key, ("html", "pdf"))
        mine = documents(out / unit / "2020")
        assert set(mine) == {p.name for p in single.files if p.suffix in (".html", ".pdf")}
        assert mine == documents(single.directory), unit
    assert not (out / "戊单位").exists()
    units = json.loads((out / "summary.json").read_text(encoding="utf-8"))["units"]
    status = {Path(u["workbook"]).name: u["status"] for u in units}
    assert status == {"sz-a.xlsx": "正式", "sz-b.xlsx": "正式", "yc-a.xlsx": "正式", "yc-b.xlsx": "正式",
                      "bad.xlsx": "校验错误", "broken.xlsx": "无法读取"}
    refused = next(u for u in units if u["status"] == "校验错误")
    assert any("公开01表!C33" in m for m in refused["messages"])
    assert {u["pages"] for u in units if u["unit"] == "甲单位"} == {37}  # 深圳: 23 pages + its 附件
    sheet = pd.read_excel(out / "summary.xlsx")
    assert sorted(sheet["状态"]) == sorted(status.values())
    assert set(sheet.loc[sheet["状态"] == "正式", "单位"]) == {"甲单位", "乙单位", "丙单位", "丁单位"}
    assert not list(out.glob(".batch-inputs-*"))  # the .zip's extraction is gone


def test_rerun_skips_unchanged_units(inputs, batch_run, capsys):
    _, out = batch_run
    pdf = next((out / "甲单位" / "2020").glob("*.pdf"))
    before = pdf.stat().st_mtime_ns
    assert main(["batch", str(inputs["sz-a"]), "--output", str(out), "--jobs", "1", "--formats", FORMATS]) == 0
    assert "已跳过(未变)" in capsys.readouterr().out
    assert pdf.stat().st_mtime_ns == before
    # A subset of the archived formats is in the archive already: skipped too.
    assert main(["batch", str(inputs["sz-a"]), "--output", str(out), "--jobs", "1", "--formats", "html"]) == 0
    assert "已跳过(未变)" in capsys.readouterr().out and pdf.stat().st_mtime_ns == before
    assert main(["batch", str(inputs["sz-a"]), "--output", str(out), "--jobs", "1", "--formats", "html",
                 "--force"]) == 0
    assert "已跳过(未变)" not in capsys.readouterr().out
    assert pdf.stat().st_mtime_ns == before  # rebuilt the HTML; the PDF of the same inputs is kept


def test_killed_batch_resumes_without_rebuilding(inputs, tmp_path):
    out = tmp_path / "out"
    folder = inputs["sz-a"].parent
    cmd = [sys.executable, "-m", "reportgen", "batch", str(folder), "--output", str(out), "--jobs", "1",
           "--formats", "html"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not list(out.glob("*/2020/manifest.json")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    finished = {p.parent: p.stat().st_mtime_ns for p in out.glob("*/2020/manifest.json")}
    assert 1 <= len(finished) < 4
    stale = out / "甲单位" / ".2020.building-killed"
    stale.mkdir(parents=True, exist_ok=True)
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "1", "--formats", "html"]) == 0
    units = json.loads((out / "summary.json").read_text(encoding="utf-8"))["units"]
    assert sum(u["status"] == "已跳过(未变)" for u in units) == len(finished)
    assert sum(u["status"] == "正式" for u in units) == 4 - len(finished)
    assert {p: p.joinpath("manifest.json").stat().st_mtime_ns for p in finished} == finished
    assert not stale.exists()


def test_two_workbooks_for_one_directory_are_refused_up_front(tmp_path, capsys):
    # Unit names map to directories one to one ("a/b" and "a_b" no longer meet), so one unit
    # sent twice for the same year is what collides.
    a = renamed("shenzhen", "某局一处", tmp_path / "in" / "a.xlsx")
    b = renamed("yicheng", "某局一处", tmp_path / "in" / "b.xlsx")
    out = tmp_path / "out"
    assert main(["batch", str(a), str(b), "--output", str(out), "--formats", "html"]) == 2
    err = capsys.readouterr().err
    assert str(a) in err and str(b) in err and "同一输出目录 某局一处/2020" in err
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_zip_member_leaving_the_folder_is_refused(tmp_path):
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../../escape.xlsx", "x")
    with pytest.raises(InputError, match="解压目录之外"):
        extract_zip(bad, tmp_path / "x")
    assert not (tmp_path.parent / "escape.xlsx").exists()


def _die_on_two(n: int) -> int:
    if n == 2:
        os._exit(9)  # a worker killed mid-unit (segfault, OOM killer)
    return n * 10


def test_a_crashed_worker_fails_only_its_unit():
    executor = LocalExecutor(2, initializer=None)
    try:
        outcomes = dict(executor.run(_die_on_two, [1, 2, 3, 4, 5]))
    finally:
        executor.close()
    assert {k: v for k, v in outcomes.items() if k != 2} == {1: 10, 3: 30, 4: 40, 5: 50}
    assert isinstance(outcomes[2], WorkerCrashed)


def test_leftovers_of_killed_runs_are_recovered_or_removed(tmp_path):
    building = tmp_path / "单位" / ".2020.building-abc"
    moved = tmp_path / "单位" / ".2021.old-4242"  # killed between the swap's two renames
    building.mkdir(parents=True)
    (moved / "manifest.json").parent.mkdir()
    (moved / "manifest.json").write_text("{}", encoding="utf-8")
    stale, fresh = tmp_path / ".batch-inputs-old", tmp_path / ".batch-inputs-new"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    done = clean_leftovers(tmp_path)
    assert not building.exists() and not stale.exists() and fresh.exists()
    assert (tmp_path / "单位" / "2021" / "manifest.json").exists()  # restored, never deleted
    assert len(done) == 3


def test_dask_executor_gives_the_same_archive(inputs, batch_run, tmp_path):
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'reportgen[dask]')")
    _, out = batch_run
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        code = main(["batch", str(inputs["yc-a"]), "--output", str(tmp_path), "--formats", FORMATS,
                     "--executor", "dask", "--scheduler", cluster.scheduler_address])
    assert code == 0
    assert documents(tmp_path / "丙单位" / "2020") == documents(out / "丙单位" / "2020")


def test_cjk_fonts_are_compact_subsets_with_the_same_text(built):
    """The CJK subsets keep only the glyphs used (not ~60,000 empty slots), and the text reads back."""
    import pdfplumber
    from fontTools.cffLib import CFFFontSet
    from pypdf import PdfReader

    pdf = built["shenzhen-2020"]["pdf"]
    reader = PdfReader(str(pdf))
    glyphs = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            if "/FontFile3" in descriptor and "CJK" in font["/BaseFont"]:
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()), None)
                glyphs[font["/BaseFont"]] = len(cff[cff.fontNames[0]].CharStrings)
    assert glyphs and all(50 < n < 3000 for n in glyphs.values()), glyphs  # full font: ~63,000
    assert pdf.stat().st_size < 600 * 1024
    with pdfplumber.open(pdf) as doc:
        assert "深圳市医疗保障局（本级）" in doc.pages[0].extract_text()


def test_an_html_build_loads_neither_weasyprint_nor_matplotlib(tmp_path):
    """Heavy libraries load for the formats that need them (深圳's profile draws no chart)."""
    code = ("import sys; from pathlib import Path; from reportgen.build import build; "
            f"build(Path({str(ROOT / 'data' / 'shenzhen-2020.xlsx')!r}), Path({str(tmp_path)!r}), ('html',)); "
            "print(sorted(m for m in ('weasyprint', 'matplotlib', 'docx') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert list(tmp_path.glob("*/2020/*.html"))


class InProcess:
    """An executor running each task here, one after another."""

    def run(self, fn, tasks):
        for t in tasks:
            yield t, fn(t)

    def close(self) -> None:
        pass


def test_prior_year_workbooks_are_matched_by_unit_and_year(inputs, tmp_path):
    priors = [renamed("shenzhen", "甲单位", tmp_path / "prior" / "a2019.xlsx", year=2019),
              renamed("shenzhen", "乙单位", tmp_path / "prior" / "b2018.xlsx", year=2018)]
    options = Options(str(tmp_path / "out"), ("html",))
    p = plan([inputs["sz-a"], inputs["sz-b"]], priors, options, InProcess())
    assert {Path(t.workbook).name: t.prior and Path(t.prior).name for t in p.tasks} == \
        {"sz-a.xlsx": "a2019.xlsx", "sz-b.xlsx": None}
