"""The 部门预算 kind: its eleven tables, identities, 文字部分, templates and profiles."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ...paths import templates_dir
from .. import Kind
from .check import GROUP_TITLES, INPUT_RULES, validate
from .inputs import FACT_SHEET, PROJECT_SHEET
from .layouts import TABLES
from .narrative import build_narrative
from .reader import read_budget
from .tables import table_node
from .workbook import blank_budget, save_budget

HERE = Path(__file__).resolve().parent
_CONFIG = tomllib.loads((HERE / "kind.toml").read_text(encoding="utf-8"))


def no_charts(narrative: Any, directory: Path) -> list[Path]:
    """The published 预算 has no charts."""
    return []


KIND = Kind(
    name="yusuan",
    title=_CONFIG["title"],
    layouts=TABLES,
    sheets=(PROJECT_SHEET, FACT_SHEET),
    read=read_budget,
    blank=blank_budget,
    save=save_budget,
    validate=validate,
    rules={r.id: r for r in INPUT_RULES},
    groups=GROUP_TITLES,
    narrative=build_narrative,
    charts=no_charts,
    table=table_node,
    parts=tuple((x["part"], x["heading"]) for x in _CONFIG["parts"]),
    sections=tuple((s["key"], s["heading"]) for s in _CONFIG["sections"]),
    templates=templates_dir() / "yusuan",
    profiles_dir=HERE / "profiles",
    default_profile=_CONFIG["default_profile"],
    title_format=_CONFIG["title_format"],
    cover_year=_CONFIG["cover_year"],
)
