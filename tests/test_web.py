"""The web page in-process (Flask's test client): checks, sheet view, and hostile requests."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reportgen import limits
from reportgen.cli import main
from reportgen.model import Settings
from reportgen.web import builds
from reportgen.web.app import StartError, check_bind, create_app
from reportgen.web.jobs import safe_filename
from reportgen.workbook import blank_disclosure, save_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "shenzhen-2020.xlsx"
SAME_ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def app(tmp_path):
    return create_app(tmp_path / "data", examples=[SAMPLE])


def text(resp) -> str:
    """The page's visible text, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", resp.get_data(as_text=True)))


def error_count(resp) -> int:
    return int(re.search(r'id="error-count">(\d+) 错误<', resp.get_data(as_text=True)).group(1))


def upload(client, name: str, data: bytes, **extra):
    files = {"workbook": (io.BytesIO(data), name), **extra}
    return client.post("/jobs", data=files, headers=SAME_ORIGIN, content_type="multipart/form-data")


def changed_sample(tmp_path: Path, cell: str = "C7", value=12646.13) -> Path:
    wb = openpyxl.load_workbook(SAMPLE)
    wb["公开01表"][cell] = value
    path = tmp_path / "shenzhen-2020.xlsx"
    wb.save(path)
    return path


def test_sample_checks_clean_and_a_changed_cell_is_named_and_highlighted(app, tmp_path):
    c = app.test_client()
    r = upload(c, "shenzhen-2020.xlsx", SAMPLE.read_bytes())
    assert r.status_code == 302
    check_url = r.location
    assert error_count(c.get(check_url)) == 0

    bad = changed_sample(tmp_path)
    r = c.post(check_url.replace("/check", "/upload"), data={"workbook": (io.BytesIO(bad.read_bytes()), bad.name),
                                                             "back": "summary"},
               headers=SAME_ORIGIN, content_type="multipart/form-data")
    assert r.status_code == 302 and r.location.endswith(check_url + "#summary")  # same job, same place
    page = c.get(check_url)
    body = text(page)
    assert error_count(page) > 0 and "T01-1" in body
    links = re.findall(r'class="cell-link" href="[^"]*rule=T01-1[^"]*">公开01表：([^<]*)<', page.get_data(as_text=True))
    assert "C7" in re.split(r"[、…]", links[0])
    link = re.search(r'href="([^"]*sheet\?[^"]*rule=T01-1[^"]*)"', page.get_data(as_text=True)).group(1)
    sheet = c.get(html.unescape(link))
    assert sheet.status_code == 200
    hits = re.findall(r'<td class="hit" title="([^"]*)"', sheet.get_data(as_text=True))
    assert "12646.13" in hits
    assert "左边" in text(sheet) and "右边" in text(sheet)


def test_missing_inputs_name_the_sheet_to_fill(app, tmp_path):
    path = tmp_path / "blank.xlsx"
    save_workbook(blank_disclosure(Settings(unit_name="某某局", year=2021)), path)
    c = app.test_client()
    r = upload(c, "blank.xlsx", path.read_bytes())
    body = text(c.get(r.location))
    assert "待补充内容" in body and "公开01表" in body
    assert "工作簿中的表都还没有填写数据" in body


def test_upload_over_the_limit_is_refused_in_chinese(app):
    r = upload(app.test_client(), "big.xlsx", b"\0" * (limits.FILE_BYTES.value + 1))
    assert r.status_code == 413
    assert "文件太大" in text(r) and str(limits.FILE_BYTES) in text(r)
    assert "Traceback" not in r.get_data(as_text=True)


