"""Where an archive lives, and how a build replaces it without losing a file.

Layout: OUTPUT/<unit>/<year>/ holds the final documents, OUTPUT/<unit>/<year>-草稿/ the drafts,
so a draft never replaces a published archive. Every name is a plain file name built from the
(untrusted) workbook: separators, control characters, leading/trailing dots and spaces are
replaced, and any name that had to change or is too long gets a stable hash of the original,
so `a/b` and `a_b`, or `..`, `.` and `unit`, land in different directories.

A build holds an flock on the unit directory while it writes `.<name>.building-*` and swaps it in
(`<name>` → `.<name>.old-PID`, building → `<name>`). Leftovers exist only when a build was killed:
whoever next takes the lock restores the old archive if the new one never landed and removes the
rest. A directory whose lock someone holds belongs to a live build and is never touched.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError, Problem

NAME_BYTES = 150  # unit directory; document stems get more room, but 255 bytes is the limit of both
STEM_BYTES = 200
DRAFT = "草稿"
FORBIDDEN = set('/\\:*?"<>|')
LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>old-\d+|building-.+)$")

# What the operating system says when the output root cannot take the archive.
WRITE_ERRORS = {
    errno.EROFS: "文件系统只读",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件过大",
    errno.ENOTDIR: "路径中有同名文件，不是目录",
    errno.EEXIST: "路径中有同名文件，不是目录",
    errno.ENAMETOOLONG: "路径过长",
    errno.EIO: "读写出错",
}


def is_plain(name: str) -> bool:
    """A single path component that cannot climb, hide, or be mistaken for a path."""
    return (bool(name) and name not in (".", "..") and not (FORBIDDEN & set(name))
            and all(ord(c) >= 32 for c in name) and len(name.encode("utf-8")) <= 255)


def plain_name(text: str, limit: int = NAME_BYTES, fallback: str = "unit") -> str:
    """`text` as one file name of at most `limit` UTF-8 bytes, distinct for distinct texts."""
    cleaned = "".join("_" if ch in FORBIDDEN or ord(ch) < 32 else ch for ch in text).strip(" .")
    if cleaned == text and is_plain(cleaned) and len(cleaned.encode("utf-8")) <= limit:
        return cleaned
    tag = "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    head = (cleaned or fallback).encode("utf-8")[: limit - len(tag)].decode("utf-8", "ignore").rstrip(" .")
    return (head or fallback) + tag


def archive_path(root: Path, unit: str, year: int, *, draft: bool) -> Path:
    """OUTPUT/<unit>/<year>[-草稿]: two plain components, so never outside `root`."""
    unit_dir = plain_name(unit)
    name = plain_name(f"{year}-{DRAFT}" if draft else str(year), 64, "year")
    assert is_plain(unit_dir) and is_plain(name)
    return root / unit_dir / name


def write_problem(exc: OSError, root: Path) -> InputError | None:
    """One Chinese line for an output root that cannot be written; None for anything else."""
    reason = WRITE_ERRORS.get(exc.errno or 0)
    if reason is None:
        return None
    where = str(exc.filename or "")
    detail = f"：{where}" if where and ".building-" not in where else ""  # a temporary name helps nobody
    return InputError([Problem(str(root), "", f"无法写入输出目录（{reason}{detail}）；原有归档未改动")])


@contextmanager
def locked(unit_dir: Path) -> Iterator[None]:
    """Hold the unit directory's lock (one build per unit at a time); refuse when busy."""
    for _ in range(5):
        unit_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(unit_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError([Problem(str(unit_dir), "", "另一个 reportgen 正在生成此单位的归档；"
                                      "等它结束后重试")]) from None
        try:
            if os.stat(unit_dir).st_ino != os.fstat(fd).st_ino:
                continue  # removed and recreated while we waited: lock the directory that is there
            yield
            return
        finally:
            os.close(fd)  # closing releases the lock
    raise InputError([Problem(str(unit_dir), "", "目录在生成过程中被反复删除；稍后重试")])


def recover(unit_dir: Path) -> list[str]:
    """Undo what killed builds left in `unit_dir` (the caller holds its lock). Returns what was done."""
    done = []
    leftovers: dict[str, list[tuple[str, Path]]] = {}
    for entry in sorted(unit_dir.iterdir()) if unit_dir.is_dir() else []:
        m = LEFTOVER.match(entry.name)
        if m and entry.is_dir() and not entry.is_symlink():
            leftovers.setdefault(m["name"], []).append((m["kind"], entry))
    for name, items in leftovers.items():
        olds = sorted((p for kind, p in items if kind.startswith("old-")), key=lambda p: p.stat().st_mtime)
        if olds and not (unit_dir / name).exists():
            olds.pop().rename(unit_dir / name)  # the new archive never landed: the old one is it
            done.append(f"已恢复被中断的生成之前的归档 {unit_dir / name}")
        for p in olds + [p for kind, p in items if kind.startswith("building-")]:
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"已删除被中断的生成留下的 {p}")
    return done


def recover_root(root: Path) -> list[str]:
    """Recover every unit under `root` whose lock is free; busy or unreadable ones are skipped."""
    done: list[str] = []
    try:
        units = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return done
    for unit_dir in units:
        try:
            if not any(LEFTOVER.match(p.name) for p in unit_dir.iterdir()):
                continue
            with locked(unit_dir):
                done += recover(unit_dir)
        except (OSError, InputError):
            continue
    return done


def files_under(folder: Path) -> list[str]:
    """Every file and symlink below `folder`, relative, without following links."""
    out = []
    for top, dirs, files in os.walk(folder):
        rel = Path(top).relative_to(folder)
        out += [(rel / f).as_posix() for f in files]
        out += [(rel / d).as_posix() for d in dirs if (Path(top) / d).is_symlink()]
    return sorted(out)


def carry_over(old: Path, new: Path, paths: list[str]) -> list[Path]:
    """Copy `paths` (relative) from the old archive into the new one, links as links."""
    out = []
    for rel in paths:
        src, dst = old / rel, new / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)
        out.append(dst)
    return out


def swap_in(tmp: Path, final: Path) -> None:
    """Replace `final` by `tmp`; a kill between the two renames is undone by `recover`."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    try:
        tmp.rename(final)
    except OSError:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
