"""The year-keyed 科目 catalog: 功能分类 (code, level, name, 说明) and 经济分类 (code, name).

Shipped as reportgen/catalogs/functional-<year>.csv; the 经济分类 list is the 公开06 layout
itself. A unit adds or corrects entries with its own CSV (columns code,name,note).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .layouts import ECONOMIC_2020, classes_for

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"
LEVELS = {3: "类", 5: "款", 7: "项"}


@dataclass(frozen=True)
class Subject:
    code: str
    name: str
    note: str = ""

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]


@dataclass
class Catalog:
    year: int
    functional: dict[str, Subject]
    economic: dict[str, Subject]

    def functional_path(self, code: str) -> list[Subject]:
        """类, 款, 项 entries from the top down to `code` (those the catalog knows)."""
        return [self.functional[c] for c in (code[:3], code[:5], code[:7])[: len(code) // 2]
                if c in self.functional]


def _read_csv(path: Path, source: str) -> dict[str, Subject]:
    out: dict[str, Subject] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), 2):
                code = (row.get("code") or row.get("编码") or "").strip()
                name = (row.get("name") or row.get("名称") or "").strip()
                note = (row.get("note") or row.get("说明") or "").strip()
                if not code.isdigit() or len(code) not in (3, 5, 7) or not name:
                    raise InputError([Problem(source, f"第{i}行",
                                              f"科目目录行应为 编码(3/5/7位数字),名称,说明，读到「{code},{name}」")])
                out[code] = Subject(code, name, note)
    except OSError as exc:
        raise InputError([Problem(source, "", f"无法读取科目目录（{exc.strerror}）")]) from exc
    return out


def load_catalog(year: int, extra: Path | None = None) -> Catalog:
    """The shipped catalog for `year` (nearest earlier year), plus a unit's own entries."""
    shipped = sorted(CATALOG_DIR.glob("functional-*.csv"))
    years = [int(p.stem.split("-")[1]) for p in shipped]
    best = max([y for y in years if y <= year], default=min(years))
    functional = _read_csv(CATALOG_DIR / f"functional-{best}.csv", f"functional-{best}.csv")
    for code, name in classes_for(year):
        functional.setdefault(code, Subject(code, name))
    economic = {code: Subject(code, name) for group in ECONOMIC_2020 for code, name in group}
    if extra is not None:
        for code, subject in _read_csv(extra, str(extra)).items():
            # 经济分类 codes start with 3 (301, 30101…); 功能分类 ones with 2.
            (economic if code.startswith("3") else functional)[code] = subject
    return Catalog(year, functional, economic)
