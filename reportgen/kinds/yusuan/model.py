"""A 部门预算 as read from its workbook: the eleven tables as rows of Values keyed by column, and
the inputs only the 文字部分 uses (projects' explanations, facts such as 编制 and 资产).

Cell addresses follow reportgen/kinds/yusuan/rules.py: a paired table's cell is
`t01.income.<key>` / `t01.expenditure.<key>` (功能分类 code, total, carry_forward, grand_total),
any other table's `t0N.<row key>.<column key>` (表2/表3 row `unit`; 表4 经济分类 code or `total`;
表5 project keys `p1`… and `total`; 表7/9/10 codes and `total`; 表8 `prior`/`current`/`change`;
表11 task keys `k1`… and `total`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...model import Disclosure, Value

PAIRED_COLUMN = "amount"  # the one 预算数 column of 表1 and 表6


@dataclass
class Row:
    key: str
    label: str  # as printed (表1 expenditure: the 科目 name with 一、 on classes)
    values: dict[str, Value | None]  # column key → amount; None is a blank cell
    code: str = ""  # 功能分类 (3/5/7 digits) or 经济分类 (3/5) code where the row has one
    level: int = 0  # 1 类 / 2 款 / 3 项 (表1 收入: 1 一、 lines, 2 their 1. 2. lines, 0 totals)
    text: str = ""  # 表11 主要内容
    project: str = ""  # 表11: the 表5 project key this task is, "" for 基本支出
    ref: str = ""  # the row's label cell, Sheet!B7

    def amount(self, col: str = PAIRED_COLUMN) -> Decimal:
        v = self.values.get(col)
        return v.amount if v is not None else Decimal(0)


@dataclass
class Indicator:
    """A 表11 年度绩效指标 row."""

    level1: str
    level2: str
    level3: str
    target: str


@dataclass
class BudgetTable:
    id: str  # t01 … t11
    rows: list[Row] = field(default_factory=list)  # every shape but paired
    income: list[Row] = field(default_factory=list)  # paired (表1, 表6)
    expenditure: list[Row] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)  # 表11 年度总体目标
    indicators: list[Indicator] = field(default_factory=list)  # 表11 年度绩效指标

    def all_rows(self) -> list[Row]:
        return [*self.income, *self.expenditure, *self.rows]

    def amounts(self) -> list[Value]:
        """Every amount cell that holds a value (reportgen.model.amounts asks a table this)."""
        return [v for r in self.all_rows() for v in r.values.values() if v is not None]

    def row(self, key: str, side: str = "") -> Row | None:
        rows = getattr(self, side) if side else self.rows
        return next((r for r in rows if r.key == key), None)

    def get(self, key: str, col: str = PAIRED_COLUMN, side: str = "") -> Decimal:
        """An amount by row key and column; a missing row or blank cell is 0."""
        r = self.row(key, side)
        return r.amount(col) if r is not None else Decimal(0)


@dataclass
class ProjectNote:
    """One project's explanation (「项目说明」 sheet): what the 文字部分 says beyond 表5's amount."""

    name: str  # as 表5 names it
    prior: Value | None = None  # 上年预算数 (None: not given; 0: a new project)
    addition: Value | None = None  # 上年年中追加: left out of the comparison ("剔除年中追加部分")
    basis: str = ""  # 依据和主要内容: legal basis, what the money is for, its breakdown
    reason: str = ""  # 增减原因
    target: str = ""  # 绩效目标 (第七部分 重点项目 table)
    key: bool = False  # 重点项目: listed in 第七部分
    ref: str = ""  # the name cell


@dataclass
class Budget(Disclosure):
    """A 部门预算: Disclosure's settings, tables (BudgetTable), 文字 snippets, plus its own inputs."""

    projects: list[ProjectNote] = field(default_factory=list)  # 「项目说明」
    facts: dict[str, Value] = field(default_factory=dict)  # 「预算情况」 numbers (编制, 资产, 上年预算…)
    fact_texts: dict[str, str] = field(default_factory=dict)  # 「预算情况」 words (截止日期…)
