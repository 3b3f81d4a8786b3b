"""Scoring rules as data: a profile's [performance] table (reportgen/kinds/juesuan/profiles/*.toml).

    [performance]
    layout = "yuan"              # the project forms' printed layout (performance/layouts.toml)
    whole_layout = "framework"   # the 部门整体 form's layout
    summary = true               # a 自评情况汇总表 (序号, 项目名称, 得分, 等级) before the forms
    attachment = "附件2-{n} "     # before each project form's title; {n} counts the forms
    whole_attachment = "附件1-1 " # before the 部门整体 form's title
    coverage = "t05"             # Σ 全年执行数 is compared with this table's 项目支出 (rule N-10)
    list_projects = true         # the 情况说明 has a paragraph per project (false: forms in an annex)
    score_places = 2             # 得分 and 总分 decimals
    grades = [[90, "优"], [80, "良"], [60, "中"], [0, "差"]]   # 总分 ≥ n → grade
    [performance.execution]      # the 执行率 indicator
    method = "proportional"      # 执行率 × 分值 | "deduct": 分值 − per_point × (100 − 执行率)
    rate_places = 0              # the rate (in %) is rounded to this many places first
    full_at = 100                # 执行率 ≥ full_at % scores full marks
    per_point = 1
    [performance.satisfaction]   # 满意度 indicators
    method = "target"            # full at the target, else actual / target × 分值 | "piecewise"
    [performance.tiers.<名称>]    # 分档:<名称> indicators: first band that holds gives points of `of`
    of = 1
    bands = [{min = 90, points = 1}, {min = 75, points = 0.7}, …]   # min (≥), above (>), max (≤), below (<)
    [performance.layouts.<名称>] # a layout of the unit's own: base = "yuan", then the keys it changes

Nothing in the seeds states the grade thresholds; the shipped profiles use the common
90/80/60 bands, and a unit whose local rules differ overrides them in its profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Settings
from ..profile import profile_for

DEFAULT_GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))


@dataclass(frozen=True)
class Execution:
    method: str = "proportional"
    rate_places: int = 2
    full_at: Decimal = Decimal(100)
    per_point: Decimal = Decimal(1)


@dataclass(frozen=True)
class Band:
    points: Decimal
    min: Decimal | None = None
    above: Decimal | None = None
    max: Decimal | None = None
    below: Decimal | None = None

    def holds(self, x: Decimal) -> bool:
        return ((self.min is None or x >= self.min) and (self.above is None or x > self.above)
                and (self.max is None or x <= self.max) and (self.below is None or x < self.below))


@dataclass(frozen=True)
class Tier:
    of: Decimal
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Satisfaction:
    method: str = "target"  # target | piecewise
    passing: Decimal = Decimal(60)  # piecewise: 60 % scores 60 % of the 分值
    zero_at: Decimal = Decimal(50)  # piecewise: ≤ 50 % scores 0
    span_above: Decimal = Decimal(20)
    span_below: Decimal = Decimal(10)


@dataclass(frozen=True)
class Rules:
    layout: str = "weighted"
    whole_layout: str = "framework"
    summary: bool = False  # the 自评情况汇总表 before the forms
    attachment: str = ""  # the 附件 number before a project form's title; {n} counts the forms
    whole_attachment: str = ""
    layouts: dict[str, Any] = field(default_factory=dict)  # the profile's own layouts, by name
    coverage: str = "t03"  # t03: all 项目支出 | t05: 一般公共预算 项目支出
    list_projects: bool = True  # the narrative has a paragraph per project (else: forms in an annex)
    score_places: int = 2
    grades: tuple[tuple[Decimal, str], ...] = DEFAULT_GRADES
    execution: Execution = Execution()
    satisfaction: Satisfaction = Satisfaction()
    tiers: dict[str, Tier] = field(default_factory=dict)

    def grade(self, total: Decimal) -> str:
        for floor, name in self.grades:
            if total >= floor:
                return name
        return self.grades[-1][1]


def _dec(x: object) -> Decimal:
    return Decimal(str(x))


def rules_from(data: dict) -> Rules:
    """Rules from a [performance] table (the code's defaults for what it leaves out)."""
    ex = data.get("execution", {})
    sat = data.get("satisfaction", {})
    tiers = {
        name: Tier(_dec(t.get("of", 1)), tuple(
            Band(_dec(b["points"]), *(None if b.get(k) is None else _dec(b[k])
                                      for k in ("min", "above", "max", "below")))
            for b in t["bands"]))
        for name, t in data.get("tiers", {}).items()}
    return Rules(
        layout=data.get("layout", "weighted"),
        whole_layout=data.get("whole_layout", "framework"),
        summary=bool(data.get("summary", False)),
        attachment=str(data.get("attachment", "")),
        whole_attachment=str(data.get("whole_attachment", "")),
        layouts=dict(data.get("layouts", {})),
        coverage=data.get("coverage", "t03"),
        list_projects=bool(data.get("list_projects", True)),
        score_places=int(data.get("score_places", 2)),
        grades=tuple((_dec(n), g) for n, g in data["grades"]) if "grades" in data else DEFAULT_GRADES,
        execution=Execution(ex.get("method", "proportional"), int(ex.get("rate_places", 2)),
                            _dec(ex.get("full_at", 100)), _dec(ex.get("per_point", 1))),
        satisfaction=Satisfaction(sat.get("method", "target"), *(
            _dec(sat[k]) if k in sat else d for k, d in (
                ("passing", Decimal(60)), ("zero_at", Decimal(50)), ("span_above", Decimal(20)),
                ("span_below", Decimal(10))))),
        tiers=tiers,
    )


def rules_for(settings: Settings) -> Rules:
    return rules_from(profile_for(settings).performance)
