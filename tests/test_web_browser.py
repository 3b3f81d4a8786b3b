"""The web page end to end in Debian's Chromium (Playwright, the system browser; no downloads).

Set WEB_SHOTS=DIR to keep a 1280 px screenshot of every page the test passes through.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from reportgen.web.app import create_app, free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LONG = 600_000  # ms: guards against a hang, never a speed requirement

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium: bash scripts/sysdeps.sh")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app under waitress on a free loopback port, in a thread of this process."""
    from waitress import create_server

    app = create_app(tmp_path_factory.mktemp("web-data"), examples=[ROOT / "data" / "shenzhen-2020.xlsx"])
    port = free_port()
    srv = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    srv.close()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(LONG)
        yield pg
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = Path(os.environ["WEB_SHOTS"]) if os.environ.get("WEB_SHOTS") else tmp_path_factory.mktemp("shots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def shot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def until(condition, seconds: float = 600) -> bool:
    """Poll `condition` (the page refreshes itself while builds run); False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def changed_sample(directory: Path) -> Path:
    wb = openpyxl.load_workbook(ROOT / "data" / "shenzhen-2020.xlsx")
    wb["公开01表"]["C7"] = 12646.13  # was 12646.12: 本年收入合计 no longer adds up
    path = directory / "changed" / "shenzhen-2020.xlsx"
    path.parent.mkdir()
    wb.save(path)
    return path


def test_fill_check_fix_preview_publish(server, page, shots, built, tmp_path):
    # 开始: a blank workbook from the form
    page.goto(server + "/")
    shot(page, shots, "1-start")
    page.fill("input[name=unit]", "某某局（本级）")
    page.select_option("select[name=profile]", "深圳")
    with page.expect_download() as dl:
        page.click("#blank-form button")
    blank = tmp_path / "blank.xlsx"
    dl.value.save_as(blank)
    assert openpyxl.load_workbook(blank)["单位信息"]["B2"].value == "某某局（本级）"

    # 检查: the sample has no errors
    page.set_input_files("#upload-form input[name=workbook]", str(ROOT / "data" / "shenzhen-2020.xlsx"))
    page.click("#upload-form button")
    page.wait_for_url(re.compile(r"/job/[^/]+/check$"))
    check_url = page.url
    assert page.inner_text("#error-count") == "0 错误"
    shot(page, shots, "2-check-clean")

    # one cell changed: the finding names it and the sheet view highlights it
    changed = changed_sample(tmp_path)
    page.set_input_files("#summary input[name=workbook]", str(changed))
    page.click("#summary form button")
    page.wait_for_url(check_url + "#summary")
    assert page.inner_text("#error-count") != "0 错误"
    row = page.locator("tr.finding", has_text="T01-1").first
    cells = row.locator("a.cell-link", has_text="公开01表").first.inner_text()
    assert "C7" in re.split(r"[：、…]", cells)
    shot(page, shots, "3-check-errors")
    row.locator("a.cell-link", has_text="公开01表").first.click()
    page.wait_for_selector("td.hit")
    assert "12646.13" in page.locator("td.hit").all_inner_texts()
    assert "C7" in page.inner_text("#marked")
    shot(page, shots, "4-sheet")

    # 预览: a draft; page 1 is an image that loads
    page.goto(check_url.replace("/check", "/preview"))
    page.click("main form button")
    page.wait_for_selector("img#p1")
    assert until(lambda: page.evaluate("document.querySelector('img#p1').naturalWidth") > 100)
    shot(page, shots, "5-preview")

    # 发布: refused with the reasons, then final from the unchanged sample, byte-identical to build()
    page.goto(check_url.replace("/check", "/publish"))
    page.click("main form button")
    page.wait_for_selector(".refused")
    assert "T01-1" in page.inner_text(".refused") and "公开01表" in page.inner_text(".refused")
    shot(page, shots, "6-publish-refused")
    page.goto(check_url)
    page.set_input_files("#summary input[name=workbook]", str(ROOT / "data" / "shenzhen-2020.xlsx"))
    page.click("#summary form button")
    page.wait_for_url(check_url + "#summary")
    page.goto(check_url.replace("/check", "/publish"))
    page.click("main form button")
    page.wait_for_selector("#published")
    shot(page, shots, "7-published")
    with page.expect_download() as dl:
        page.click("#dl-pdf")
    pdf = tmp_path / "web.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes() == built["shenzhen-2020"]["pdf"].read_bytes()


def test_several_units(server, page, shots, tmp_path):
    from docx import Document

    word = tmp_path / "某单位.xlsx"  # a Word document under a workbook's name
    buf = io.BytesIO()
    Document().save(buf)
    word.write_bytes(buf.getvalue())
    files = [shutil.copy(ROOT / "data" / f"{n}.xlsx", tmp_path / f"{n}.xlsx")
             for n in ("shenzhen-2020", "yicheng-2020")]
    page.goto(server + "/batch")
    page.set_input_files("#batch-form input[type=file]", [*map(str, files), str(word)])
    page.click("#batch-form button")
    page.wait_for_url(re.compile(r"/batch/[^/]+$"))
    shot(page, shots, "8-batch-running")

    def states() -> list[str]:
        try:
            return [s.strip() for s in page.locator("#units td.state").all_inner_texts()]
        except sync_api.Error:  # the page refreshed under us
            return []

    seen: list[list[str]] = []

    def finished() -> bool:
        seen.append(states())  # one reading of the table: the page may refresh between two
        return len(seen[-1]) == 3 and set(seen[-1]) <= {"正式", "仅草稿", "有错误", "无法读取"}

    assert until(finished)
    assert seen[-1] == ["正式", "正式", "无法读取"]
    assert "不是 Excel/WPS 工作簿" in page.locator("#units tr.unit").nth(2).inner_text()
    shot(page, shots, "9-batch-done")
    with page.expect_download() as dl:
        page.click("text=下载全部单位的归档")
    import zipfile

    with zipfile.ZipFile(dl.value.path()) as zf:
        names = zf.namelist()
    assert sum(n.endswith(".pdf") for n in names) == 2 and sum(n.endswith("manifest.json") for n in names) == 2
