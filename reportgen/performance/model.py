"""A project's self-evaluation as typed in its 绩效-N sheet; every value keeps its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Value


@dataclass
class MoneyRow:
    """One row of the 项目资金 block: 年度资金总额 or a source (财政拨款, 上年结转资金, 其他资金…)."""

    label: str
    initial: Value | None  # 年初预算数
    budget: Value | None  # 全年预算数
    actual: Value | None  # 全年执行数
    weight: Value | None = None  # 分值 (年度资金总额 only)
    rate: str = ""  # 执行率 as typed, e.g. "72.21%"
    rate_ref: str | None = None
    score: Value | None = None  # 得分 as typed


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    method: str  # 评分方法: 数量 | 比率 | 是否 | 满意度 | 执行率 | 定性 | 分档:<名称>
    target: str  # 年度指标值
    actual: str  # 实际完成值
    weight: Value | None  # 分值
    score: Value | None  # 得分 as typed (None: blank)
    reason: str  # 偏差原因分析及改进措施
    ref: str  # the row's 三级指标 cell
    standard: str = ""  # 评分标准 (the 打分表 prints it)


@dataclass
class PerfProject:
    """One evaluated project: identity, money, goals, indicators and the typed 总分."""

    sheet: str
    name: str
    name_ref: str
    department: str = ""  # 主管部门（及代码）
    implementer: str = ""  # 实施单位
    unit: str = "万元"  # the form's money unit
    money: list[MoneyRow] = field(default_factory=list)
    goal: str = ""  # 预期目标
    outcome: str = ""  # 实际完成情况
    indicators: list[Indicator] = field(default_factory=list)
    total: Value | None = None  # 总分 as typed
    texts: dict[str, str] = field(default_factory=dict)  # 绩效.<项目>.<键> snippets
    whole: bool = False  # the 部门整体 evaluation (sheet 绩效-部门整体): indicators only, no money

    @property
    def total_row(self) -> MoneyRow | None:
        return self.money[0] if self.money else None

    def amount(self, what: str) -> Decimal | None:
        """全年预算数 / 全年执行数 / 年初预算数 of the 年度资金总额 row."""
        row = self.total_row
        v = getattr(row, {"年初预算数": "initial", "全年预算数": "budget", "全年执行数": "actual"}[what]) \
            if row else None
        return v.amount if v is not None else None
