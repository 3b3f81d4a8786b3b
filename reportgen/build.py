"""Build the documents of one workbook into output/<unit>/<year>/ (drafts: <year>-草稿/), atomically.

Final mode (the default) refuses when the checks find errors or an input is missing; a draft
(`--draft`) builds whatever the data allows, with a watermark and an appendix of what to fix.
Everything is written into a temporary directory beside the archive and renamed into place,
so a failed or interrupted build leaves the previous archive as it was. A build never loses a
file: documents of formats it does not rebuild, and files reportgen did not write, are kept.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .archive import FORMATS, MANIFEST, Input, load_manifest, manifest, output_entries, sha256, write_manifest
from .archive_dir import (
    DRAFT,
    STEM_BYTES,
    archive_path,
    carry_over,
    files_under,
    locked,
    plain_name,
    recover,
    recover_root,
    swap_in,
    write_problem,
)
from .catalog import load_catalog
from .document import build_document
from .errors import InputError, Problem
from .kinds import DEFAULT, Kind, get_kind
from .model import Disclosure
from .progress import Progress
from .render.html import render_html
from .rules import Missing, Report
from .sources import read_texts
from .tree import Document


@dataclass
class BuildResult:
    directory: Path | None  # None when final mode refused
    files: list[Path]
    disclosure: Disclosure
    report: Report
    missing: list[Missing] = field(default_factory=list)  # inputs shown as 【待补充】
    kept: list[Path] = field(default_factory=list)  # files of the earlier archive this build kept
    recovered: list[str] = field(default_factory=list)  # what killed builds left, and what was done

    @property
    def refusals(self) -> list[str]:
        """One line per reason final mode will not publish."""
        lines = [f"校验错误 {f.rule} {f.where}：{f.message}（{'、'.join(f.cells[:4])}）" for f in self.report.errors]
        lines += [f"待补充 {m.key}：{m.where}" for m in self.missing]
        return lines


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


def stem(d: Disclosure, kind: Kind | None = None, *, draft: bool = False) -> str:
    """The documents' file name: a draft says so, even when mailed without its folder."""
    kind = kind or get_kind()
    label = kind.file_title(d.settings.unit_name, d.settings.year, d.settings.who)
    return plain_name(label + (f"（{DRAFT}）" if draft else ""), STEM_BYTES, kind.title)


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
    # Heavy libraries load only for what is asked: matplotlib for a chart (the kind's charts
    # import it when called), WeasyPrint for a PDF or a DOCX's 目录 page numbers, python-docx for a DOCX.
    files = kind.charts(n, directory) if n.figures else []
    html = render_html(document, charts=directory)
    name = stem(d, kind, draft=draft)
    when = document_date(d)
    pages: dict[str, int] = {}
    if "html" in formats:
        path = directory / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    if "pdf" in formats:
        from .render.pdf import write_pdf

        path = directory / f"{name}.pdf"
        progress.step("生成 PDF…")
        progress.pages, pages = write_pdf(html, path, base_url=str(directory), when=when,
                                          attachments=[(i.path, i.role) for i in attachments or []])
        files.append(path)
    if "docx" in formats:
        from .render.docx import write_docx

        path = directory / f"{name}.docx"
        progress.step("生成 DOCX…")
        if not pages and document.toc:  # the 目录's numbers need the layout, hence WeasyPrint
            from .render.pdf import page_numbers

            pages = page_numbers(html, str(directory))
        write_docx(document, path, when, directory, pages=pages)
        files.append(path)
    return files


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
    final = archive_path(output_root, d.settings.unit_name, d.settings.year, draft=draft)
    inputs = [Input(role, path) for role, path in
              (("workbook", workbook), ("prior", prior), ("catalog", catalog), ("texts", texts)) if path]
    data = manifest(inputs, [], output_root, mode="draft" if draft else "final", profile=n.profile.name,
                    kind=k.name, formats=formats, strict=strict, unit=d.settings.unit_name, year=d.settings.year,
                    profile_dirs=profile_dirs)
    for item, i in zip(data["inputs"], inputs, strict=True):
        item["path"] = str((record_paths or {}).get(i.role, item["path"]))
    try:
        output_root.mkdir(parents=True, exist_ok=True)
        result.recovered = recover_root(output_root)
        with locked(final.parent):
            result.recovered += recover(final.parent)
            try:
                files, kept = write_archive(d, n, report, final, data, inputs, document, progress, k)
            finally:
                if not final.exists() and not any(final.parent.iterdir()):
                    final.parent.rmdir()  # a first build that failed leaves no trace
    except OSError as exc:
        problem = write_problem(exc, output_root)
        if problem is None:
            raise
        raise problem from None
    result.directory = final
    result.files = files
    result.kept = kept
    return result


