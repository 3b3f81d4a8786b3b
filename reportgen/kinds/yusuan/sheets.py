"""The 部门预算 workbook's table sheets as both the writer and the reader see them: header trees
with the 科目编码 column 表1/表6 add, fixed 收入 lines, 表11's section labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layouts import TABLES, Header

YEAR_IN_LABELS = "2022年"  # how layouts.py spelled the year in header labels before {year}

# 表1/表6 收入 lines: key, label as 表1 prints it (表6 prints it without the ordinal), level.
INCOME_LINES: tuple[tuple[str, str, int], ...] = (
    ("gov", "一、政府预算拨款", 1),
    ("gpb", "1. 一般公共预算拨款", 2),
    ("gf", "2. 政府性基金预算拨款", 2),
    ("soc", "3. 国有资本经营预算拨款", 2),
    ("fiscal_account", "二、财政专户管理资金", 1),
    ("unit_funds", "三、单位资金", 1),
    ("business", "1. 事业收入", 2),
    ("operating", "2. 事业单位经营收入", 2),
    ("superior", "3. 上级补助收入", 2),
    ("affiliated", "4. 附属单位上缴收入", 2),
    ("other", "5. 其他收入", 2),
    ("income_total", "本年收入合计", 0),
    ("carryover", "上年结余、结转", 0),
    ("grand_total", "收入总计", 0),
)
T06_INCOME = ("gov", "gpb", "gf", "soc", "income_total", "carryover", "grand_total")
INCOME_TOTALS = ("income_total", "carryover", "grand_total")
# 表1/表6 支出 rows that are not 科目: key, label.
EXPENDITURE_TOTALS: tuple[tuple[str, str], ...] = (
    ("total", "本年支出合计"), ("carry_forward", "结转下年"), ("grand_total", "支出总计"))
CLASS_ORDINALS = "一二三四五六七八九十"
T11_NAME, T11_DEPARTMENT = "部门（单位）名称", "主管部门"
T11_GOALS, T11_INDICATORS, T11_TOTAL = "年度总体目标", "年度绩效指标", "金额合计"
T11_INDICATOR_HEAD = ("一级指标", "二级指标", "三级指标", "目标值")


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])\s*")


def strip_ordinal(text: str) -> str:
    """A label without its 一、 / （一） / 1. prefix."""
    return _ORDINAL.sub("", text.strip())


@dataclass(frozen=True)
class HeadCell:
    row: int  # 0-based header line
    col: int  # 0-based column
    rowspan: int
    colspan: int
    label: str


def _depth(h: Header) -> int:
    return 1 + max((_depth(c) for c in h.children), default=0)


def year_label(label: str, year: int) -> str:
    """A layout label with the seed's year replaced by the budget's."""
    if not year:
        return label.replace("{year}", "")
    return label.replace("{year}", str(year)).replace(YEAR_IN_LABELS, f"{year}年")


def columns_of(tid: str) -> tuple[Header, ...]:
    """The workbook's header tree of a table: the layout's, 表1/表6 with their 科目编码 column."""
    t = TABLES[tid]
    if t.shape != "paired":
        return t.columns
    income, _spend = t.columns
    amount = income.children[1]
    return (Header("收入", None, (Header("项目"), amount)),
            Header("支出", None, (Header("科目编码"), Header("项目"), amount)))


def head_cells(columns: tuple[Header, ...], year: int = 0) -> tuple[list[HeadCell], int, int]:
    """The header tree as positioned cells, with its depth and width."""
    depth = max(_depth(c) for c in columns)
    cells: list[HeadCell] = []

    def place(h: Header, level: int, col: int) -> int:
        width = len(h.leaves())
        rowspan = 1 if h.children else depth - level
        cells.append(HeadCell(level, col, rowspan, width, year_label(h.label, year)))
        c = col
        for child in h.children:
            c = place(child, level + 1, c)
        return col + width

    col = 0
    for h in columns:
        col = place(h, 0, col)
    return cells, depth, col
