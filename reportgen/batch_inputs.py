"""A batch's inputs: workbooks, folders of workbooks, and .zip archives of them.

A .zip is read through the same safe opening as a workbook (regular file, size and member
limits) and only its workbooks are extracted, each under a name that stays inside the
extraction folder; anything that would leave it is refused in one line.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import limits
from .errors import InputError, Problem
from .workbook_files import open_zip, read_input

WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")
# A bureau's archive of hundreds of workbooks (each well under 1 MB) fits easily.
ZIP_BYTES = limits.Limit(500 * 1024 * 1024, "批量 ZIP 文件最大 500 MB")


def _is_workbook(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    # Office's lock files (~$…) and macOS resource forks are not workbooks.
    return name.lower().endswith(WORKBOOK_SUFFIXES) and not base.startswith(("~$", "._"))


def extract_zip(path: Path, target: Path) -> list[Path]:
    """The workbooks of a .zip, written below `target`; a member whose name would leave it is refused."""
    data = read_input(path, ZIP_BYTES, "ZIP 文件")
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise InputError([Problem(str(path), "", "不是 ZIP 压缩包：批量输入的 .zip 应为工作簿的压缩包")])
    try:
        zf = open_zip(path, data, "ZIP 文件")
    except InputError as exc:
        if any("已损坏" in p.message for p in exc.problems):  # open_zip's advice is for workbooks
            damaged = "ZIP 压缩包已损坏或不完整（可能下载、复制未完成），无法解压"
            raise InputError([Problem(str(path), "", damaged)]) from None
        raise
    out: list[Path] = []
    for member in zf.infolist():
        if member.is_dir() or not _is_workbook(member.filename) or member.filename.startswith("__MACOSX/"):
            continue
        name = PurePosixPath(member.filename.replace("\\", "/"))
        if name.is_absolute() or any(part in ("..", "") for part in name.parts) or ":" in member.filename:
            raise InputError([Problem(str(path), member.filename,
                                      "ZIP 中的文件名指向解压目录之外（含 .. 或绝对路径），拒绝解压")])
        dest = target.joinpath(*name.parts)
        if target.resolve() not in dest.resolve().parents:
            raise InputError([Problem(str(path), member.filename, "ZIP 中的文件名指向解压目录之外，拒绝解压")])
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(zf.read(member))
        out.append(dest)
    return sorted(out)


def collect(inputs: list[Path], work: Path) -> list[Path]:
    """Every workbook named, found below a named folder, or inside a named .zip (extracted into `work`)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for n, item in enumerate(inputs):
        if item.is_dir():
            found += sorted(p for p in item.rglob("*") if p.is_file() and _is_workbook(p.name))
        elif item.suffix.lower() == ".zip":
            try:
                found += extract_zip(item, work / f"zip{n}")
            except InputError as exc:
                problems += exc.problems
        elif item.exists():
            found.append(item)
        else:
            problems.append(Problem(str(item), "", "文件或目录不存在"))
    if problems:
        raise InputError(problems)
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise InputError([Problem(" ".join(map(str, inputs)), "", "没有找到工作簿（.xlsx、.xls、.ods）")])
    return unique
