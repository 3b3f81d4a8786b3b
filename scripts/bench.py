"""`make bench`: numbers, side by side, no pass/fail.

    make bench                       # or: .venv/bin/python scripts/bench.py [REPEATS]
    BENCH_UNITS=10 make bench        # a quicker batch (default 100 units: the two samples × 50)

Prints per sample the stages of one build, one whole build against the DOCX + LibreOffice
route, the PDF's size; then the batch throughput at --jobs 1 and 2 with each worker's peak
RSS; then the time per table cell on a unit scaled up to many rows.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import openpyxl

from reportgen.build import build, write_outputs
from reportgen.catalog import load_catalog
from reportgen.document import build_document
from reportgen.kinds.juesuan.charts import write_charts
from reportgen.kinds.juesuan.narrative import build_narrative
from reportgen.kinds.juesuan.rules import validate
from reportgen.model import SubjectRow, SubjectTable
from reportgen.render.docx import write_docx
from reportgen.render.html import render_html
from reportgen.render.pdf import write_pdf
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("shenzhen-2020", "yicheng-2020")
TARGETS = {"build": "≤ 2 s", "ratio": "≤ 0.6×", "batch": "100 units ≤ 90 s on 2 cores", "pdf": "≤ 600 KB",
           "rss": "≤ 400 MB per worker"}


def timed(label: str, fn, repeats: int):
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<26} {best * 1000:9.1f} ms")
    return result, best


def stages(path: Path, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        d, _ = timed("read workbook", lambda: read_workbook(path), repeats)
        cat = load_catalog(d.settings.year)
        timed("validate (all rules)", lambda: validate(d, catalog=cat), repeats)
        n = build_narrative(d, cat)
        tree, _ = timed("document tree", lambda: build_document(d, n), repeats)
        timed("charts (svg+png)", lambda: write_charts(n, out), repeats)
        html, _ = timed("render HTML", lambda: render_html(tree, charts=out), repeats)
        timed("PDF (WeasyPrint)", lambda: write_pdf(html, out / "a.pdf", base_url=str(out)), repeats)
        timed("DOCX (python-docx)", lambda: write_docx(tree, out / "a.docx", datetime(2021, 1, 1), out), repeats)


def libreoffice_route(path: Path, work: Path) -> float | None:
    """DOCX by reportgen, then PDF by LibreOffice: the route reportgen's own PDF replaces."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return None
    start = time.perf_counter()
    r = build(path, work / "lo", ("docx",))
    docx = next(f for f in r.files if f.suffix == ".docx")
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf",
                    "--outdir", str(work / "lo-pdf"), str(docx)], capture_output=True, timeout=600, check=True)
    return time.perf_counter() - start


def one_unit(path: Path, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _, ours = timed("whole build (html,pdf,docx)", lambda: build(path, work / "b"), repeats)
        pdf = next((work / "b").glob("*/*/*.pdf"))
        libreoffice_route(path, work)  # LibreOffice's first start sets up its profile: not counted
        lo = min(libreoffice_route(path, work) or 0 for _ in range(max(1, repeats - 1)))
        if lo:
            print(f"  {'DOCX + LibreOffice route':<26} {lo * 1000:9.1f} ms   ratio {ours / lo:.2f}× "
                  f"(target {TARGETS['ratio']})")
        print(f"  {'PDF size':<26} {pdf.stat().st_size / 1024:9.1f} KB   (target {TARGETS['pdf']})")


def make_units(count: int, folder: Path) -> None:
    """The two samples under `count` different unit names."""
    books = {s: openpyxl.load_workbook(ROOT / "data" / f"{s}.xlsx") for s in SAMPLES}
    for i in range(count):
        sample = SAMPLES[i % 2]
        wb = books[sample]
        for row in wb["单位信息"].iter_rows():
            if row[0].value == "单位名称":
                row[1].value = f"测试单位{i:03d}"
        wb.save(folder / f"unit{i:03d}.xlsx")


RUN_BATCH = """
import resource, sys
from reportgen.cli import main
code = main(sys.argv[1:])
print("MAXRSS", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def batch(count: int) -> None:
    print(f"batch of {count} units (the two samples under {count} names), formats html,pdf,docx")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        make_units(count, folder)
        for jobs in (1, 2):
            out = Path(tmp) / f"out{jobs}"
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", RUN_BATCH, "batch", str(folder), "--output", str(out),
                                   "--jobs", str(jobs)], capture_output=True, text=True, timeout=7200)
            elapsed = time.perf_counter() - start
            if proc.returncode not in (0, 1):
                print(f"  --jobs {jobs}: batch failed ({proc.returncode}): {proc.stderr[-500:]}")
                continue
            rss = next((line.split()[1] for line in proc.stdout.splitlines() if line.startswith("MAXRSS")), "?")
            per_100 = elapsed / count * 100
            print(f"  --jobs {jobs}: {elapsed:6.1f} s, {count / elapsed * 60:5.1f} units/min, "
                  f"{per_100:5.1f} s per 100 units (target {TARGETS['batch']}); "
                  f"peak RSS of a worker {int(rss) / 1024 if rss != '?' else 0:.0f} MB (target {TARGETS['rss']})")


def scaled(path: Path, factor: int) -> tuple[int, float]:
    """Table cells and seconds of a draft build (validate, tree, HTML, PDF, DOCX) with each 项 row
    repeated `factor` times under new codes."""
    d = copy.deepcopy(read_workbook(path))
    for t in d.tables.values():
        if isinstance(t, SubjectTable) and factor > 1:
            taken = {r.code for r in t.rows}
            extra = []
            for r in [r for r in t.rows if len(r.code) == 7]:
                free = (c for c in (r.code[:5] + f"{n:02d}" for n in range(40, 100)) if c not in taken)
                for code, _ in zip(free, range(factor - 1), strict=False):
                    taken.add(code)
                    extra.append(SubjectRow(code, r.name, r.values, r.ref))
            t.rows = sorted(t.rows + extra, key=lambda r: r.code)
    cells = sum(len(r.values) for t in d.tables.values() if isinstance(t, SubjectTable) for r in t.rows)
    cat = load_catalog(d.settings.year)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = validate(d, catalog=cat)
        write_outputs(d, Path(tmp), draft=True, report=report)
        return cells, time.perf_counter() - start


def per_cell() -> None:
    path = ROOT / "data" / "shenzhen-2020.xlsx"
    base_cells, base = scaled(path, 1)
    big_cells, big = scaled(path, 10)
    print(f"scaled-up unit: {base_cells} → {big_cells} subject-table cells, {base:.2f} → {big:.2f} s: "
          f"{(big - base) / (big_cells - base_cells) * 1000:.2f} ms per added cell")


def main(repeats: int) -> None:
    print(f"best of {repeats} runs; targets: build {TARGETS['build']} per sample-sized unit")
    for name in SAMPLES:
        print(name)
        stages(ROOT / "data" / f"{name}.xlsx", repeats)
        one_unit(ROOT / "data" / f"{name}.xlsx", repeats)
    batch(int(os.environ.get("BENCH_UNITS", "100")))
    per_cell()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
