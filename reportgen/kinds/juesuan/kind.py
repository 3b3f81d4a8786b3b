"""The 部门决算 kind: its tables, rules, narrative, charts, templates and profiles."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ...paths import templates_dir
from ...sources import read_workbook
from ...supplement import SUPPLEMENT_SHEETS
from ...workbook import blank_disclosure, save_workbook
from .. import Kind
from .layouts import LAYOUTS
from .narrative import build_narrative
from .rules import GROUP_TITLES, RULE, validate
from .tables import table_node

HERE = Path(__file__).resolve().parent
_CONFIG = tomllib.loads((HERE / "kind.toml").read_text(encoding="utf-8"))

def write_charts(narrative: Any, directory: Path) -> list[Path]:
    """The charts, importing matplotlib only when a build draws them (an HTML-only batch does not)."""
    from . import charts

    return charts.write_charts(narrative, directory)


KIND = Kind(
    name="juesuan",
    title=_CONFIG["title"],
    layouts=LAYOUTS,
    sheets=SUPPLEMENT_SHEETS,
    read=read_workbook,
    blank=blank_disclosure,
    save=save_workbook,
    validate=validate,
    rules=RULE,
    groups=GROUP_TITLES,
    narrative=build_narrative,
    charts=write_charts,
    table=table_node,
    parts=tuple((x["part"], x["heading"]) for x in _CONFIG["parts"]),
    sections=tuple((s["key"], s["heading"]) for s in _CONFIG["sections"]),
    templates=templates_dir() / "juesuan",
    profiles_dir=HERE / "profiles",
    default_profile=_CONFIG["default_profile"],
)