def test_a_word_file_renamed_xlsx_gets_the_cli_message(app, tmp_path):
    from docx import Document

    path = tmp_path / "报表.xlsx"
    buf = io.BytesIO()
    Document().save(buf)
    path.write_bytes(buf.getvalue())
    cli = subprocess.run([sys.executable, "-m", "reportgen", "validate", path.name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 2
    message = cli.stderr.strip()
    assert "不是 Excel/WPS 工作簿" in message
    c = app.test_client()
    r = upload(c, path.name, path.read_bytes())
    assert message in text(c.get(r.location))


def test_hostile_names_stay_inside_the_job(app, tmp_path):
    """A unit name ../../x and an upload named ../../evil.xlsx write nothing outside the job."""
    wb = tmp_path / "in.xlsx"
    save_workbook(blank_disclosure(Settings(unit_name="../../x", year=2021)), wb)
    data_root = tmp_path / "data"
    before = set(tmp_path.rglob("*"))
    c = app.test_client()
    texts = (io.BytesIO("## 职责\nx\n".encode()), "/etc/passwd")
    r = upload(c, "../../evil.xlsx", wb.read_bytes(), texts=texts)
    job_id = r.location.split("/")[2]
    job_dir = data_root / "jobs" / job_id
    builds.run_build(_job(app, job_id), "draft", 1)  # what the preview button queues, run here
    status = builds.read_status(job_dir / "out" / "draft" / "status.json")
    assert status["state"] == "done", status
    new = set(tmp_path.rglob("*")) - before
    assert new and all(p.resolve().is_relative_to(job_dir.resolve()) for p in new if p != data_root
                       and p != data_root / "jobs")
    assert not (tmp_path.parent / "x").exists() and not (data_root / "x").exists()
    assert {p.name for p in (job_dir / "work").rglob("*.*")} == {"evil.xlsx", "passwd.md"}
    # archive: a cleaned unit name carries a hash of the original, so names stay distinct
    assert [p.name.split("~")[0] for p in (job_dir / "out" / "draft" / "root").iterdir()] == ["_.._x"]


def _job(app, job_id):
    from reportgen.web.jobs import Job

    return Job(job_id, app.extensions["jobs"].root / job_id)


def test_a_job_from_another_session_is_404(app):
    mine, theirs = app.test_client(), app.test_client()
    r = upload(mine, "shenzhen-2020.xlsx", SAMPLE.read_bytes())
    url = r.location
    assert mine.get(url).status_code == 200
    for path in (url, url.replace("check", "preview"), url.replace("check", "publish"),
                 url.replace("check", "sheet") + "?name=公开01表", url.replace("check", "out/final/pdf")):
        resp = theirs.get(path)
        assert resp.status_code == 404, path
        assert "找不到页面" in text(resp)
    assert theirs.post(url.replace("check", "preview"), headers=SAME_ORIGIN).status_code == 404


def test_cross_origin_posts_are_refused(app):
    c = app.test_client()
    r = c.post("/jobs", data={"example": SAMPLE.name}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "来源检查未通过" in text(r)
    assert c.post("/jobs", data={"example": SAMPLE.name}).status_code == 403  # no Origin, no Referer
    assert c.post("/jobs", data={"example": SAMPLE.name}, headers=SAME_ORIGIN).status_code == 302


def test_non_loopback_needs_a_token(tmp_path, capsys):
    with pytest.raises(StartError, match="--token"):
        check_bind("0.0.0.0", None)
    check_bind("0.0.0.0", "s3cret")
    check_bind("127.0.0.1", None)
    assert main(["serve", "--host", "0.0.0.0", "--data", str(tmp_path)]) == 2
    assert "拒绝启动" in capsys.readouterr().err
    app = create_app(tmp_path, token="s3cret", loopback_only=False)
    c = app.test_client()
    assert c.get("/").status_code == 403 and "访问口令" in text(c.get("/"))
    assert c.get("/?token=wrong").status_code == 403
    assert c.get("/?token=s3cret").status_code == 200 and c.get("/").status_code == 200  # remembered


def test_another_host_name_is_refused_on_loopback(app):
    assert app.test_client().get("/", headers={"Host": "attacker.example:8000"}).status_code == 400


def test_blank_workbook_download(app, tmp_path):
    r = app.test_client().post("/blank", data={"kind": "juesuan", "year": "2021", "unit": "某某局（本级）",
                                               "profile": "深圳"}, headers=SAME_ORIGIN)
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    path = tmp_path / "b.xlsx"
    path.write_bytes(r.data)
    info = {row[0].value: row[1].value for row in openpyxl.load_workbook(path)["单位信息"].iter_rows(min_row=2)}
    assert info["单位名称"] == "某某局（本级）" and str(info["年度"]) == "2021" and info["样式"] == "深圳"
    # the same blank workbook as `reportgen init`: only the rows 深圳's sections print, each saying where
    prior = {row[0].value: row[2].value for row in openpyxl.load_workbook(path)["上年数"].iter_rows(min_row=2)}
    assert "上级补助收入" not in prior and prior["收支总计"].endswith("用于：收入支出决算总体情况说明")
    bad = app.test_client().post("/blank", data={"kind": "yusuan", "year": "2021", "unit": "x"}, headers=SAME_ORIGIN)
    assert bad.status_code == 400 and "请求无效" in text(bad)


def test_archive_zip_with_an_escaping_entry_is_refused(app):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("u/2020/manifest.json", "{}")
        zf.writestr("u/2020/../../../../evil.txt", "x")
    c = app.test_client()
    r = c.post("/verify", data={"archive": (io.BytesIO(buf.getvalue()), "a.zip")}, headers=SAME_ORIGIN,
               content_type="multipart/form-data")
    page = c.get(r.location)
    assert "路径不安全" in text(page)
    assert not list(Path(app.extensions["jobs"].root).rglob("evil.txt"))


@pytest.mark.parametrize(("name", "expected"), [
    ("../../x.xlsx", "x.xlsx"), ("C:\\Users\\a\\b.XLS", "b.xls"), ("..", "workbook.xlsx"),
    ("a\x00b.ods", "a_b.ods"), ("report.exe", "report.exe.xlsx"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name, (".xlsx", ".xls", ".ods"), "workbook") == expected


def test_unknown_pages_are_chinese_404(app):
    r = app.test_client().get("/job/nope/check")
    assert r.status_code == 404 and "找不到页面" in text(r)
    assert shutil.which("pdftoppm")  # the preview's page images need poppler-utils (scripts/sysdeps.sh)


def test_published_archive_zip_verifies(app):
    """Build final as the 发布 button does, download the archive .zip, upload it to 核验归档."""
    c = app.test_client()
    r = upload(c, "shenzhen-2020.xlsx", SAMPLE.read_bytes())
    job_id = r.location.split("/")[2]
    builds.run_build(_job(app, job_id), "final", 1)
    page = c.get(f"/job/{job_id}/publish")
    assert "正式文档已生成" in text(page)
    archive = c.get(f"/job/{job_id}/out/final/zip")
    assert archive.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert "深圳市医疗保障局（本级）/2020/manifest.json" in names
    r = c.post("/verify", data={"archive": (io.BytesIO(archive.data), "a.zip")}, headers=SAME_ORIGIN,
               content_type="multipart/form-data")
    builds.EXECUTOR.submit(lambda: None).result(timeout=600)  # the queued verification has finished
    body = text(c.get(r.location))
    assert "逐字节相同" in body and "PDF 附件" in body, body[-800:]
