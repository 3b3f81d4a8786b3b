"""A unit's own profile folders in the archive: recorded at build, replayed by verify.

A build with --profile-dir (or a profile/ folder beside the workbook) records each folder and the
sha256 of each of its profile files (*.toml, *.j2) in the manifest; verify rebuilds with the
same folders and names any file changed, missing or added since, with both hashes. The manifest
is untrusted: a recorded folder must be absolute, a recorded file a plain relative path inside
it, and nothing is read through a symbolic link.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath

SUFFIXES = (".toml", ".j2")
MAX_FILES = 500  # a profile folder holds a few TOML files and templates; more is not one
MAX_DEPTH = 3  # <profile>/sections/<key>.html.j2 is two down
MAX_ENTRIES = 5000  # files looked at, at most
MAX_FILE = 1 << 20  # bytes of one profile file hashed


def profile_files(folder: Path) -> dict[str, str]:
    """Relative posix path → sha256 of every profile file under `folder` (TOML at its top,
    templates up to three folders down), links left out. The walk is bounded: at verify time
    the folder comes from an untrusted manifest and could name the file system's root."""
    out: dict[str, str] = {}
    seen = 0
    for top, dirs, files in os.walk(folder, followlinks=False):
        depth = len(Path(top).relative_to(folder).parts)
        dirs[:] = sorted(dirs) if depth < MAX_DEPTH else []
        for name in sorted(files):
            seen += 1
            if seen > MAX_ENTRIES or len(out) >= MAX_FILES:
                return dict(sorted(out.items()))
            path = Path(top) / name
            if name.endswith(SUFFIXES) and not path.is_symlink() and (digest := _digest(path)):
                out[path.relative_to(folder).as_posix()] = digest
    return dict(sorted(out.items()))


def _digest(path: Path) -> str | None:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def record(dirs: tuple[Path, ...]) -> list[dict]:
    """The manifest's "profile_dirs": each folder with its files' hashes."""
    return [{"dir": os.path.abspath(d), "files": profile_files(d)} for d in dirs]


def problem(data: object) -> str | None:
    """What is wrong with a manifest's "profile_dirs", in one line (None: fine or absent)."""
    if data is None:
        return None
    if not isinstance(data, list) or len(data) > 10:
        return "「profile_dirs」应为至多 10 个样式文件夹的列表"
    for n, item in enumerate(data):
        where = f"profile_dirs[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("dir"), str) \
                or not isinstance(item.get("files"), dict):
            return f"「{where}」应有 dir（文本）与 files（对象）"
        if "\0" in item["dir"] or not os.path.isabs(item["dir"]):
            return f"「{where}.dir」应为绝对路径"
        if len(item["files"]) > MAX_FILES:
            return f"「{where}.files」超过 {MAX_FILES} 个文件"
        for rel, digest in item["files"].items():
            parts = PurePosixPath(rel).parts
            if not parts or rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\0" in rel \
                    or "\\" in rel or not rel.endswith((".toml", ".j2")):
                return f"「{where}.files」中的文件名应为文件夹内的相对路径（.toml、.j2），读到 {rel[:80]!r}"
            if not isinstance(digest, str) or len(digest) != 64 \
                    or any(c not in "0123456789abcdef" for c in digest):
                return f"「{where}.files[{rel[:40]}]」应为 64 位十六进制 sha256"
    return None


def replay(recorded: list[dict] | None) -> tuple[tuple[Path, ...], list[str]]:
    """The folders to rebuild with, and one line per profile file changed, missing or added since."""
    dirs, changed = [], []
    for item in recorded or ():
        folder = Path(item["dir"])
        if folder.is_symlink() or not folder.is_dir():
            changed.append(f"样式文件夹 {folder} 不在记录的位置；已不用它重新生成")
            continue
        dirs.append(folder)
        now = profile_files(folder)
        for rel, then in item["files"].items():
            digest = now.get(rel)
            if digest is None:
                changed.append(f"样式文件 {folder / rel} 不在记录的位置（记录 sha256 {then[:12]}…）")
            elif digest != then:
                changed.append(f"样式文件 {folder / rel} 与归档记录不同（记录 sha256 {then[:12]}…，"
                               f"现在 {digest[:12]}…）")
        for rel in sorted(set(now) - set(item["files"])):
            changed.append(f"样式文件 {folder / rel} 是归档后新增的（sha256 {now[rel][:12]}…）")
    return tuple(dirs), changed
