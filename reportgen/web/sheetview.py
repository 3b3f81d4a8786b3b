"""The check page's data: findings grouped by table, missing inputs, and a sheet as an HTML grid."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from ..catalog import load_catalog
from ..errors import InputError, Problem
from ..grid import Grid, read_grids
from ..kinds import get_kind
from ..refusals import NOTHING_FILLED
from ..report import SEVERITY_ZH
from ..rules import Finding, Missing, Report
from ..sources import read_texts

CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,6})$")


@dataclass
class Checked:
    """What `reportgen validate` says about a workbook, ready for the page."""

    problems: list[str] = field(default_factory=list)  # InputError lines; nothing else when set
    report: Report | None = None
    missing: list[Missing] = field(default_factory=list)
    nothing_filled: str = ""

    def groups(self) -> list[tuple[str, list[Finding]]]:
        by: dict[str, list[Finding]] = {}
        for f in self.report.findings if self.report else []:
            by.setdefault(f.table, []).append(f)
        rank = ("error", "warning", "info").index
        titles = self.report.groups if self.report else {}
        order = list(titles)
        return [(titles.get(t, t), sorted(by[t], key=lambda f: rank(f.severity)))
                for t in sorted(by, key=lambda t: order.index(t) if t in order else len(order))]


def renamed(exc: InputError, path: Path, name: str) -> list[str]:
    """Problems as the CLI prints them for a file called `name` (not the job's stored path)."""
    return [str(Problem(name if p.file == str(path) else Path(p.file).name, p.where, p.message))
            for p in exc.problems]


def check(workbook: Path, texts: Path | None, prior: Path | None) -> Checked:
    try:
        kind = get_kind()
        d = kind.read(workbook, prior)
        if texts is not None:
            d.snippets.update(read_texts(texts))
        catalog = load_catalog(d.settings.year, None)
        report = kind.validate(d, catalog=catalog)
        missing = kind.narrative(d, catalog).missing
    except InputError as exc:
        return Checked(problems=renamed(exc, workbook, workbook.name))
    return Checked(report=report, missing=missing, nothing_filled=NOTHING_FILLED if d.nothing_filled() else "")


def split_cell(ref: str) -> tuple[str, str] | None:
    """"公开01表!C7" → ("公开01表", "C7"); None for anything else."""
    sheet, bang, cell = ref.rpartition("!")
    return (sheet, cell) if bang and CELL.match(cell) else None


def missing_sheet(m: Missing, titles: set[str]) -> str | None:
    """The sheet a missing input's `where` names, if the workbook has it."""
    for name in re.findall(r"「([^」]+)」|(公开\d\d表)", m.where):
        sheet = name[0] or name[1]
        if sheet in titles:
            return sheet
    return None


@dataclass
class SheetView:
    title: str
    letters: list[str]
    rows: list[tuple[int, list[tuple[str, bool]]]]  # (row number, [(text, highlighted)])
    marked: list[str]


def sheet_view(grids: list[Grid], title: str, cells: list[str]) -> SheetView | None:
    """One sheet as rows of text with row numbers and column letters; `cells` highlighted."""
    grid = next((g for g in grids if g.title == title), None)
    if grid is None:
        return None
    marks = set()
    for c in cells:
        m = CELL.match(c)
        if m:
            marks.add((int(m.group(2)), column_index_from_string(m.group(1))))
    ncols = min(grid.ncols, 60)
    rows = []
    for r in range(1, grid.nrows + 1):
        values = []
        for c in range(1, ncols + 1):
            v = grid.value(r, c)
            values.append(("" if v is None else str(v), (r, c) in marks))
        rows.append((r, values))
    return SheetView(title, [get_column_letter(c) for c in range(1, ncols + 1)], rows,
                     [f"{get_column_letter(c)}{r}" for r, c in sorted(marks)])


def anchor(cells: list[str]) -> str:
    """The row anchor that shows the topmost of `cells` with a little context above it."""
    rows = [int(m.group(2)) for c in cells if (m := CELL.match(c))]
    return f"r{max(min(rows) - 3, 1)}" if rows else "r1"


def load_grids(workbook: Path) -> list[Grid]:
    return read_grids(workbook)


def rule_text(rule: str) -> str:
    rules = get_kind().rules
    return rules[rule].zh if rule in rules else ""


SEVERITY = SEVERITY_ZH
