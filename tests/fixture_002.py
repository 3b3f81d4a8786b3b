"""A small disclosure shaped like seed 002 (四川省医疗保障局 2020), from tests/data/sichuan-002.json.

002 prints no tables, only the narrative: 收支总计 6,696.34 (2019: 5,424.10), all income
一般公共预算; 基本 2,710.11 / 项目 3,986.23; five classes; “三公” 0 + 36.34 + 1.8 = 38.14;
and its 十、其他重要事项 (机关运行经费, 政府采购, 车辆, four 绩效 projects).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from reportgen.model import Disclosure, Project, Settings, SubjectRow, Value
from reportgen.workbook import blank_disclosure

DATA = Path(__file__).parent / "data" / "sichuan-002.json"


def values(amounts: list[str]) -> list[Value]:
    return [Value(Decimal(a)) for a in amounts]


def put_line(table, side: str, key: str, amounts: list[str]) -> None:
    row = next(r for r in getattr(table, side) if r.key == key)
    row.values = values(amounts)


def sichuan_2020() -> Disclosure:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    d = blank_disclosure(Settings(**data["settings"]))
    t = d.tables
    for tid, sides in data["lines"].items():
        for side, lines in sides.items():
            for key, amounts in lines.items():
                put_line(t[tid], side, key, amounts)
    for tid, subject in data["subjects"].items():
        t[tid].total = values(subject["total"])
        t[tid].rows = [SubjectRow(code, name, values(amounts)) for code, name, amounts in subject["rows"]]
    t["t07"].values = values(data["t07"])
    s = d.supplement
    s.prior.update({k: Value(Decimal(v)) for k, v in data["prior"].items()})
    s.facts.update({k: Value(Decimal(v)) for k, v in data["facts"].items()})
    d.snippets.update(data["snippets"])
    s.projects = [Project(name, Value(Decimal(b)), Value(Decimal(a)), "", "", "", "", "")
                  for name, b, a in data["projects"]]
    return d
