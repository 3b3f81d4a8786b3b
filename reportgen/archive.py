"""The archive: manifest.json beside the documents, and `verify`, which rebuilds and compares.

The manifest records what a rebuild needs and what could make it differ: every input and output
with its sha256, the versions of reportgen and of the libraries that write the files, the font
files the PDF embeds, the profile and the build mode. It holds no clock time, so equal builds
give equal manifests.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import __version__, archive_profiles
from .archive_dir import files_under, is_plain
from .errors import InputError, Problem
from .kinds import names as kind_names

MANIFEST = "manifest.json"
LIBRARIES = ("weasyprint", "python-docx", "matplotlib", "jinja2", "openpyxl", "pydyf", "fonttools")
FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "DejaVu Sans")
ROLES = ("workbook", "prior", "catalog", "texts")
FORMATS = ("html", "pdf", "docx")
# A manifest, PDF or input is untrusted: verify reads at most this much of each.
MAX_MANIFEST = 1 << 20
MAX_INPUT = 200 << 20
MAX_PDF = 500 << 20
HEX64 = re.compile(r"^[0-9a-f]{64}$")


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
             formats: tuple[str, ...], strict: bool | None, unit: str, year: int,
             profile_dirs: tuple[Path, ...] = ()) -> dict:
    return {
        **({"profile_dirs": archive_profiles.record(profile_dirs)} if profile_dirs else {}),
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
        "inputs": [{"role": i.role, "name": i.path.name, "path": os.path.abspath(i.path), "sha256": sha256(i.path)}
                   for i in inputs],
        "outputs": output_entries(outputs, root),
    }


def output_entries(outputs: list[Path], root: Path) -> list[dict[str, str]]:
    return [{"path": p.relative_to(root).as_posix(), "sha256": sha256(p)}
            for p in sorted(outputs, key=lambda p: p.relative_to(root).as_posix())]


def write_manifest(data: dict, directory: Path) -> Path:
    path = directory / MANIFEST
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_manifest(folder: Path) -> dict:
    """manifest.json of an archive, checked field by field: it is untrusted input."""
    path = folder / MANIFEST

    def bad(message: str) -> InputError:
        return InputError([Problem(str(path), "", message)])

    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise bad("应为普通文件（不能是链接或目录）")
        if info.st_size > MAX_MANIFEST:
            raise bad(f"有 {info.st_size} 字节，超过上限 {MAX_MANIFEST} 字节，不是 reportgen 写的 manifest")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise bad("不存在：这不是 reportgen 归档目录") from None
    except UnicodeDecodeError:
        raise bad("不是 UTF-8 文本") from None
    except json.JSONDecodeError as exc:
        raise bad(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except RecursionError:
        raise bad("JSON 嵌套过深") from None
    except OSError as exc:
        raise bad(f"无法读取（{exc.strerror}）") from None
    problem = manifest_problem(data)
    if problem:
        raise bad(problem)
    return data


def manifest_problem(data: object) -> str | None:
    """What is wrong with a parsed manifest, in one line; None when it has what verify needs."""
    if not isinstance(data, dict):
        return "应为 JSON 对象"
    strs = {"reportgen": str, "unit": str, "profile": str}
    for key, kind in strs.items():
        if not isinstance(data.get(key), kind):
            return f"缺少「{key}」或不是文本"
    if type(data.get("year")) is not int or not 1900 <= data["year"] <= 9999:
        return f"「year」应为年度（整数），读到 {short(data.get('year'))}"
    if data.get("mode") not in ("final", "draft"):
        return f"「mode」应为 final 或 draft，读到 {short(data.get('mode'))}"
    if "kind" in data and data["kind"] not in kind_names():  # older archives have no kind: 决算
        return f"「kind」应为 {'、'.join(kind_names())} 之一，读到 {short(data['kind'])}"
    if data.get("strict") not in (True, False, None):
        return f"「strict」应为 true、false 或 null，读到 {short(data.get('strict'))}"
    formats = data.get("formats")
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats) \
            or len(set(formats)) != len(formats):
        return f"「formats」应为 html、pdf、docx 中的几项，读到 {short(formats)}"
    libs = data.get("libraries")
    if not isinstance(libs, dict) or not all(isinstance(v, str) for v in libs.values()):
        return "「libraries」应为 库名 → 版本 的对象"
    fonts = data.get("fonts")
    if not isinstance(fonts, list) or not all(isinstance(f, dict) and all(isinstance(f.get(k), str)
                                              for k in ("family", "file", "sha256")) for f in fonts):
        return "「fonts」应为字体列表（family、file、sha256）"
    inputs = data.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        return "「inputs」应为非空列表"
    for n, item in enumerate(inputs):
        where = f"inputs[{n}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str)
                                                 for k in ("role", "name", "path", "sha256")):
            return f"「{where}」应有 role、name、path、sha256 四项文本"
        if item["role"] not in ROLES:
            return f"「{where}.role」应为 {'、'.join(ROLES)} 之一，读到 {short(item['role'])}"
        if not is_plain(item["name"]):
            return f"「{where}.name」应为不含路径的文件名，读到 {short(item['name'])}"
        if "\0" in item["path"]:
            return f"「{where}.path」含有 NUL 字符"
        if not HEX64.match(item["sha256"]):
            return f"「{where}.sha256」应为 64 位十六进制数，读到 {short(item['sha256'])}"
    roles = [i["role"] for i in inputs]
    if "workbook" not in roles or len(set(roles)) != len(roles):
        return "「inputs」应恰有一个 workbook，且每种输入只出现一次"
    if problem := archive_profiles.problem(data.get("profile_dirs")):
        return problem
    outputs = data.get("outputs")
    if not isinstance(outputs, list):
        return "「outputs」应为列表"
    for n, item in enumerate(outputs):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) \
                or not isinstance(item.get("sha256"), str) or not HEX64.match(item["sha256"]):
            return f"「outputs[{n}]」应有 path 与 64 位十六进制 sha256"
        if not is_relative(item["path"]):
            return f"「outputs[{n}].path」应为归档内的相对路径，读到 {short(item['path'])}"
    return None


def is_relative(path: str) -> bool:
    """A path inside the archive: plain components only, at most one folder deep, not the manifest."""
    parts = path.split("/")
    return len(parts) <= 2 and all(is_plain(p) for p in parts) and path != MANIFEST


def short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


# -- verify ---------------------------------------------------------------------------------

@dataclass
class FileResult:
    path: str
    status: str  # identical | different | missing | other (a file reportgen did not write)
    note: str = ""


@dataclass
class Verification:
    results: list[FileResult]
    causes: list[str]
    source: str  # where the inputs came from
    changed: list[str] = field(default_factory=list)  # inputs on disk that differ from the record

    @property
    def ok(self) -> bool:
        return not self.changed and all(r.status in ("identical", "other") for r in self.results)


def archive_file(archive: Path, rel: str) -> Path | None:
    """A regular file of the archive named by a checked relative path; None if absent or a link."""
    path = archive / rel
    try:
        return path if stat.S_ISREG(path.lstat().st_mode) and not path.parent.is_symlink() else None
    except OSError:
        return None


def attachments(pdf: Path) -> dict[str, bytes]:
    """Files embedded in a PDF (the archived workbook and texts); a broken PDF is an input error."""
    from pypdf import PdfReader

    if pdf.stat().st_size > MAX_PDF:
        raise InputError([Problem(str(pdf), "", f"超过 {MAX_PDF >> 20} MB，不读取其中的附件")])
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # its warnings would be extra lines; a broken PDF gets exactly one
    try:
        reader = PdfReader(str(pdf))
        return {name: data[0] for name, data in reader.attachments.items()
                if isinstance(name, str) and data and isinstance(data[0], bytes)}
    except Exception as exc:  # pypdf raises many kinds on a truncated or forged file
        raise InputError([Problem(str(pdf), "", f"PDF 已损坏或不完整，无法取出附件（{type(exc).__name__}）")]) from None
    finally:
        log.setLevel(level)


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


def disk_digest(path: Path) -> str | None:
    """sha256 of a recorded input on this machine: regular files only, size-limited, read-only."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT:
            return None
        return sha256(path)
    except OSError:
        return None


