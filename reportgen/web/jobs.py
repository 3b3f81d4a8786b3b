"""Job directories: one per upload, a random unguessable id, bound to the session that made it.

A user's file name never reaches the file system as a path: an upload is stored under its
sha256, and the copy a build reads gets a sanitised name (the PDF attaches the workbook under
that name, so a build from the page gives the same bytes as `reportgen build` of a file with
the same name).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SUFFIXES = {"workbook": (".xlsx", ".xls", ".ods"), "prior": (".xlsx", ".xls", ".ods"), "texts": (".md",)}


def safe_filename(name: str, suffixes: tuple[str, ...], default: str) -> str:
    """The last component of a browser-sent name, with separators, control characters and
    leading dots removed, at most 80 characters; the suffix is one the role accepts."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join("_" if ch in ':*?"<>|' or unicodedata.category(ch).startswith("C") else ch for ch in base)
    base = base.strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in suffixes:
        stem, suffix = base or default, suffixes[0][1:]
    stem = stem.strip(" .")[:80] or default
    return f"{stem}.{suffix.lower()}"


@dataclass
class Job:
    id: str
    dir: Path

    @property
    def meta_path(self) -> Path:
        return self.dir / "meta.json"

    def meta(self) -> dict:
        return json.loads(self.meta_path.read_text(encoding="utf-8"))

    def save_meta(self, meta: dict) -> None:
        tmp = self.dir / "meta.json.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.meta_path)

    def store(self, role: str, name: str, data: bytes) -> Path:
        """Keep an upload under its hash; a copy named `name` in work/<role>/ is what builds read."""
        digest = hashlib.sha256(data).hexdigest()
        blobs = self.dir / "blobs"
        blobs.mkdir(exist_ok=True)
        (blobs / digest).write_bytes(data)
        safe = safe_filename(name, SUFFIXES.get(role, (".xlsx",)), role)
        work = self.dir / "work" / role
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        path = work / safe
        path.write_bytes(data)
        meta = self.meta()
        meta.setdefault("inputs", {})[role] = {"name": safe, "sha256": digest}
        meta["version"] = meta.get("version", 0) + 1  # every upload invalidates earlier builds
        self.save_meta(meta)
        return path

    def input(self, role: str) -> Path | None:
        item = self.meta().get("inputs", {}).get(role)
        return self.dir / "work" / role / item["name"] if item else None

    def inside(self, path: Path) -> Path:
        """`path` if it lies inside this job's directory, else ValueError."""
        resolved = path.resolve()
        if not resolved.is_relative_to(self.dir.resolve()):
            raise ValueError(f"{path} is outside the job")
        return resolved


class JobStore:
    """Job directories under `root`; each records the session owner that created it."""

    def __init__(self, root: Path, keep_hours: float = 24):
        self.root = root
        self.keep_seconds = keep_hours * 3600
        root.mkdir(parents=True, exist_ok=True)

    def create(self, owner: str, kind: str) -> Job:
        self.clean()
        job_id = secrets.token_urlsafe(24)
        job = Job(job_id, self.root / job_id)
        job.dir.mkdir(mode=0o700)
        job.save_meta({"owner": owner, "kind": kind, "created": time.time(), "inputs": {}, "version": 0})
        return job

    def get(self, job_id: str, owner: str, kind: str | None = None) -> Job | None:
        """The job if it exists and belongs to `owner`; None otherwise (the caller answers 404)."""
        if not JOB_ID.match(job_id) or not owner:
            return None
        job = Job(job_id, self.root / job_id)
        try:
            meta = job.meta()
        except (OSError, ValueError):
            return None
        if not secrets.compare_digest(meta.get("owner", ""), owner) or (kind and meta.get("kind") != kind):
            return None
        return job

    def clean(self) -> int:
        """Remove jobs older than the keep time; returns how many."""
        cutoff = time.time() - self.keep_seconds
        removed = 0
        for d in self.root.iterdir():
            if d.is_dir() and JOB_ID.match(d.name) and d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
                removed += 1
        return removed
