"""Reading uploaded .zip files with limits: no path from an entry name reaches the file system
as given, no entry outside the target, no unbounded inflation."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path, PurePosixPath

from .. import limits
from ..archive import MANIFEST
from .jobs import safe_filename

MAX_ENTRIES = 2_000


class UnzipError(Exception):
    """Why an uploaded .zip is refused, in Chinese."""


def _open(data: bytes) -> list[tuple[zipfile.ZipFile, zipfile.ZipInfo]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnzipError("上传的文件不是有效的 .zip 压缩包") from None
    if len(infos) > MAX_ENTRIES:
        raise UnzipError(f"压缩包中的文件超过 {MAX_ENTRIES} 个")
    if sum(i.file_size for i in infos) > limits.INFLATED_BYTES.value:
        raise UnzipError(f"压缩包解压后超过限制（{limits.INFLATED_BYTES}）")
    return [(zf, i) for i in infos if not i.is_dir()]


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as fh:  # the declared size may lie: read at most one byte past it
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size or info.file_size > limits.FILE_BYTES.value:
        name = safe_filename(info.filename, (".bin",), "file")
        raise UnzipError(f"压缩包中的 {name} 超过限制（{limits.FILE_BYTES}）")
    return data


def workbooks_in_zip(data: bytes) -> list[tuple[str, bytes]]:
    """The workbooks (.xlsx/.xls/.ods by name) inside an uploaded .zip, as (name, bytes)."""
    found = [(i.filename, _read(zf, i)) for zf, i in _open(data)
             if i.filename.lower().endswith((".xlsx", ".xls", ".ods")) and "__MACOSX" not in i.filename]
    if not found:
        raise UnzipError("压缩包中没有 .xlsx、.xls 或 .ods 工作簿")
    return found


def extract_archive(data: bytes, target: Path) -> Path:
    """An archive .zip (<unit>/<year>/… with manifest.json) extracted under `target`; returns the
    folder holding manifest.json. Entry names are checked part by part, never joined blindly."""
    entries = _open(data)
    manifests = [i for _, i in entries if PurePosixPath(i.filename).name == MANIFEST]
    if len(manifests) != 1:
        raise UnzipError(f"压缩包应是一个 reportgen 归档（output/<单位>/<年度>/ 文件夹），其中恰有一个 {MANIFEST}")
    root = PurePosixPath(manifests[0].filename).parent
    target.mkdir(parents=True)
    folder = target / "archive"
    folder.mkdir()
    for zf, info in entries:
        name = PurePosixPath(info.filename)
        try:
            rel = name.relative_to(root)
        except ValueError:
            continue
        if name.is_absolute() or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in rel.parts) \
                or len(rel.parts) > 3 or (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise UnzipError(f"压缩包中的路径不安全：{safe_filename(info.filename, ('.bin',), 'file')}")
        path = folder.joinpath(*rel.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_read(zf, info))
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        for item in recorded["inputs"]:
            # Recorded paths are from someone else's machine: never read them here, only the
            # PDF's attachments (verify falls back to those when a path is absent).
            item["path"] = str(target / "absent" / safe_filename(item["name"], (".xlsx", ".xls", ".ods", ".md",
                                                                             ".csv"), "input"))
    except (OSError, ValueError, KeyError, TypeError):
        raise UnzipError(f"{MANIFEST} 无法读取：不是 reportgen 写的归档记录") from None
    (folder / MANIFEST).write_text(json.dumps(recorded, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                   encoding="utf-8")
    return folder
