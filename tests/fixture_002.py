"""A small disclosure shaped like seed 002 (四川省医疗保障局 2020), from its narrative figures.

002 prints no tables, only the narrative: 收支总计 6,696.34 (2019: 5,424.10), all income
一般公共预算; 基本 2,710.11 / 项目 3,986.23; five classes; “三公” 0 + 36.34 + 1.8 = 38.14.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from reportgen.model import Disclosure, Project, Settings, SubjectRow, Value
from reportgen.workbook import blank_disclosure

D = Decimal


def put_line(table, side: str, key: str, amounts: list[str]) -> None:
    row = next(r for r in getattr(table, side) if r.key == key)
    row.values = [Value(D(a)) for a in amounts]


def sichuan_2020() -> Disclosure:
    d = blank_disclosure(Settings(unit_name="四川省医疗保障局", year=2020, who="部门", profile="四川",
                                  headings="第一部分", zero="0.00", sangong_basis="全年预算数"))
    t = d.tables
    total = "6696.34"
    classes = {"201": "3.90", "205": "24.30", "208": "245.88", "210": "6204.70", "221": "217.56"}
    for tid in ("t01", "t04"):
        put_line(t[tid], "income", "gpb", [total])
        put_line(t[tid], "income", "income_total", [total])
        put_line(t[tid], "income", "grand_total", [total])
    put_line(t["t01"], "expenditure", "expenditure_total", [total])
    put_line(t["t01"], "expenditure", "grand_total", [total])
    put_line(t["t04"], "expenditure", "expenditure_total", [total, total, "0", "0"])
    put_line(t["t04"], "expenditure", "grand_total", [total, total, "0", "0"])
    for code, amount in classes.items():
        put_line(t["t01"], "expenditure", code, [amount])
        put_line(t["t04"], "expenditure", code, [amount, amount, "0", "0"])
    names = {"201": "一般公共服务支出", "205": "教育支出", "208": "社会保障和就业支出", "210": "卫生健康支出",
             "221": "住房保障支出"}
    t["t03"].total = [Value(D(x)) for x in (total, "2710.11", "3986.23", "0", "0", "0")]
    t["t05"].total = [Value(D(x)) for x in (total, "2710.11", "3986.23")]
    t["t05"].rows = [SubjectRow(code, names[code], [Value(D(a)), Value(D(0)), Value(D(0))])
                     for code, a in classes.items()]
    t["t03"].rows = [SubjectRow(code, names[code], [Value(D(a))] + [Value(D(0))] * 5)
                     for code, a in classes.items()]
    t["t07"].values = [Value(D(x)) for x in ("49.37", "0", "40.37", "0", "40.37", "7.00",
                                            "38.14", "0", "36.34", "0", "36.34", "1.80")]
    s = d.supplement
    for key, value in (("收支总计", "5424.10"), ("财政拨款收支总计", "5423.99"),
                       ("一般公共预算财政拨款支出", "5423.99"), ("一般公共预算财政拨款基本支出", "2300.00"),
                       ("一般公共预算财政拨款项目支出", "3123.99"), ("因公出国（境）费", "28.91"),
                       ("公务用车购置及运行费", "32.33"), ("公务接待费", "2.77"), ("“三公”经费", "64.01")):
        s.prior[key] = Value(D(value))
    add_other_matters(d)
    return d


def add_other_matters(d: Disclosure) -> None:
    """十、其他重要事项 (机关运行经费, 政府采购, 车辆, 绩效 projects) from tests/data/sichuan-002.json."""
    data = json.loads((Path(__file__).parent / "data" / "sichuan-002.json").read_text(encoding="utf-8"))
    s = d.supplement
    s.facts.update({k: Value(D(v)) for k, v in data["facts"].items()})
    s.prior.update({k: Value(D(v)) for k, v in data["prior"].items()})
    d.snippets.update(data["snippets"])
    s.projects = [Project(name, Value(D(b)), Value(D(a)), "", "", "", "", "") for name, b, a in data["projects"]]
