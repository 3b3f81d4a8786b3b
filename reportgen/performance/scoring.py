"""Compute each indicator's 得分, the 执行率 and the 总分 from the typed values and the rules.

Decimal and ROUND_HALF_UP throughout. A judged (定性) indicator keeps the score typed in its
cell; every computed one is recomputed, and a typed score that differs is kept only as the
evidence of a finding (the form prints the computed value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..grid import clean
from .model import Indicator, PerfProject
from .rules import Rules

HUNDRED = Decimal(100)
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)")
AT_MOST = ("≤", "<", "少于", "低于", "不超过", "以内", "控制在")
YES = {"是", "完成", "已完成", "正常", "合格", "达标", "及时", "按时", "有", "全部完成"}
JUDGED = ("", "定性")
METHODS = ("数量", "比率", "是否", "满意度", "执行率", "定性")


def q(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(text: str) -> Decimal | None:
    """The first number in an indicator value ("≥1000 万人", "90.15%", "384,633人")."""
    m = _NUMBER.search(text.replace("，", ","))
    return Decimal(m.group(1).replace(",", "")) if m else None


@dataclass
class Scored:
    indicator: Indicator
    score: Decimal | None  # the score the form prints
    computed: bool  # False: judged, the typed score is kept
    note: str = ""  # why it could not be computed


@dataclass
class ScoredProject:
    project: PerfProject
    rate: Decimal | None  # 执行率 in %, at the rule's places (None: no budget)
    execution_weight: Decimal | None
    execution_score: Decimal | None
    indicators: list[Scored] = field(default_factory=list)
    weight_total: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    grade: str = ""


def execution_rate(p: PerfProject, rules: Rules) -> Decimal | None:
    budget, actual = p.amount("全年预算数"), p.amount("全年执行数")
    if budget is None or actual is None or budget <= 0:
        return None
    return q(actual / budget * HUNDRED, rules.execution.rate_places)


def execution_score(rate: Decimal | None, weight: Decimal, rules: Rules) -> Decimal:
    ex = rules.execution
    if rate is None:
        return Decimal(0)
    if rate >= ex.full_at:
        return q(weight, rules.score_places)
    if ex.method == "deduct":
        return q(max(Decimal(0), weight - ex.per_point * (HUNDRED - rate)), rules.score_places)
    return q(rate * weight / HUNDRED, rules.score_places)


def _fraction(ind: Indicator, rules: Rules) -> tuple[Decimal | None, str]:
    """The share of the 分值 an indicator earns, or None with the reason it cannot be computed."""
    method = clean(ind.method)
    target, actual = number(ind.target), number(ind.actual)
    if method == "是否":
        yes = clean(ind.actual) == clean(ind.target) or clean(ind.actual) in YES
        return (Decimal(1) if yes else Decimal(0)), ""
    if method.startswith("分档"):
        name = method.split("：", 1)[-1].split(":", 1)[-1]
        tier = rules.tiers.get(name)
        if tier is None:
            return None, f"样式中没有分档规则「{name}」"
        if actual is None:
            return None, f"实际完成值「{ind.actual}」不是数字"
        band = next((b for b in tier.bands if b.holds(actual)), None)
        return (band.points / tier.of if band else Decimal(0)), ""
    if target is None or actual is None:
        return None, f"年度指标值「{ind.target}」或实际完成值「{ind.actual}」不是数字"
    if method == "满意度" and rules.satisfaction.method == "piecewise":
        s = rules.satisfaction
        if actual >= target:
            return Decimal(1), ""
        if actual <= s.zero_at:
            return Decimal(0), ""
        if actual >= s.passing:
            pct = s.passing + (HUNDRED - s.passing) * (actual - s.passing) / s.span_above
        else:
            pct = s.passing - s.passing * (s.passing - actual) / s.span_below
        return min(Decimal(1), max(Decimal(0), pct / HUNDRED)), ""
    if any(m in ind.target for m in AT_MOST):  # a ceiling: met or not
        strict = any(m in ind.target for m in ("<", "少于", "低于"))
        met = actual < target if strict else actual <= target
        return (Decimal(1) if met else Decimal(0)), ""
    if target == 0:
        return Decimal(1), ""
    return min(Decimal(1), actual / target), ""


def score_project(p: PerfProject, rules: Rules) -> ScoredProject:
    row = p.total_row
    rate = execution_rate(p, rules)
    weight = row.weight.amount if row and row.weight is not None else None
    ex_score = execution_score(rate, weight, rules) if weight is not None else None
    out = ScoredProject(p, rate, weight, ex_score)
    total = ex_score or Decimal(0)
    weights = weight or Decimal(0)
    for ind in p.indicators:
        w = ind.weight.amount if ind.weight is not None else Decimal(0)
        weights += w
        method = clean(ind.method)
        if method in JUDGED:
            s = Scored(ind, ind.score.amount if ind.score is not None else None, False)
        elif method == "执行率":
            s = Scored(ind, execution_score(rate, w, rules), True)
        else:
            frac, why = _fraction(ind, rules)
            if frac is None:  # cannot compute: keep what the unit typed, and say why
                s = Scored(ind, ind.score.amount if ind.score is not None else None, False, why)
            else:
                s = Scored(ind, q(frac * w, rules.score_places), True)
        out.indicators.append(s)
        total += s.score or Decimal(0)
    out.weight_total = weights
    out.total = q(total, rules.score_places)
    if not p.indicators and p.total is not None:  # a form without an indicator grid: its 总分 is judged
        out.total, out.weight_total = p.total.amount, Decimal(100)
    out.grade = rules.grade(out.total)
    return out
