"""Timings of each stage for the two samples, printed as numbers (no pass/fail).

    make bench        # or: .venv/bin/python scripts/bench.py [REPEATS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from reportgen.build import build
from reportgen.catalog import load_catalog
from reportgen.document import build_document
from reportgen.kinds.juesuan.charts import write_charts
from reportgen.kinds.juesuan.narrative import build_narrative
from reportgen.kinds.juesuan.rules import validate
from reportgen.render.docx import write_docx
from reportgen.render.html import render_html
from reportgen.render.pdf import write_pdf
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent


def timed(label: str, fn, repeats: int):
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<22} {best * 1000:9.1f} ms")
    return result


def bench_sample(path: Path, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        d = timed("read workbook", lambda: read_workbook(path), repeats)
        cat = load_catalog(d.settings.year)
        timed("validate (all rules)", lambda: validate(d, catalog=cat), repeats)
        n = build_narrative(d, cat)
        tree = timed("document tree", lambda: build_document(d, n), repeats)
        timed("charts (svg+png)", lambda: write_charts(n, out), repeats)
        html = timed("render HTML", lambda: render_html(tree, charts=out), repeats)
        timed("PDF (WeasyPrint)", lambda: write_pdf(html, out / "a.pdf", base_url=str(out)), repeats)
        timed("DOCX (python-docx)", lambda: write_docx(tree, out / "a.docx", datetime(2021, 1, 1), out), repeats)
        timed("whole build", lambda: build(path, out / "build"), repeats)


def main(repeats: int) -> None:
    print(f"best of {repeats} runs")
    for name in ("shenzhen-2020", "yicheng-2020"):
        print(name)
        bench_sample(ROOT / "data" / f"{name}.xlsx", repeats)
    # A finance bureau builds many units: sequential throughput on this machine.
    with tempfile.TemporaryDirectory() as tmp:
        units = 10
        start = time.perf_counter()
        for i in range(units):
            build(ROOT / "data" / ("yicheng-2020.xlsx" if i % 2 else "shenzhen-2020.xlsx"), Path(tmp) / str(i))
        elapsed = time.perf_counter() - start
        print(f"{units} units built one after another: {elapsed:.1f} s ({elapsed / units:.2f} s per unit)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