def write_archive(d: Disclosure, n: Any, report: Report, final: Path, data: dict,
                  inputs: list[Input], document: Document,
                  progress: Progress, kind: Kind) -> tuple[list[Path], list[Path]]:
    """Write into a temporary directory, carry over what this build keeps, swap it into place.

    Returns (files written, files kept from the earlier archive), as paths in `final`.
    """
    old = previous_archive(final, data)
    docs, foreign, kept_formats = carried_paths(final, old, data)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the archive is for the office to share
        formats = tuple(data["formats"])
        files = write_outputs(d, tmp, formats, n, draft=data["mode"] == "draft", report=report,
                              attachments=inputs, document=document, progress=progress, kind=kind)
        progress.step("写入归档…")
        clash = [p for p in foreign if (tmp / p).exists() or (tmp / p).is_symlink()]
        if clash:
            raise InputError([Problem(str(final / p), "", "不是 reportgen 生成的文件（manifest.json 中没有），"
                                      "新文件与它同名；不覆盖，请移走或改名后重试") for p in clash])
        kept = carry_over(final, tmp, docs)
        data["formats"] = [f for f in FORMATS if f in formats or f in kept_formats]
        data["outputs"] = output_entries(files + kept, tmp)  # foreign files stay unlisted: not ours
        kept += carry_over(final, tmp, foreign)
        files.append(write_manifest(data, tmp))
        swap_in(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return [final / f.relative_to(tmp) for f in files], [final / f.relative_to(tmp) for f in kept]


PROVENANCE = ("reportgen", "libraries", "fonts", "mode", "strict", "unit", "year")


def previous_archive(final: Path, data: dict) -> dict | None:
    """The manifest of the archive this build replaces, after refusing what must not be replaced."""
    if not final.exists():
        return None
    if not (final / MANIFEST).exists():
        return {"outputs": [], "formats": [], "inputs": [], "foreign": True}
    old = load_manifest(final)
    if (old["unit"], old["year"]) != (data["unit"], data["year"]):
        raise InputError([Problem(str(final), "", f"此目录是「{old['unit']}」{old['year']}年度的归档，"
                                  f"「{data['unit']}」{data['year']}年度的名称对应到同一目录；不覆盖，"
                                  "请改用另一个 --output 或修改单位名称")])
    changed = [o["path"] for o in old["outputs"] if (final / o["path"]).is_file()
               and not (final / o["path"]).is_symlink() and sha256(final / o["path"]) != o["sha256"]]
    if changed:
        raise InputError([Problem(str(final / p), "", "生成后被改动过（与 manifest.json 记录不符）；不覆盖，"
                                  "请移走或改名后重试") for p in changed])
    return old


def carried_paths(final: Path, old: dict | None, data: dict) -> tuple[list[str], list[str], list[str]]:
    """What the new archive keeps from `final`: (documents of formats not rebuilt, foreign files, formats).

    Kept documents must come from the same inputs, mode, versions and fonts as the new ones, or
    the one manifest could not describe them all: then the build refuses instead.
    """
    if old is None:
        return [], [], []
    listed = {o["path"] for o in old["outputs"]}
    docs, kept_formats = [], []
    for fmt in old["formats"]:
        found = sorted(p for p in listed if "/" not in p and p.endswith("." + fmt) and (final / p).is_file())
        if fmt not in data["formats"] and found:
            docs += found
            kept_formats.append(fmt)
    foreign = [p for p in files_under(final) if p not in listed and p != MANIFEST]
    differs = [k for k in PROVENANCE if old.get(k) != data[k]]
    if [(i["role"], i["sha256"]) for i in old["inputs"]] != [(i["role"], i["sha256"]) for i in data["inputs"]]:
        differs.insert(0, "inputs")
    if docs and differs:
        what = "、".join(LABELS.get(k, k) for k in differs)
        raise InputError([Problem(str(final), "", f"已有的 {'、'.join(docs)} 与这次生成的{what}不同，"
                                  "放在同一归档里 manifest.json 无法如实记录；请生成全部格式"
                                  "（去掉 --formats），或先移走这些文件")])
    return docs, foreign, kept_formats


LABELS = {"inputs": "输入文件", "reportgen": "reportgen 版本", "libraries": "库版本", "fonts": "字体",
          "mode": "生成模式", "strict": "严格模式设置", "unit": "单位", "year": "年度"}
