"""One source: the narrative's 绩效 figures come from the 绩效-N forms when a workbook has them.

The 绩效项目 sheet stays for a unit that publishes no forms; with forms, each project's 全年预算数,
执行数, 得分 and 等级 are taken from its form (得分 and 等级 computed), and the 绩效项目 row of the same
name contributes only its texts. The 情况 facts 绩效自评项目数, 绩效涉及资金 and 自评等级优/良/中/差
are counted from the forms, replacing typed ones (涉及资金 = Σ 全年执行数, as 001 and 000 state it).
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Project, Settings, Supplement, Value
from .forms import fmt_score
from .rules import rules_for
from .scoring import ScoredProject, q, score_project

TEN_THOUSAND = Decimal(10000)


def in_unit(v: Value | None, form_unit: str, unit: str) -> Value | None:
    """A form amount in the workbook's unit (the narrative prints 万元 at 2 places)."""
    if v is None:
        return None
    x = v.amount
    if form_unit == "元" and unit == "万元":
        x = q(x / TEN_THOUSAND, 2)
    elif form_unit == "万元" and unit == "元":
        x = x * TEN_THOUSAND
    return Value(x, v.ref)


def scored(sup: Supplement, settings: Settings) -> list[ScoredProject]:
    rules = rules_for(settings)
    return [score_project(p, rules) for p in sup.performance]


def derive(sup: Supplement, settings: Settings) -> None:
    if not any(not p.whole for p in sup.performance):
        return
    texts = {p.name: p for p in sup.projects}
    projects = []
    funds = Decimal(0)
    grades = {g: 0 for g in "优良中差"}
    for sp in scored(sup, settings):
        p = sp.project
        if p.whole:  # the 部门整体 evaluation is no project
            continue
        row = p.total_row
        budget = in_unit(row.budget if row else None, p.unit, settings.money_unit)
        actual = in_unit(row.actual if row else None, p.unit, settings.money_unit)
        old = texts.get(p.name)
        projects.append(Project(p.name, budget, actual, fmt_score(sp.total, "strip"), sp.grade,
                                p.texts.get("绩效目标完成情况") or (old.outcome if old else ""),
                                p.texts.get("主要问题") or (old.problems if old else ""),
                                p.texts.get("改进措施") or (old.measures if old else "")))
        funds += actual.amount if actual else Decimal(0)  # 涉及资金: Σ 执行数 (001: 1,417.06 = 项目支出)
        if sp.grade in grades:
            grades[sp.grade] += 1
    sup.projects = projects
    where = next(p.sheet for p in sup.performance if not p.whole)
    sup.facts["绩效自评项目数"] = Value(Decimal(len(projects)), where)
    sup.facts["绩效涉及资金"] = Value(funds, where)
    for g, n in grades.items():
        sup.facts[f"自评等级{g}"] = Value(Decimal(n), where)
