"""Build the documents of one workbook into output/<unit>/<year>/, atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .catalog import load_catalog
from .charts import write_charts
from .checks import Report, validate
from .document import build_document
from .model import Disclosure
from .narrative import Missing, Narrative, build_narrative
from .render.docx import write_docx
from .render.html import render_html
from .render.pdf import write_pdf
from .sources import read_workbook

FORMATS = ("html", "pdf", "docx")


@dataclass
class BuildResult:
    directory: Path | None  # None when the checks refused the build
    files: list[Path]
    disclosure: Disclosure
    report: Report
    missing: list[Missing] = field(default_factory=list)  # inputs shown as 【待补充】


def safe_name(text: str) -> str:
    """A unit name as a directory name: path separators and control characters removed."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in text)
    return cleaned.strip(" .") or "unit"


def document_date(d: Disclosure) -> datetime:
    """A fixed date for DOCX properties: derived from the data, never the clock."""
    return datetime(d.settings.year + 1, 1, 1)


def write_outputs(d: Disclosure, directory: Path, formats: tuple[str, ...] = FORMATS,
                  narrative: Narrative | None = None) -> list[Path]:
    n = narrative or build_narrative(d)
    html = render_html(build_document(d, n))
    files = write_charts(n, directory) if n.figures else []
    stem = f"{d.settings.unit_name}{d.settings.year}年度{d.settings.who}决算"
    stem = safe_name(stem)
    if "html" in formats:
        path = directory / f"{stem}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    if "pdf" in formats:
        path = directory / f"{stem}.pdf"
        write_pdf(html, path, base_url=str(directory))
        files.append(path)
    if "docx" in formats:
        path = directory / f"{stem}.docx"
        write_docx(html, path, document_date(d), directory)
        files.append(path)
    return files


def replace_directory(tmp: Path, final: Path) -> None:
    """Swap a finished build into place; the earlier archive survives until the swap."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    try:
        tmp.rename(final)
    except OSError:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(workbook: Path, output_root: Path, formats: tuple[str, ...] = FORMATS, *,
          strict: bool | None = None, catalog: Path | None = None, prior: Path | None = None) -> BuildResult:
    """Read, check, and (when the checks find no errors) write the documents."""
    d = read_workbook(workbook, prior)
    cat = load_catalog(d.settings.year, catalog)
    report = validate(d, strict=strict, catalog=cat)
    if report.errors:
        return BuildResult(None, [], d, report)
    final = output_root / safe_name(d.settings.unit_name) / str(d.settings.year)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the archive is for the office to share
    try:
        n = build_narrative(d, cat)
        files = write_outputs(d, tmp, formats, n)
        replace_directory(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if not any(final.parent.iterdir()):
            final.parent.rmdir()
    return BuildResult(final, [final / f.relative_to(tmp) for f in files], d, report, n.missing)
