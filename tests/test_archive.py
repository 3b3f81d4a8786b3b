"""Drafts, final-mode refusal, byte-for-byte reproducibility, PDF/A archives and verify."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import ROOT, SAMPLES
from reportgen.build import build


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "LC_ALL", "LANG")}
    base["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=cwd, env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=600)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", SAMPLES)
def test_the_same_inputs_give_the_same_bytes_anywhere_anytime(tmp_path, name):
    src = tmp_path / f"{name}.xlsx"
    shutil.copy(ROOT / "data" / f"{name}.xlsx", src)
    results = []
    for i, env in enumerate(({"TZ": "UTC", "LANG": "C.UTF-8"},
                             {"TZ": "Asia/Shanghai", "LC_ALL": "C", "SOURCE_DATE_EPOCH": "1700000000"})):
        cwd = tmp_path / f"cwd{i}"
        cwd.mkdir()
        proc = run("build", str(src), "--output", "out", cwd=cwd, env=env)
        assert proc.returncode == 0, proc.stderr
        folders = list((cwd / "out").glob("*/*"))
        assert len(folders) == 1
        results.append(digests(folders[0]))
    assert results[0] == results[1]
    kinds = {Path(p).suffix for p in results[0]}
    assert {".pdf", ".docx", ".html", ".json"} <= kinds
    if name == "yicheng-2020":
        assert {".svg", ".png"} <= kinds


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    """A fresh archive of 峄城 built from a copy of its workbook: (archive folder, workbook)."""
    tmp = tmp_path_factory.mktemp("archive")
    src = tmp / "yicheng-2020.xlsx"
    shutil.copy(ROOT / "data" / "yicheng-2020.xlsx", src)
    result = build(src, tmp / "out")
    assert result.directory is not None
    return result.directory, src


def the_pdf(folder: Path) -> Path:
    return next(folder.glob("*.pdf"))


def test_pdf_carries_the_source_workbook(archive):
    folder, src = archive
    files = PdfReader(str(the_pdf(folder))).attachments
    assert list(files) == ["yicheng-2020.xlsx"]
    assert files["yicheng-2020.xlsx"][0] == src.read_bytes()
    # The attachment is related to the document as its Source (PDF/A-3 AFRelationship).
    reader = PdfReader(str(the_pdf(folder)))
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    assert spec["/AFRelationship"] == "/Source"


def test_pdf_a_markers(archive):
    folder, _ = archive
    reader = PdfReader(str(the_pdf(folder)))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    intents = root["/OutputIntents"]
    assert intents and intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "<xmp:CreateDate>2021-01-01T00:00:00Z</xmp:CreateDate>" in xmp  # from the data, not the clock
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                descriptor = desc.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts += 1
    assert fonts > 0


def test_manifest_records_inputs_outputs_versions_and_fonts(archive):
    import json

    folder, src = archive
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["mode"] == "final" and m["profile"] == "峄城"
    assert m["inputs"] == [{"role": "workbook", "name": src.name, "path": str(src),
                            "sha256": hashlib.sha256(src.read_bytes()).hexdigest()}]
    outputs = {o["path"]: o["sha256"] for o in m["outputs"]}
    assert outputs == {k: v for k, v in digests(folder).items() if k != "manifest.json"}
    assert {"weasyprint", "python-docx", "matplotlib"} <= set(m["libraries"])
    assert any(f["family"] == "Noto Serif CJK SC" and len(f["sha256"]) == 64 for f in m["fonts"])


def test_verify_passes_then_names_a_changed_file(archive, tmp_path):
    folder, _ = archive
    copy = tmp_path / "2020"
    shutil.copytree(folder, copy)
    ok = run("verify", str(copy), cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "逐字节相同" in ok.stdout
    html = next(copy.glob("*.html"))
    data = bytearray(html.read_bytes())
    data[100] ^= 1
    html.write_bytes(bytes(data))
    bad = run("verify", str(copy), cwd=tmp_path)
    assert bad.returncode == 1
    assert f"[不同] {html.name}" in bad.stdout and "被改动" in bad.stdout


def test_verify_rebuilds_from_the_pdf_when_the_inputs_are_gone(archive, tmp_path):
    folder, src = archive
    copy = tmp_path / "2020"
    shutil.copytree(folder, copy)
    moved = src.with_suffix(".away")
    src.rename(moved)
    try:
        proc = run("verify", str(copy), cwd=tmp_path)
    finally:
        moved.rename(src)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PDF 附件（yicheng-2020.xlsx）" in proc.stdout


def test_a_pdf_only_build_keeps_the_docx_and_html_of_the_archive(archive, tmp_path):
    import json

    folder, src = archive
    copy = tmp_path / "out" / folder.parent.name / folder.name
    shutil.copytree(folder, copy)
    before = digests(copy)
    result = build(src, tmp_path / "out", ("pdf",))
    assert result.directory == copy
    assert {p.suffix for p in result.kept} == {".docx", ".html"}
    assert digests(copy) == before  # same inputs: the new PDF is the old one, the others were kept
    m = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert m["formats"] == ["html", "pdf", "docx"]
    assert {o["path"]: o["sha256"] for o in m["outputs"]} == {k: v for k, v in before.items() if k != "manifest.json"}


def fill(path: Path, values: dict[tuple[str, str, int], float]) -> None:
    """Set amounts by (sheet, row label, column) in an init workbook."""
    wb = load_workbook(path)
    for (sheet, label, col), value in values.items():
        ws = wb[sheet]
        row = next(r for r in ws.iter_rows() if label in (r[0].value, r[3].value if len(r) > 3 else None))
        row[col - 1].value = value
    wb.save(path)


def test_draft_from_an_init_workbook_with_two_tables(tmp_path):
    book = tmp_path / "draft.xlsx"
    assert run("init", "--year", "2021", "--unit", "某某局", str(book), cwd=tmp_path).returncode == 0
    fill(book, {("公开01表", "一、一般公共预算财政拨款收入", 3): 100.5, ("公开01表", "本年收入合计", 3): 100.5,
                ("公开01表", "九、卫生健康支出", 6): 90.5, ("公开01表", "本年支出合计", 6): 90.5})
    wb = load_workbook(book)
    for c, v in enumerate([3, 0, 2, 0, 2, 1, 2.5, 0, 1.8, 0, 1.8, 0.7], 1):
        wb["公开07表"].cell(8, c).value = v
    wb.save(book)

    final = run("build", str(book), "--output", "out", cwd=tmp_path)
    assert final.returncode == 1 and "未生成正式文档" in final.stderr
    # Reasons grouped by sheet; 公开03 is not filled yet, so it is missing, not "wrong" (X01-03).
    assert re.search(r"^公开01表（2 处）\n  校验错误 T01-2 ", final.stderr, re.M)
    assert re.search(r"^公开03表（1 处）\n  待补充 公开03表：", final.stderr, re.M)
    assert re.search(r"^  待补充 职责：", final.stderr, re.M) and "X01-03" not in final.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))

    draft = run("build", str(book), "--output", "out", "--draft", cwd=tmp_path)
    assert draft.returncode == 0, draft.stderr
    folder = tmp_path / "out" / "某某局" / "2021-草稿"  # drafts never share the final archive's folder
    # init without --profile writes the default profile (峄城): 称谓 单位
    assert [p.name for p in folder.glob("*.pdf")] == ["某某局2021年度单位决算（草稿）.pdf"]
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    assert 'class="watermark"' in html and "附：审核意见" in html
    assert "公开01表!F" in html and "「文字」表 键「职责」" in html  # findings and missing inputs, by place
    with pdfplumber.open(next(folder.glob("*.pdf"))) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
        marks = [{c["text"] for c in p.chars if c["size"] > 60} for p in pdf.pages]
    assert all({"草", "稿"} <= m for m in marks), [i for i, m in enumerate(marks, 1) if not {"草", "稿"} <= m]
    assert any("附：审核意见" in t for t in texts[-4:]) and "在哪里填写" in texts[-1]
    from docx import Document

    doc = Document(str(next(folder.glob("*.docx"))))
    headers = [s.header._element.xml for s in doc.sections if not s.header.is_linked_to_previous]
    assert any('string="草稿"' in h and "rotation:315" in h for h in headers)  # Word's diagonal watermark


def test_draft_budget_only_preview(tmp_path):
    book = tmp_path / "preview.xlsx"
    assert run("init", "--year", "2022", "--unit", "某某局", "--profile", "深圳", str(book),
               cwd=tmp_path).returncode == 0
    wb = load_workbook(book)
    ws = wb["预算数"]
    for row in ws.iter_rows(min_row=2):
        row[2].value = 12.5  # 年初预算数 only; every 决算 column stays empty
    wb.save(book)
    proc = run("build", str(book), "--output", "out", "--draft", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = next((tmp_path / "out" / "某某局" / "2022-草稿").glob("*.html")).read_text(encoding="utf-8")
    assert "部门决算" in html and "【待补充：" in html


def test_a_writer_failure_leaves_the_earlier_archive(tmp_path, monkeypatch):
    src = ROOT / "data" / "yicheng-2020.xlsx"
    first = build(src, tmp_path / "out", ("html", "docx"))
    before = digests(first.directory)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("reportgen.render.docx.write_docx", broken)  # build imports it when a DOCX is asked for
    with pytest.raises(OSError):
        build(src, tmp_path / "out", ("html", "docx"))
    assert digests(first.directory) == before
    assert sorted(p.name for p in first.directory.parent.iterdir()) == ["2020"]  # no temporary left
