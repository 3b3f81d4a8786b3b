"""The disclosure as read from a workbook: Decimal amounts that remember their cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .money import ZERO


@dataclass(frozen=True)
class Value:
    amount: Decimal
    ref: str | None = None  # "Sheet!C7"; None for a value the workbook did not hold

    @classmethod
    def zero(cls) -> Value:
        return cls(ZERO)


@dataclass
class LineRow:
    """A row of one side of 公开01/04: key from the layout, 行次 and label as printed."""

    key: str | None
    label: str
    line: int | None
    values: list[Value]


@dataclass
class PairedTable:
    income: list[LineRow]
    expenditure: list[LineRow]

    def get(self, side: str, key: str, col: int = 0) -> Value:
        for row in getattr(self, side):
            if row.key == key:
                return row.values[col]
        raise KeyError(f"{side}.{key}")

    def sum(self, side: str, keys: str, col: int = 0) -> Decimal:
        """The amounts of "a+b+c" keys on one side added up; a row the table lacks counts 0."""
        total = ZERO
        for key in keys.split("+"):
            try:
                total += self.get(side, key, col).amount
            except KeyError:
                continue
        return total


def subject_level(code: str) -> int:
    """功能分类 level: 1 类 (3 digits), 2 款 (5), 3 项 (7)."""
    return {3: 1, 5: 2, 7: 3}[len(code)]


@dataclass
class SubjectRow:
    code: str
    name: str
    values: list[Value]
    ref: str | None = None  # the code cell

    @property
    def level(self) -> int:
        return subject_level(self.code)

    @property
    def parent(self) -> str | None:
        return self.code[:-2] if len(self.code) > 3 else None


@dataclass
class SubjectTable:
    total: list[Value]
    rows: list[SubjectRow]

    def nonzero_rows(self) -> list[SubjectRow]:
        """Rows with any nonzero amount, in code order with each parent before its children."""
        keep = [r for r in self.rows if any(v.amount != 0 for v in r.values)]
        return sorted(keep, key=lambda r: r.code)

    def is_empty(self) -> bool:
        return all(v.amount == 0 for v in self.total) and not self.nonzero_rows()


@dataclass
class EconomicRow:
    code: str
    name: str
    value: Value


@dataclass
class EconomicTable:
    groups: list[list[EconomicRow]]
    personnel_total: Value
    public_total: Value
    super_header: bool = False  # 人员经费 / 公用经费 over the groups

    def rows(self) -> list[EconomicRow]:
        return [r for g in self.groups for r in g]


@dataclass
class SingleRowTable:
    values: list[Value]  # 公开07: 12 amounts, 预算 c1–c6 then 决算 c7–c12


@dataclass
class ListRow:
    label: str
    values: list[Value]


@dataclass
class ListTable:
    rows: list[ListRow]


Table = PairedTable | SubjectTable | EconomicTable | SingleRowTable | ListTable

# Tables whose all-blank state is a statement a unit can make (no “三公” spending, no
# government-fund or state-capital money, no 非税收入). Any other table without a single
# amount has simply not been filled in yet, and nothing may be concluded from its blanks.
EMPTY_MEANS_NONE = frozenset({"t07", "t08", "t09", "t10"})


def amounts(table: Table) -> list[Value]:
    """Every amount of a table, totals included (another kind's table gives its own)."""
    if hasattr(table, "amounts"):
        return table.amounts()
    if isinstance(table, PairedTable):
        return [v for side in (table.income, table.expenditure) for row in side for v in row.values]
    if isinstance(table, SubjectTable):
        return table.total + [v for r in table.rows for v in r.values]
    if isinstance(table, EconomicTable):
        return [r.value for r in table.rows()] + [table.personnel_total, table.public_total]
    if isinstance(table, SingleRowTable):
        return list(table.values)
    return [v for r in table.rows for v in r.values]


def is_filled(table: Table) -> bool:
    return any(v.amount != 0 for v in amounts(table))


@dataclass
class Settings:
    """Unit settings (单位信息 sheet), with the defaults a 部门 using the 2020 templates expects."""

    unit_name: str = ""
    year: int = 0
    kind: str = "决算"
    who: str = "部门"  # 部门 or 单位 wording
    zero: str = "0.00"  # "blank" or "0.00"
    money_unit: str = "万元"  # 万元 or 元 (the workbook's unit; pages always show 万元)
    headings: str = "一、"  # 一、 or 第一部分
    table_notes: bool = True
    car_running_label: str = "公务用车运行费"
    sangong_basis: str = "年初预算数"
    t09_total_label: str = "合计"
    nonfiscal: str = "自动"  # 自动 | 有 | 无: whether the unit has non-fiscal money (事业收入 etc.)
    profile: str = ""  # a profile name (reportgen/profiles); "" means the default
    competent: str = ""  # 主管部门 (预算 表11, 绩效 forms)
    published: str = ""  # 公开时间, e.g. 2021年8月30日: the only date a document prints


@dataclass
class BudgetRow:
    code: str
    name: str
    amounts: dict[str, Value | None]  # basis → value; None when the cell is blank


@dataclass
class Project:
    name: str
    budget: Value | None
    actual: Value | None
    score: str
    grade: str
    outcome: str
    problems: str
    measures: str


@dataclass
class KeyEvaluation:
    """One 重点绩效评价 result (a project or policy the finance bureau or a third party evaluated)."""

    name: str
    amount: Value | None  # 评价涉及资金
    score: Value | None
    grade: str
    evaluator: str  # 评价方式/机构: 财政重点评价, 第三方…
    conclusion: str
    ref: str = ""  # the name cell


@dataclass
class Supplement:
    prior: dict[str, Value] = field(default_factory=dict)
    budgets: dict[str, BudgetRow] = field(default_factory=dict)
    facts: dict[str, Value] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)
    performance: list = field(default_factory=list)  # PerfProject per 绩效-N sheet (reportgen.performance)
    key_evaluations: list[KeyEvaluation] = field(default_factory=list)  # 重点评价 sheet

    def budget(self, code: str, basis: str) -> Value | None:
        row = self.budgets.get(code)
        return row.amounts.get(basis) if row else None


@dataclass
class Disclosure:
    settings: Settings
    tables: dict[str, Table]
    snippets: dict[str, str] = field(default_factory=dict)
    source: str = ""
    supplement: Supplement = field(default_factory=lambda: Supplement())

    def unfilled(self) -> list[str]:
        """Tables present but not filled in yet (every amount blank or 0), in table order."""
        return [tid for tid, t in sorted(self.tables.items())
                if tid not in EMPTY_MEANS_NONE and not is_filled(t)]

    def nothing_filled(self) -> bool:
        """True for a fresh `init` workbook: no table holds a single amount."""
        return not any(is_filled(t) for t in self.tables.values())

