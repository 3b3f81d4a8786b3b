"""The archive: manifest.json beside the documents, and `verify`, which rebuilds and compares.

The manifest records what a rebuild needs and what could make it differ: every input and output
with its sha256, the versions of reportgen and of the libraries that write the files, the font
files the PDF embeds, the profile and the build mode. It holds no clock time, so equal builds
give equal manifests.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import __version__

MANIFEST = "manifest.json"
LIBRARIES = ("weasyprint", "python-docx", "matplotlib", "jinja2", "openpyxl", "pydyf", "fonttools")
FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "DejaVu Sans")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except Exception:  # a library that is not installed simply is not recorded
            continue
    return out


def fonts_used() -> list[dict[str, str]]:
    """The font files fontconfig gives for the families the stylesheet and charts name."""
    out = []
    for family in FONT_FAMILIES:
        try:
            path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                                  timeout=30, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if path and Path(path).exists():
            out.append({"family": family, "file": path, "sha256": sha256(Path(path))})
    return out


@dataclass(frozen=True)
class Input:
    role: str  # workbook | prior | catalog | texts
    path: Path


def manifest(inputs: list[Input], outputs: list[Path], root: Path, *, mode: str, profile: str, kind: str,
             formats: tuple[str, ...], strict: bool | None, unit: str, year: int) -> dict:
    return {
        "reportgen": __version__,
        "libraries": library_versions(),
        "fonts": fonts_used(),
        "unit": unit,
        "year": year,
        "mode": mode,
        "kind": kind,
        "profile": profile,
        "formats": list(formats),
        "strict": strict,
        "inputs": [{"role": i.role, "name": i.path.name, "path": str(i.path), "sha256": sha256(i.path)}
                   for i in inputs],
        "outputs": [{"path": p.relative_to(root).as_posix(), "sha256": sha256(p)}
                    for p in sorted(outputs, key=lambda p: p.relative_to(root).as_posix())],
    }


def write_manifest(data: dict, directory: Path) -> Path:
    path = directory / MANIFEST
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


# -- verify ---------------------------------------------------------------------------------

@dataclass
class FileResult:
    path: str
    status: str  # identical | different | missing
    note: str = ""


@dataclass
class Verification:
    results: list[FileResult]
    causes: list[str]
    source: str  # where the inputs came from

    @property
    def ok(self) -> bool:
        return all(r.status == "identical" for r in self.results)


def attachments(pdf: Path) -> dict[str, bytes]:
    """Files embedded in a PDF (the archived workbook and texts)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return {name: data[0] for name, data in reader.attachments.items()}


def likely_causes(recorded: dict) -> list[str]:
    causes = []
    if recorded.get("reportgen") != __version__:
        causes.append(f"reportgen 版本不同：归档时 {recorded.get('reportgen')}，现在 {__version__}")
    now = library_versions()
    for name, then in sorted(recorded.get("libraries", {}).items()):
        if now.get(name) != then:
            causes.append(f"{name} 版本不同：归档时 {then}，现在 {now.get(name, '未安装')}")
    current = {f["family"]: f for f in fonts_used()}
    for f in recorded.get("fonts", []):
        cur = current.get(f["family"])
        if cur is None:
            causes.append(f"字体 {f['family']} 现在找不到（归档时为 {f['file']}）")
        elif cur["sha256"] != f["sha256"]:
            causes.append(f"字体 {f['family']} 的文件不同：归档时 {f['file']}，现在 {cur['file']}")
    return causes


def recover_inputs(recorded: dict, archive: Path, work: Path) -> tuple[dict[str, Path], str]:
    """Each recorded input: the file at its recorded path if unchanged, else the PDF's copy."""
    found: dict[str, Path] = {}
    embedded: dict[str, bytes] | None = None
    from_pdf = []
    for item in recorded["inputs"]:
        path = Path(item["path"])
        if path.exists() and sha256(path) == item["sha256"]:
            found[item["role"]] = path
            continue
        if embedded is None:
            pdfs = sorted(archive.glob("*.pdf"))
            embedded = attachments(pdfs[0]) if pdfs else {}
        data = embedded.get(item["name"])
        if data is None or hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise FileNotFoundError(f"找不到输入 {item['path']}，PDF 中也没有相同的附件 {item['name']}")
        target = work / "inputs" / item["role"] / item["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        found[item["role"]] = target
        from_pdf.append(item["name"])
    source = "PDF 附件（" + "、".join(from_pdf) + "）" if from_pdf else "记录的输入文件"
    return found, source


def verify(archive: Path, build: Callable[..., Any]) -> Verification:
    """Rebuild an archive from its recorded inputs (with `build`, reportgen.build.build, passed in
    so that this module need not import the pipeline that imports it) and compare byte for byte."""
    recorded = json.loads((archive / MANIFEST).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="reportgen-verify-") as tmp:
        work = Path(tmp)
        inputs, source = recover_inputs(recorded, archive, work)
        result = build(inputs["workbook"], work / "out", tuple(recorded["formats"]),
                       draft=recorded["mode"] == "draft", strict=recorded["strict"],
                       catalog=inputs.get("catalog"), prior=inputs.get("prior"), texts=inputs.get("texts"),
                       **({"kind": recorded["kind"]} if "kind" in recorded else {}),
                       record_paths={role: Path(i["path"]) for role, i in
                                     ((i["role"], i) for i in recorded["inputs"])})
        rebuilt_dir = result.directory
        results = []
        for item in recorded["outputs"]:
            mine = archive / item["path"]
            if not mine.exists():
                results.append(FileResult(item["path"], "missing", "归档中没有此文件"))
                continue
            digest = sha256(mine)
            again = rebuilt_dir / item["path"] if rebuilt_dir else None
            again_digest = sha256(again) if again and again.exists() else None
            if digest != item["sha256"]:
                results.append(FileResult(item["path"], "different", "文件在归档后被改动（与 manifest 记录不符）"))
            elif again_digest != digest:
                results.append(FileResult(item["path"], "different", "重新生成的文件与归档不同"))
            else:
                results.append(FileResult(item["path"], "identical"))
        extra = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*")
                       if p.is_file() and p.name != MANIFEST)
        listed = {i["path"] for i in recorded["outputs"]}
        results += [FileResult(p, "different", "manifest 中没有记录此文件") for p in extra if p not in listed]
        if rebuilt_dir:
            shutil.rmtree(rebuilt_dir, ignore_errors=True)
    causes = [] if all(r.status == "identical" for r in results) else likely_causes(recorded)
    return Verification(results, causes, source)

