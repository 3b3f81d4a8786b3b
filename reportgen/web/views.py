"""The pages: 开始, 检查, 预览, 发布, 多个单位, 核验. Server-rendered; forms post and redirect."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, session, url_for

from .. import limits
from ..errors import InputError
from ..kinds import get_kind
from ..model import Settings
from ..needs import write_blank_workbook
from ..profile import apply_profile, default_profile, profiles
from . import builds, sheetview
from .jobs import Job, safe_filename
from .unzip import UnzipError, extract_archive, workbooks_in_zip

bp = Blueprint("web", __name__)
KINDS = {"juesuan": "决算"}
ANCHOR = re.compile(r"^[a-z0-9-]{1,40}$")
MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "html": "text/html; charset=utf-8", "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def store():
    return current_app.extensions["jobs"]


def job_or_404(job_id: str, kind: str = "single") -> Job:
    job = store().get(job_id, session.get("owner", ""), kind)
    if job is None:
        abort(404)
    return job


def upload(field: str) -> tuple[str, bytes] | None:
    f = request.files.get(field)
    if f is None or not f.filename:
        return None
    return f.filename, f.read(limits.FILE_BYTES.value + 1)


@bp.get("/")
def start():
    get_kind()  # the kind's profiles
    names = sorted(dict.fromkeys(p.name for p in profiles().values()))
    return render_template("start.html", kinds=KINDS, profiles=names, default_profile=default_profile(),
                           examples=[p.name for p in current_app.extensions["examples"]], limit=limits.FILE_BYTES)


@bp.post("/blank")
def blank():
    unit = request.form.get("unit", "").strip()
    get_kind()  # the kind's profiles
    kind, profile = request.form.get("kind", ""), request.form.get("profile", default_profile())
    try:
        year = int(request.form.get("year", ""))
    except ValueError:
        year = 0
    known = profiles()
    if kind not in KINDS or profile not in known or not 2000 <= year <= 2100 or not 0 < len(unit) <= 100 \
            or any(ord(ch) < 32 for ch in unit):
        abort(400)
    prof = known[profile]
    settings = Settings(unit_name=unit, year=year, profile=prof.name)
    apply_profile(settings, set())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "blank.xlsx"
        write_blank_workbook(get_kind(kind), settings, path)  # as `reportgen init` writes it
        data = path.read_bytes()
    name = safe_filename(f"{unit}{year}.xlsx", (".xlsx",), "workbook")
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=MIME["xlsx"])


@bp.post("/jobs")
def new_job():
    example = request.form.get("example", "")
    chosen = next((p for p in current_app.extensions["examples"] if p.name == example), None)
    wb = upload("workbook") or ((chosen.name, chosen.read_bytes()) if chosen else None)
    if wb is None:
        abort(400)
    job = store().create(session["owner"], "single")
    job.store("workbook", *wb)
    for role in ("texts", "prior"):
        if (f := upload(role)) is not None:
            job.store(role, *f)
    return redirect(url_for("web.check", job_id=job.id))


@bp.post("/job/<job_id>/upload")
def reupload(job_id: str):
    job = job_or_404(job_id)
    stored = [job.store(role, *f) for role in ("workbook", "texts", "prior") if (f := upload(role)) is not None]
    if not stored:
        abort(400)
    back = request.form.get("back", "")
    page = request.form.get("page", "check")
    target = url_for("web.check" if page != "sheet" else "web.sheet", job_id=job.id,
                     **({"name": request.form.get("name", ""), "cell": request.form.getlist("cell")}
                        if page == "sheet" else {}))
    return redirect(target + (f"#{back}" if ANCHOR.match(back) else ""))


def inputs(job: Job) -> dict:
    return job.meta().get("inputs", {})


@bp.get("/job/<job_id>/check")
def check(job_id: str):
    job = job_or_404(job_id)
    checked = sheetview.check(job.input("workbook"), job.input("texts"), job.input("prior"))
    titles = set()
    if not checked.problems:
        titles = {g.title for g in sheetview.load_grids(job.input("workbook"))}
    return render_template("check.html", job=job, inputs=inputs(job), checked=checked, titles=titles,
                           split_cell=sheetview.split_cell, missing_sheet=sheetview.missing_sheet,
                           rule_text=sheetview.rule_text, severity=sheetview.SEVERITY, limit=limits.FILE_BYTES,
                           anchor=sheetview.anchor, step="check")


@bp.get("/job/<job_id>/sheet")
def sheet(job_id: str):
    job = job_or_404(job_id)
    try:
        grids = sheetview.load_grids(job.input("workbook"))
    except InputError:
        return redirect(url_for("web.check", job_id=job.id))
    cells = request.args.getlist("cell")[:200]
    view = sheetview.sheet_view(grids, request.args.get("name", ""), cells)
    if view is None:
        abort(404)
    rule = request.args.get("rule", "")
    checked = sheetview.check(job.input("workbook"), job.input("texts"), job.input("prior"))
    findings = [f for f in (checked.report.findings if checked.report else [])
                if any((s := sheetview.split_cell(c)) and s[0] == view.title for c in f.cells)]
    return render_template("sheet.html", job=job, view=view, findings=findings, rule=rule, grids=grids,
                           severity=sheetview.SEVERITY, split_cell=sheetview.split_cell, step="check",
                           limit=limits.FILE_BYTES, rule_text=sheetview.rule_text, anchor=sheetview.anchor)


def build_status(job: Job, mode: str) -> dict | None:
    status = builds.read_status(job.dir / "out" / mode / "status.json")
    if status and status.get("version") != job.meta().get("version"):
        return None  # built from an earlier upload
    return status


def build_page(job_id: str, mode: str, step: str):
    """预览 (a draft) and 发布 (final): POST starts the build, GET shows its state."""
    job = job_or_404(job_id)
    if request.method == "POST":
        builds.start_build(job, mode)
        return redirect(url_for(f"web.{step}", job_id=job.id))
    return render_template(f"{step}.html", job=job, inputs=inputs(job), status=build_status(job, mode),
                           mode=mode, step=step)


@bp.route("/job/<job_id>/preview", methods=["GET", "POST"])
def preview(job_id: str):
    return build_page(job_id, "draft", "preview")


@bp.route("/job/<job_id>/publish", methods=["GET", "POST"])
def publish(job_id: str):
    return build_page(job_id, "final", "publish")


def send_job_file(job: Job, relative: str, kind: str, name: str, inline: bool = False):
    path = job.inside(job.dir / relative)
    if not path.is_file():
        abort(404)
    resp = send_file(path, mimetype=MIME[kind], as_attachment=not inline, download_name=name)
    if inline:  # the document is shown in a frame: no scripts, no forms, nothing but itself
        resp.headers["Content-Security-Policy"] = ("default-src 'none'; img-src data:; font-src data:; "
                                                   "style-src 'unsafe-inline'; frame-ancestors 'self'")
    return resp


@bp.get("/job/<job_id>/out/<mode>/<kind>")
def download(job_id: str, mode: str, kind: str):
    job = job_or_404(job_id)
    status = build_status(job, mode) if mode in ("draft", "final") else None
    if not status or status.get("state") != "done" or kind not in status["files"]:
        abort(404)
    inline = request.args.get("view") == "1" and kind == "html"
    return send_job_file(job, status["files"][kind], kind, f"{status['stem']}.{kind}", inline)


@bp.get("/job/<job_id>/page/<mode>/<int:n>.png")
def page(job_id: str, mode: str, n: int):
    job = job_or_404(job_id)
    status = build_status(job, mode) if mode in ("draft", "final") else None
    if not status or not 1 <= n <= len(status.get("pages", [])):
        abort(404)
    path = job.inside(job.dir / "out" / mode / "pages" / status["pages"][n - 1])
    return send_file(path, mimetype="image/png")


# -- several units ---------------------------------------------------------------------------

@bp.get("/batch")
def batch_form():
    return render_template("batch_form.html", limit=limits.FILE_BYTES, step="batch")


@bp.post("/batch")
def batch_new():
    files: list[tuple[str, bytes]] = []
    for f in request.files.getlist("workbooks"):
        if not f.filename:
            continue
        data = f.read(limits.FILE_BYTES.value + 1)
        if f.filename.lower().endswith(".zip"):
            try:
                files += workbooks_in_zip(data)
            except UnzipError as exc:
                return render_template("error.html", code=400, title="压缩包无法读取", text=str(exc)), 400
        else:
            files.append((f.filename, data))
    if not files or len(files) > 200:
        abort(400)
    job = store().create(session["owner"], "batch")
    for i, (name, data) in enumerate(files):
        base = job.dir / "units" / str(i)
        (base / "in").mkdir(parents=True)
        safe = safe_filename(name, (".xlsx", ".xls", ".ods"), f"workbook{i + 1}")
        (base / "in" / safe).write_bytes(data)
        builds.write_status(base / "status.json", {"state": "waiting", "name": safe})
    for i in range(len(files)):
        builds.EXECUTOR.submit(builds.run_unit, job, i)
    return redirect(url_for("web.batch", job_id=job.id))


def unit_statuses(job: Job) -> list[dict]:
    units = sorted((job.dir / "units").iterdir(), key=lambda p: int(p.name))
    return [builds.read_status(u / "status.json") or {"state": "waiting", "name": u.name} for u in units]


@bp.get("/batch/<job_id>")
def batch(job_id: str):
    job = job_or_404(job_id, "batch")
    units = unit_statuses(job)
    running = any(u["state"] in ("waiting", "running") for u in units)
    return render_template("batch.html", job=job, units=units, running=running, step="batch")


@bp.get("/batch/<job_id>/unit/<int:i>/<kind>")
def batch_file(job_id: str, i: int, kind: str):
    job = job_or_404(job_id, "batch")
    units = unit_statuses(job)
    if not 0 <= i < len(units) or kind not in units[i].get("files", {}):
        abort(404)
    rel = units[i]["files"][kind]
    return send_job_file(job, rel, kind, Path(rel).name)


@bp.get("/batch/<job_id>/all.zip")
def batch_all(job_id: str):
    job = job_or_404(job_id, "batch")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for u in unit_statuses(job):
            if "zip" in u.get("files", {}):
                with zipfile.ZipFile(job.inside(job.dir / u["files"]["zip"])) as one:
                    for item in one.infolist():
                        zf.writestr(item, one.read(item))
    buf.seek(0)
    return send_file(buf, mimetype=MIME["zip"], as_attachment=True, download_name="全部单位.zip")


# -- verify an archive -----------------------------------------------------------------------

@bp.route("/verify", methods=["GET", "POST"])
def verify_form():
    if request.method == "GET":
        return render_template("verify.html", status=None, limit=limits.FILE_BYTES, step="verify")
    f = upload("archive")
    if f is None:
        abort(400)
    job = store().create(session["owner"], "verify")
    try:
        folder = extract_archive(f[1], job.dir / "archive")
    except UnzipError as exc:
        builds.write_status(job.dir / "status.json", {"state": "unreadable", "problems": [str(exc)]})
    else:
        builds.write_status(job.dir / "status.json", {"state": "running"})
        builds.EXECUTOR.submit(builds.run_verify, job, folder)
    return redirect(url_for("web.verify_job", job_id=job.id))


@bp.get("/verify/<job_id>")
def verify_job(job_id: str):
    job = job_or_404(job_id, "verify")
    return render_template("verify.html", status=builds.read_status(job.dir / "status.json"),
                           limit=limits.FILE_BYTES, step="verify")