def recover_inputs(recorded: dict, archive: Path, work: Path, *,
                   embedded: bool = False) -> tuple[dict[str, Path], str, list[str], dict[str, str]]:
    """Each recorded input: the file at its recorded path if unchanged, else the PDF's copy.

    Returns (role → file, where they came from, one line per input that exists but changed,
    temporary copy → its name for messages).
    Only names checked by `load_manifest` are used, and copies are written inside `work` only.
    """
    found: dict[str, Path] = {}
    embedded_files: dict[str, bytes] | None = None
    from_pdf, changed = [], []
    copies: dict[str, str] = {}  # temporary copy → how the user knows it
    for item in recorded["inputs"]:
        path = Path(item["path"])
        # A relative path would be read relative to wherever verify runs: never trust it.
        digest = None if embedded or not path.is_absolute() else disk_digest(path)
        if digest == item["sha256"]:
            found[item["role"]] = path
            continue
        if digest is not None:
            changed.append(f"输入 {path} 与归档记录不同（记录 sha256 {item['sha256'][:12]}…，"
                           f"现在 {digest[:12]}…）；已改用 PDF 中附带的副本 {item['name']} 核验")
        if embedded_files is None:
            pdf = next((p for p in (archive_file(archive, o["path"]) for o in recorded["outputs"]
                                    if "/" not in o["path"] and o["path"].endswith(".pdf")) if p), None)
            embedded_files = attachments(pdf) if pdf else {}
        data = embedded_files.get(item["name"])
        if data is None or hashlib.sha256(data).hexdigest() != item["sha256"]:
            state = (f"与归档记录不同（记录 sha256 {item['sha256'][:12]}…，现在 {digest[:12]}…）" if digest
                     else "不在记录的位置")
            raise InputError([Problem(str(archive), "", f"输入 {item['path']} {state}，"
                                      f"归档的 PDF 中也没有与记录相同的附件 {item['name']}，无法核验")])
        assert is_plain(item["name"]) and item["role"] in ROLES
        target = work / "inputs" / item["role"] / item["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        found[item["role"]] = target
        from_pdf.append(item["name"])
        copies[str(target)] = f"{pdf} 中的附件 {item['name']}"
    source = "PDF 附件（" + "、".join(from_pdf) + "）" if from_pdf else "记录的输入文件"
    return found, source, changed, copies


def verify(archive: Path, build: Callable[..., Any], *, embedded: bool = False) -> Verification:
    """Rebuild an archive from its recorded inputs and compare every file byte for byte.

    `build` is reportgen.build.build, passed in so that this module need not import the pipeline
    that imports it. `embedded` rebuilds from the PDF's attachments even when the recorded inputs
    are on disk.
    """
    recorded = load_manifest(archive)
    with tempfile.TemporaryDirectory(prefix="reportgen-verify-") as tmp:
        work = Path(tmp)
        inputs, source, changed, copies = recover_inputs(recorded, archive, work, embedded=embedded)
        profile_dirs, profile_changes = archive_profiles.replay(recorded.get("profile_dirs"))
        changed += profile_changes
        try:
            result = build(inputs["workbook"], work / "out", tuple(recorded["formats"]), profile_dirs=profile_dirs,
                           draft=recorded["mode"] == "draft", strict=recorded["strict"],
                           catalog=inputs.get("catalog"), prior=inputs.get("prior"), texts=inputs.get("texts"),
                           **({"kind": recorded["kind"]} if "kind" in recorded else {}),
                           record_paths={i["role"]: Path(i["path"]) for i in recorded["inputs"]})
        except InputError as exc:  # name the attachment, not its temporary copy
            raise InputError([Problem(copies.get(p.file, p.file), p.where, p.message)
                              for p in exc.problems]) from None
        rebuilt_dir = result.directory
        results = []
        for item in recorded["outputs"]:
            mine = archive_file(archive, item["path"])
            if mine is None:
                results.append(FileResult(item["path"], "missing", "归档中没有此文件（或不是普通文件）"))
                continue
            digest = sha256(mine)
            again = archive_file(rebuilt_dir, item["path"]) if rebuilt_dir else None
            again_digest = sha256(again) if again else None
            if digest != item["sha256"]:
                results.append(FileResult(item["path"], "different", "文件在归档后被改动（与 manifest 记录不符）"))
            elif again_digest != digest:
                results.append(FileResult(item["path"], "different", "重新生成的文件与归档不同"))
            else:
                results.append(FileResult(item["path"], "identical"))
        listed = {i["path"] for i in recorded["outputs"]}
        # A build keeps files it did not write (a note the office put there): not ours to judge.
        results += [FileResult(p, "other", "不是 reportgen 生成的文件（manifest 中没有记录），未核验")
                    for p in files_under(archive) if p not in listed and p != MANIFEST]
        if rebuilt_dir:
            shutil.rmtree(rebuilt_dir, ignore_errors=True)
    causes = [] if all(r.status in ("identical", "other") for r in results) else likely_causes(recorded)
    return Verification(results, causes, source, changed)
