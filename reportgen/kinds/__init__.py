"""Document kinds as plug-ins: a Kind gives everything one kind of document needs.

The pipeline and the CLI know a kind only through this object, found by name: the kind's
package (reportgen/kinds/<name>/kind.py) is imported by name, never named in core code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import profile

HERE = Path(__file__).resolve().parent
DEFAULT = "juesuan"  # the kind `--kind` selects when not given


@dataclass(frozen=True)
class Kind:
    """One kind of document (决算, 预算…): its tables, rules, words, templates and profiles."""

    name: str  # juesuan
    title: str  # 决算: the word in 「…年度部门决算」
    layouts: Mapping[str, Any]  # table id → layout
    sheets: tuple[str, ...]  # the supplementary sheets `init` writes, in order
    read: Callable[..., Any]  # (workbook, prior) → Disclosure
    blank: Callable[..., Any]  # Settings → an empty Disclosure
    save: Callable[..., Any]  # (Disclosure, path, only=…, needs=…) → writes the blank workbook
    validate: Callable[..., Any]  # (Disclosure, strict=, catalog=) → Report
    rules: Mapping[str, Any]  # rule id → Rule
    groups: Mapping[str, str]  # finding group → printed title
    narrative: Callable[..., Any]  # (Disclosure, catalog) → the kind's figures for the sections
    charts: Callable[..., Any]  # (narrative, directory) → chart files
    table: Callable[..., Any]  # (layout, table, settings, heading, empty words) → a tree Table (or a tuple)
    parts: tuple[tuple[str, str], ...]  # the document's parts (overview|tables|narrative|glossary, heading)
    sections: tuple[tuple[str, str], ...]  # the narrative's sections (key, heading) unless a profile lists its own
    templates: Path  # the kind's default templates (last on the search path)
    profiles_dir: Path
    default_profile: str
    extra: Mapping[str, Any] = field(default_factory=dict)
    title_format: str = "{unit}{year}年度{who}{title}"  # kind.toml title_format
    cover_year: str = "{year}年度"  # the cover's first line (kind.toml cover_year)

    def file_title(self, unit: str, year: int, who: str) -> str:
        """「某某局2021年度部门决算」 (「2022年某某局部门预算」): the document's title and file name."""
        return self.title_format.format(unit=unit, year=year, who=who, title=self.title)


def title(name: str) -> str:
    """A kind's word (决算, 预算) from its kind.toml, without importing the kind."""
    import tomllib

    return tomllib.loads((HERE / name / "kind.toml").read_text(encoding="utf-8"))["title"]


def names() -> list[str]:
    """Every kind shipped with reportgen (a folder under reportgen/kinds with a kind.py)."""
    return sorted(p.parent.name for p in HERE.glob("*/kind.py"))


def get_kind(name: str = DEFAULT, profile_dirs: tuple[Path, ...] | None = None) -> Kind:
    """The kind by name. With `profile_dirs` (a unit's own folders, maybe none) the active profiles
    become those folders, then the kind's; without, they stay as they are unless another kind's."""
    if name not in names():
        raise KeyError(name)
    kind: Kind = importlib.import_module(f"{__name__}.{name}.kind").KIND
    if profile_dirs is not None or profile.kind_dir() != kind.profiles_dir:
        profile.activate((*(profile_dirs or ()), kind.profiles_dir), kind.default_profile)
    return kind


def ensure(name: str = DEFAULT) -> None:
    """Activate the kind's profiles unless they already are (maybe after a unit's own folder);
    a process that built another kind first switches back."""
    if not profile.active() or profile.kind_dir() != HERE / name / "profiles":
        get_kind(name)
