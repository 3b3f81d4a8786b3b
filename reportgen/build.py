"""Build the documents of one workbook into output/<unit>/<year>/, atomically.

Final mode (the default) refuses when the checks find errors or an input is missing; a draft
(`--draft`) builds whatever the data allows, with a watermark and an appendix of what to fix.
Everything is written into a temporary directory beside the archive and renamed into place,
so a failed or interrupted build leaves the previous archive as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .archive import Input, manifest, write_manifest
from .catalog import load_catalog
from .document import build_document
from .kinds import DEFAULT, Kind, get_kind
from .model import Disclosure
from .progress import Progress
from .render.docx import write_docx
from .render.html import render_html
from .render.pdf import page_numbers, write_pdf
from .rules import Missing, Report
from .sources import read_texts
from .tree import Document

FORMATS = ("html", "pdf", "docx")


@dataclass
class BuildResult:
    directory: Path | None  # None when final mode refused
    files: list[Path]
    disclosure: Disclosure
    report: Report
    missing: list[Missing] = field(default_factory=list)  # inputs shown as 【待补充】

    @property
    def refusals(self) -> list[str]:
        """One line per reason final mode will not publish."""
        lines = [f"校验错误 {f.rule} {f.where}：{f.message}（{'、'.join(f.cells[:4])}）" for f in self.report.errors]
        lines += [f"待补充 {m.key}：{m.where}" for m in self.missing]
        return lines


def safe_name(text: str) -> str:
    """A unit name as a directory name: path separators and control characters removed."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in text)
    return cleaned.strip(" .") or "unit"


def document_date(d: Disclosure) -> datetime:
    """The one date the files carry: 公开时间 when given, else 1 January after the year.

    Never the clock, and deliberately not SOURCE_DATE_EPOCH either: the same inputs must give
    the same bytes whoever builds them, whenever.
    """
    m = re.match(r"^(\d{4})\D+(\d{1,2})\D+(\d{1,2})", d.settings.published or "")
    if m:
        try:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    return datetime(d.settings.year + 1, 1, 1)


def stem(d: Disclosure, kind: Kind | None = None) -> str:
    return safe_name((kind or get_kind()).file_title(d.settings.unit_name, d.settings.year, d.settings.who))


def write_outputs(d: Disclosure, directory: Path, formats: tuple[str, ...] = FORMATS,
                  narrative: Any = None, *, draft: bool = False, report: Report | None = None,
                  attachments: list[Input] | None = None, document: Document | None = None,
                  progress: Progress | None = None, kind: Kind | None = None) -> list[Path]:
    """Charts, then HTML, PDF and DOCX of one document tree into `directory`.

    The DOCX's 目录 shows the page numbers the PDF's layout gives (both come from one tree)."""
    progress = progress or Progress()
    kind = kind or get_kind()
    n = narrative or kind.narrative(d)
    if document is None:
        document = build_document(d, n, draft=draft, findings=report.findings if report else [], kind=kind)
    if n.figures:
        progress.step("绘制图表…")
    files = kind.charts(n, directory) if n.figures else []
    html = render_html(document, charts=directory)
    name = stem(d, kind)
    when = document_date(d)
    pages: dict[str, int] = {}
    if "html" in formats:
        path = directory / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    if "pdf" in formats:
        path = directory / f"{name}.pdf"
        progress.step("生成 PDF…")
        progress.pages, pages = write_pdf(html, path, base_url=str(directory), when=when,
                                          attachments=[(i.path, i.role) for i in attachments or []])
        files.append(path)
    if "docx" in formats:
        path = directory / f"{name}.docx"
        progress.step("生成 DOCX…")
        pages = pages or page_numbers(html, str(directory))
        write_docx(document, path, when, directory, pages=pages)
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


def build(workbook: Path, output_root: Path, formats: tuple[str, ...] = FORMATS, *, draft: bool = False,
          strict: bool | None = None, catalog: Path | None = None, prior: Path | None = None,
          texts: Path | None = None, record_paths: dict[str, Path] | None = None,
          progress: Progress | None = None, kind: str = DEFAULT,
          profile_dirs: tuple[Path, ...] = ()) -> BuildResult:
    """Read, check, render; write the archive unless final mode refuses.

    `texts` is a Markdown file of snippets (default: <workbook>.md beside the workbook).
    `record_paths` lets `verify` record the original input paths when it rebuilds from copies.
    `progress` hears each step (the CLI shows them on a terminal).
    """
    progress = progress or Progress()
    progress.step("读取工作簿…")
    texts = texts or (workbook.with_suffix(".md") if workbook.with_suffix(".md").exists() else None)
    k = get_kind(kind, profile_dirs)
    d = k.read(workbook, prior)
    if texts is not None:
        d.snippets.update(read_texts(texts))
    cat = load_catalog(d.settings.year, catalog)
    progress.step("校验…")
    report = k.validate(d, strict=strict, catalog=cat)
    progress.step("生成 HTML…")
    n = k.narrative(d, cat)
    document = build_document(d, n, draft=draft, findings=report.findings, kind=k)
    result = BuildResult(None, [], d, report, n.missing)
    if not draft and (report.errors or n.missing):
        return result
    final = output_root / safe_name(d.settings.unit_name) / str(d.settings.year)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the archive is for the office to share
    inputs = [Input(role, path) for role, path in
              (("workbook", workbook), ("prior", prior), ("catalog", catalog), ("texts", texts)) if path]
    try:
        files = write_outputs(d, tmp, formats, n, draft=draft, report=report, attachments=inputs,
                              document=document, progress=progress, kind=k)
        progress.step("写入归档…")
        recorded = [Input(i.role, (record_paths or {}).get(i.role, i.path)) for i in inputs]
        data = manifest(inputs, files, tmp, mode="draft" if draft else "final", profile=n.profile.name, kind=k.name,
                        formats=formats, strict=strict, unit=d.settings.unit_name, year=d.settings.year)
        for item, rec in zip(data["inputs"], recorded, strict=True):
            item["path"] = str(rec.path)
        files.append(write_manifest(data, tmp))
        replace_directory(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if final.parent.exists() and not any(final.parent.iterdir()):
            final.parent.rmdir()
    result.directory = final
    result.files = [final / f.relative_to(tmp) for f in files]
    return result
