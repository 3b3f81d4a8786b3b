"""Builds in the background: one worker thread, a status file per build, page images, zips.

One worker for the whole server: matplotlib's pyplot state is not thread-safe and the office PC
has few cores, so builds queue. `build_unit` is the single seam the batch engine will replace.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..progress import Progress
from ..refusals import refusal_groups, sheet_heading
from .jobs import Job
from .sheetview import renamed

EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportgen-build")
STATES_DONE = ("done", "refused", "unreadable", "failed")


def write_status(path: Path, status: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def read_status(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class StatusProgress(Progress):
    """Writes each build step into the status file the page polls."""

    def __init__(self, path: Path, status: dict):
        self.path, self.status = path, status

    def step(self, text: str) -> None:
        self.status["step"] = text
        write_status(self.path, self.status)


def refusal_lines(result) -> list[dict]:
    """The CLI's refusal reasons, grouped by the sheet to fix."""
    return [{"heading": sheet_heading(sheet, len(lines)), "lines": lines}
            for sheet, lines in refusal_groups(result).items()]


def page_images(pdf: Path, directory: Path) -> list[str]:
    """PDF pages as PNG at 60 dpi (pdftoppm); names of the images, in page order."""
    directory.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(directory / "page")],
                   check=True, capture_output=True, timeout=300)
    return sorted((p.name for p in directory.glob("page-*.png")), key=lambda n: int(n[5:-4]))


def zip_archive(directory: Path, target: Path) -> Path:
    """The archive folder as a .zip whose entries are <unit>/<year>/…, as `verify` expects them."""
    base = directory.parent.parent
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(directory.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(base).as_posix())
    return target


@dataclass
class UnitOutcome:
    state: str  # 正式 | 仅草稿 | 有错误 | 无法读取
    directory: Path | None = None
    files: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def build_unit(workbook: Path, out: Path, *, texts: Path | None = None, prior: Path | None = None,
               progress: Progress | None = None) -> UnitOutcome:
    """One unit of a batch: final if it can, else a draft; the seam the batch engine replaces."""
    from ..build import build

    try:
        result = build(workbook, out / "final", texts=texts, prior=prior, progress=progress)
        if result.directory is not None:
            return UnitOutcome("正式", result.directory, result.files)
        reasons = [line for g in refusal_groups(result).values() for line in g]
        draft = build(workbook, out / "draft", draft=True, texts=texts, prior=prior, progress=progress)
        return UnitOutcome("有错误" if result.report.errors else "仅草稿", draft.directory, draft.files, reasons)
    except InputError as exc:
        return UnitOutcome("无法读取", lines=renamed(exc, workbook, workbook.name))


def run_build(job: Job, mode: str, version: int) -> None:
    """Build the job's inputs in `mode` (draft | final) into out/<mode>/; status in status.json."""
    from ..build import build

    base = job.dir / "out" / mode
    status_path = base / "status.json"
    status = {"state": "running", "step": "排队等候…", "version": version}
    write_status(status_path, status)
    try:
        shutil.rmtree(base / "root", ignore_errors=True)
        result = build(job.input("workbook"), base / "root", draft=mode == "draft",
                       texts=job.input("texts"), prior=job.input("prior"),
                       progress=StatusProgress(status_path, status))
        if result.directory is None:
            status.update(state="refused", groups=refusal_lines(result),
                          errors=len(result.report.errors), missing=len(result.missing))
        else:
            files = {p.suffix[1:]: job.inside(p).relative_to(job.dir).as_posix()
                     for p in result.files if p.suffix in (".pdf", ".docx", ".html")}
            status.update(step="生成页面图像…")
            write_status(status_path, status)
            pages = page_images(result.directory / Path(files["pdf"]).name, base / "pages") if "pdf" in files else []
            zipped = zip_archive(result.directory, base / "archive.zip")
            files["zip"] = zipped.relative_to(job.dir).as_posix()
            status.update(state="done", files=files, pages=pages, stem=Path(files["pdf"]).stem,
                          errors=len(result.report.errors), missing=len(result.missing))
    except InputError as exc:
        workbook = job.input("workbook")
        status.update(state="unreadable", problems=renamed(exc, workbook, workbook.name))
    except Exception as exc:  # shown as a page state, never a traceback
        status.update(state="failed", problems=[f"内部错误：{type(exc).__name__}: {exc}"])
    status.pop("step", None)
    write_status(status_path, status)


def start_build(job: Job, mode: str) -> None:
    version = job.meta().get("version", 0)
    write_status(job.dir / "out" / mode / "status.json", {"state": "running", "step": "排队等候…", "version": version})
    EXECUTOR.submit(run_build, job, mode, version)


def run_unit(job: Job, index: int) -> None:
    """One row of a batch job: its outcome into units/<index>/status.json."""
    base = job.dir / "units" / str(index)
    status_path = base / "status.json"
    status = read_status(status_path) or {}
    status.update(state="running", step="读取工作簿…")
    write_status(status_path, status)
    try:
        outcome = build_unit(base / "in" / status["name"], base / "out", progress=StatusProgress(status_path, status))
        files = {p.suffix[1:]: job.inside(p).relative_to(job.dir).as_posix()
                 for p in outcome.files if p.suffix in (".pdf", ".docx", ".html")}
        if outcome.directory is not None:
            files["zip"] = zip_archive(outcome.directory, base / "archive.zip").relative_to(job.dir).as_posix()
        status.update(state=outcome.state, lines=outcome.lines, files=files)
    except Exception as exc:
        status.update(state="无法读取", lines=[f"内部错误：{type(exc).__name__}: {exc}"], files={})
    status.pop("step", None)
    write_status(status_path, status)


def run_verify(job: Job, folder: Path) -> None:
    """`reportgen verify` of an extracted archive; the result lines into status.json."""
    from ..archive import verify
    from ..build import build

    path = job.dir / "status.json"
    marks = {"identical": "相同", "different": "不同", "missing": "缺失"}
    try:
        v = verify(folder, build)
        status = {"state": "done", "ok": v.ok, "source": v.source, "causes": v.causes,
                  "results": [{"mark": marks[r.status], "path": r.path, "note": r.note} for r in v.results]}
    except FileNotFoundError as exc:
        status = {"state": "unreadable", "problems": [str(exc)]}
    except InputError as exc:
        status = {"state": "unreadable", "problems": [str(p) for p in exc.problems]}
    except Exception as exc:
        status = {"state": "failed", "problems": [f"内部错误：{type(exc).__name__}: {exc}"]}
    write_status(path, status)
