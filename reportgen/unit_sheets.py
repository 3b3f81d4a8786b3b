"""The sheets a unit fills once for every kind: 「单位信息」 and 「文字」, taken from an existing
workbook (`init --from`), so a 预算 workbook starts with what the 决算 workbook already says.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, Problem
from .grid import read_grids
from .model import Settings
from .settings import SETTINGS_SHEET, SNIPPETS_SHEET, read_settings, read_snippets

# Per document, not per unit: the new workbook's own year, kind and profile stay.
NOT_SHARED = {"year", "kind", "profile", "published"}


class _Collect:
    def __init__(self, path: Path):
        self.file = str(path)
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))


def shared_values(path: Path) -> tuple[dict[str, object], dict[str, str]]:
    """(setting attribute → value, snippets) of the workbook at `path`: the unit's own facts.

    A value the sheet gives wrongly is a problem of that workbook, reported like any input error."""
    grids = {g.title: g for g in read_grids(path)}
    if SETTINGS_SHEET not in grids and SNIPPETS_SHEET not in grids:
        raise InputError([Problem(str(path), "", f"没有「{SETTINGS_SHEET}」或「{SNIPPETS_SHEET}」表，"
                                  "应为 reportgen init 写出的决算或预算工作簿")])
    reporter = _Collect(path)
    settings, explicit = read_settings(grids.get(SETTINGS_SHEET), reporter)
    snippets = read_snippets(grids.get(SNIPPETS_SHEET), reporter)
    problems = [p for p in reporter.problems if "样式" not in p.message]  # another kind's profile names
    if problems:
        raise InputError(problems)
    values = {a: getattr(settings, a) for a in explicit - NOT_SHARED}
    return values, snippets


def kind_of(path: Path, kinds: dict[str, str]) -> str | None:
    """The kind a workbook says it is (「单位信息」 文档类型: 决算 → juesuan), None when it does not say.

    An unreadable file says nothing here: the kind's own reader reports it properly, whatever
    the file does to the libraries that read it (a hostile .xls makes xlrd raise its own errors)."""
    try:
        grids = {g.title: g for g in read_grids(path)}
    except Exception:
        return None
    grid = grids.get(SETTINGS_SHEET)
    if grid is None:
        return None
    for r in range(1, grid.nrows + 1):
        texts = grid.row_texts(r)
        if len(texts) >= 2 and texts[0][1] == "文档类型":
            return kinds.get(texts[1][1])
    return None


def share(settings: Settings, other: Path | None, unit: str | None) -> tuple[set[str], dict[str, str]]:
    """Set `settings` from the unit's other workbook (when given) and --unit (which wins); returns
    the settings taken and the snippets, for the new workbook to write."""
    values, snippets = shared_values(other) if other is not None else ({}, {})
    for attr, value in values.items():
        setattr(settings, attr, value)
    settings.unit_name = unit or settings.unit_name
    return set(values), snippets
