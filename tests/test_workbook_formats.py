"""The .xls (the 决算 software's usual export) and .ods forms of a workbook read the same as its .xlsx.

LibreOffice saves each sample as .xls and .ods once per session (scripts/sysdeps.sh installs
Calc), so the comparison always follows the current samples rather than stale committed copies.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("shenzhen-2020", "yicheng-2020")


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(sample, "xls"|"ods"): path} made by LibreOffice from the .xlsx samples."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) is needed: run `make test`, which installs it"
    out = tmp_path_factory.mktemp("formats")
    sources = [str(ROOT / "data" / f"{name}.xlsx") for name in SAMPLES]
    result = {}
    for fmt in ("xls", "ods"):
        proc = subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{out}/profile",
                               "--convert-to", fmt, "--outdir", str(out), *sources],
                              capture_output=True, text=True, timeout=300)
        for name in SAMPLES:
            path = out / f"{name}.{fmt}"
            assert path.exists(), f"LibreOffice did not write {path} (Calc missing?): {proc.stderr}"
            result[name, fmt] = path
    return result


def model(path: Path) -> dict:
    """The whole model; only the source file name may differ between formats."""
    data = asdict(read_workbook(path))
    assert data.pop("source") == str(path)
    return data


@pytest.mark.parametrize("fmt", ["xls", "ods"])
@pytest.mark.parametrize("name", SAMPLES)
def test_other_formats_build_the_same_model(converted, name, fmt):
    path = converted[name, fmt]
    assert path.read_bytes()[:4] != b"PK\x03\x04" or fmt == "ods"  # really the other format
    assert model(path) == model(ROOT / "data" / f"{name}.xlsx")


def test_type_comes_from_content_not_suffix(converted, tmp_path):
    """An .xls export saved under an .xlsx name (common when renaming by hand) still reads."""
    misnamed = tmp_path / "export.xlsx"
    shutil.copy(converted["yicheng-2020", "xls"], misnamed)
    assert model(misnamed) == model(ROOT / "data" / "yicheng-2020.xlsx")


def run_cli(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(list(args))
    err = capsys.readouterr().err
    return code, err.splitlines()


@pytest.mark.parametrize(("content", "found"), [
    ("项目,决算数\n一般公共服务支出,1.00\n".encode(), "CSV 或制表符分隔的文本"),
    (None, "Word 文档 (.docx)"),
])
def test_foreign_file_named_xlsx_is_one_chinese_line(capsys, tmp_path, content, found):
    path = tmp_path / "单位.xlsx"
    if content is None:
        from docx import Document
        Document().save(path)
    else:
        path.write_bytes(content)
    code, lines = run_cli(capsys, "validate", str(path))
    assert code == 2
    assert lines == [f"错误 {path}：不是 Excel/WPS 工作簿，而是 {found}。"
                     "请在 Excel/WPS 中打开，另存为 Excel 工作簿 (.xlsx) 后再试"]
