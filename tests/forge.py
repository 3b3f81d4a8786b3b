"""Forged and broken archives for verify: each case turns a good archive into a hostile one."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfWriter

from conftest import ROOT

MANIFEST = "manifest.json"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_with(attachments: dict[str, bytes]) -> bytes:
    """A one-page PDF carrying `attachments` under the given (possibly hostile) names."""
    w = PdfWriter()
    w.add_blank_page(100, 100)
    for name, data in attachments.items():
        w.add_attachment(name, data)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def workbook_named(unit: str) -> bytes:
    """The 峄城 sample with another 单位名称."""
    wb = load_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    ws = wb["单位信息"]
    row = next(r for r in ws.iter_rows() if r[0].value == "单位名称")
    row[1].value = unit
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def load(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def save(folder: Path, data: object) -> None:
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def attach(folder: Path, name: str, data: bytes, outside: Path) -> None:
    """Point the workbook input at a gone file, and carry `data` as attachment `name` in a listed PDF."""
    m = load(folder)
    m["inputs"] = [{"role": "workbook", "name": name, "path": str(outside / "gone.xlsx"), "sha256": sha(data)}]
    pdf = pdf_with({name: data})
    (folder / "forged.pdf").write_bytes(pdf)
    m["outputs"].append({"path": "forged.pdf", "sha256": sha(pdf)})
    save(folder, m)  # formats stay ["html"]: the rebuild is cheap, and forged.pdf is not among its files


def edit(change: Callable[[dict], object]) -> Callable[[Path, Path], None]:
    def forge(folder: Path, outside: Path) -> None:
        m = load(folder)
        change(m)
        save(folder, m)
    return forge


def raw(text: str | bytes) -> Callable[[Path, Path], None]:
    def forge(folder: Path, outside: Path) -> None:
        path = folder / MANIFEST
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return forge


def symlinked_manifest(folder: Path, outside: Path) -> None:
    real = outside / "elsewhere.json"
    shutil.move(folder / MANIFEST, real)
    os.symlink(real, folder / MANIFEST)


def symlinked_output(folder: Path, outside: Path) -> None:
    secret = outside / "secret.txt"
    secret.write_text("not part of the archive")
    m = load(folder)
    os.symlink(secret, folder / "secret.txt")
    m["outputs"].append({"path": "secret.txt", "sha256": sha(secret.read_bytes())})
    save(folder, m)


def broken_pdf(data: bytes) -> Callable[[Path, Path], None]:
    def forge(folder: Path, outside: Path) -> None:
        attach(folder, "yicheng-2020.xlsx", (ROOT / "data" / "yicheng-2020.xlsx").read_bytes(), outside)
        m = load(folder)
        pdf = folder / "forged.pdf"
        pdf.write_bytes(data or pdf.read_bytes()[: pdf.stat().st_size // 2])  # empty → truncated
        m["outputs"][-1]["sha256"] = sha(pdf.read_bytes())
        save(folder, m)
    return forge


def hostile_attachment(name: str, data: Callable[[], bytes] | None = None) -> Callable[[Path, Path], None]:
    def forge(folder: Path, outside: Path) -> None:
        attach(folder, name.replace("{outside}", str(outside)), data() if data else b"PK\x03\x04 no", outside)
    return forge


def drop(key: str) -> Callable[[dict], None]:
    return lambda m: m.pop(key)


def setitem(*path_and_value: object) -> Callable[[dict], None]:
    *path, value = path_and_value

    def change(m: dict) -> None:
        target = m
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


# Each: id → how to forge. Verify of every one must exit 1 or 2 with one clear line, write nothing.
CASES: dict[str, Callable[[Path, Path], None]] = {
    "not-json": raw("{this is not json"),
    "empty-file": raw(b""),
    "not-utf8": raw(b"\xff\xfe\x00garbage"),
    "json-array": raw("[1, 2, 3]"),
    "deeply-nested": raw("[" * 100_000 + "]" * 100_000),
    "huge": raw('{"pad": "' + "x" * (2 << 20) + '"}'),
    "missing-inputs": edit(drop("inputs")),
    "missing-outputs": edit(drop("outputs")),
    "inputs-a-string": edit(setitem("inputs", "yicheng-2020.xlsx")),
    "year-a-string": edit(setitem("year", "2020")),
    "unknown-format": edit(setitem("formats", ["exe"])),
    "unknown-role": edit(setitem("inputs", 0, "role", "payload")),
    "sha-not-hex": edit(setitem("inputs", 0, "sha256", "zz")),
    "output-climbs": edit(lambda m: m["outputs"].append({"path": "../outside.txt", "sha256": "0" * 64})),
    "output-absolute": edit(lambda m: m["outputs"].append({"path": "/etc/passwd", "sha256": "0" * 64})),
    "input-dev-zero": edit(setitem("inputs", 0, "path", "/dev/zero")),
    "input-relative": edit(setitem("inputs", 0, "path", "../../yicheng-2020.xlsx")),
    "attachment-climbs": hostile_attachment("../../../../evil.xlsx"),
    "attachment-absolute": hostile_attachment("{outside}/evil.xlsx"),
    "attachment-not-a-workbook": hostile_attachment("yicheng-2020.xlsx"),
    "manifest-symlink": symlinked_manifest,
    "output-symlink-outside": symlinked_output,
    "pdf-truncated": broken_pdf(b""),
    "pdf-garbage": broken_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100),
    "unit-climbs": hostile_attachment("yicheng-2020.xlsx", lambda: workbook_named("../../../escape")),
    "unit-too-long": hostile_attachment("yicheng-2020.xlsx", lambda: workbook_named("局" * 120)),
}
