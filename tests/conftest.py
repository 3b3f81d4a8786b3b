"""Shared fixtures: the two sample documents, built once per test session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen.build import build
from reportgen.kinds import get_kind

get_kind()  # the 决算 kind's profiles are the active ones in every test

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("shenzhen-2020", "yicheng-2020")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """{sample: {"pdf"|"docx"|"html": path}} for both samples."""
    out = tmp_path_factory.mktemp("output")
    result = {}
    for name in SAMPLES:
        r = build(ROOT / "data" / f"{name}.xlsx", out)
        result[name] = {p.suffix[1:]: p for p in r.files}
    return result


@pytest.fixture(scope="session")
def soffice_pdfs(built, tmp_path_factory) -> dict[str, Path]:
    """Each sample's DOCX converted by LibreOffice: an independent check that it opens."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) is needed: run `make test`, which installs it"
    out = tmp_path_factory.mktemp("soffice")
    result = {}
    for name, files in built.items():
        src = out / f"{name}.docx"
        shutil.copy(files["docx"], src)
        proc = subprocess.run(
            [exe, "--headless", f"-env:UserInstallation=file://{out}/profile",
             "--convert-to", "pdf", "--outdir", str(out), str(src)],
            capture_output=True, text=True, timeout=300,
        )
        pdf = out / f"{name}.pdf"
        assert proc.returncode == 0 and pdf.exists(), proc.stderr
        result[name] = pdf
    return result
