"""The eleven 部门预算 tables (seed 003, a 2022 医保中心 budget) as data: titles, column header trees, row kinds.

Not imported by the engine yet: the kind plug-in seam will read it. Leaf `key`s are the column
keys of seed 003's reference JSON (under `data/reference/`) and of the cell addresses
the identities in `rules.py` name (`t02.unit.gpb_perf`, `t01.income.carryover`, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Header:
    """One header cell: a leaf (with `key`) or a group spanning its children."""

    label: str
    key: str | None = None
    children: tuple[Header, ...] = ()

    def leaves(self) -> list[Header]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass(frozen=True)
class YusuanTable:
    id: str  # t01 … t11
    number: int
    title: str
    # paired: 收入 ‖ 支出 sides with one amount column; grid: fixed rows × a header tree;
    # subject: 合计 row then 功能分类 科目 rows; economic: 经济分类 类/款 rows; years: one row
    # per year plus 增减变化金额; tasks: 任务 rows, 年度总体目标 and a 三级 indicator tree.
    shape: str
    columns: tuple[Header, ...]
    row_kinds: tuple[str, ...]
    note: str = ""
    precision: Decimal = Decimal("1")  # integer 万元; 三公 prints 2 dp
    landscape: bool = False  # printed on a landscape page (the wide 表2 and 表5)

    @property
    def label(self) -> str:
        return f"表{self.number}"

    def keys(self) -> list[str]:
        """The amount columns' keys, left to right."""
        return [leaf.key for col in self.columns for leaf in col.leaves() if leaf.key]


def _h(label: str, key: str | None = None, *children: Header) -> Header:
    return Header(label, key, tuple(children))


UNIT_FUNDS = _h(
    "单位资金", None,
    _h("事业收入", "business"), _h("事业单位经营收入", "operating"), _h("上级补助收入", "superior"),
    _h("附属单位上缴收入", "affiliated"), _h("其他收入", "other"),
)


def _gov(with_basic: bool) -> Header:
    gpb = [_h("小计", "gpb")]
    if with_basic:
        gpb.append(_h("基本支出拨款", "gpb_basic"))
    gpb += [_h("履职类项目拨款", "gpb_perf"), _h("财政专项资金拨款", "gpb_special"),
            _h("政府投资项目拨款", "gpb_invest")]
    return _h(
        "政府预算拨款", None,
        _h("一般公共预算拨款", None, *gpb),
        _h("政府性基金预算拨款", "gf"), _h("国有资本经营预算拨款", "soc"),
    )


PAIRED = (
    _h("收入", None, _h("项目"), _h("{year}年预算数", "amount")),
    _h("支出", None, _h("项目"), _h("{year}年预算数", "amount")),
)
SUBJECT = (
    _h("预算单位"), _h("科目编码"), _h("科目名称"),
    _h("支出总计", "total"), _h("基本支出", "basic"), _h("项目支出", "project"),
)

TABLES: dict[str, YusuanTable] = {
    t.id: t
    for t in (
        YusuanTable(
            "t01", 1, "收支总表", "paired", PAIRED,
            ("income", "expenditure"),
            note="注：财政拨款收支情况包括一般公共预算、政府性基金预算、国有资本经营预算拨款收支情况。\n"
            "本套报表金额单位转换时可能存在尾数误差。",
        ),
        YusuanTable(
            "t02", 2, "收入总表", "grid",
            (
                _h("预算单位"), _h("收入总计", "total"),
                _h("本年收入", None, _gov(True), _h("财政专户管理资金", "fiscal_account"), UNIT_FUNDS),
                _h("上年结余、结转", "carryover"),
            ),
            ("unit",),
            landscape=True,
        ),
        YusuanTable(
            "t03", 3, "支出总表", "grid",
            (
                _h("预算单位"), _h("支出总计", "total"), _h("基本支出", "basic"), _h("项目支出", "project"),
                _h(
                    "{year}年政府采购项目", None, _h("小计", "procurement"),
                    _h("其中：面向中小企业政府采购项目", "procurement_sme"),
                    _h("其中：面向小型、微型企业政府采购项目", "procurement_micro"),
                ),
            ),
            ("unit",),
        ),
        # 表4 is missing from the seed's text; reconstructed by 经济分类 (see the reference's notes).
        YusuanTable(
            "t04", 4, "基本支出总表", "economic",
            (_h("经济分类科目编码"), _h("科目名称"), _h("{year}年预算数", "budget")),
            ("total", "class", "item", "residual"),
        ),
        YusuanTable(
            "t05", 5, "项目支出总表", "grid",
            (
                _h("支出项目类别"),
                _h(
                    "{year}年预算", None, _h("总计", "total"), _gov(False),
                    _h("财政专户管理资金", "fiscal_account"), UNIT_FUNDS, _h("上年结余、结转", "carryover"),
                ),
            ),
            ("project", "total"),
            landscape=True,
        ),
        YusuanTable("t06", 6, "政府预算拨款收支总表", "paired", PAIRED, ("income", "expenditure")),
        YusuanTable("t07", 7, "一般公共预算支出表（按功能分类）", "subject", SUBJECT, ("total", "subject")),
        YusuanTable(
            "t08", 8, "一般公共预算“三公”经费支出表", "years",
            (
                _h("预算单位"), _h("年度"), _h("总计", "total"), _h("因公出国(境)费", "abroad"),
                _h("公务接待费", "reception"),
                _h(
                    "公务用车购置及运行维护费", None, _h("小计", "car"), _h("公务用车购置费", "car_purchase"),
                    _h("公务用车运行维护费", "car_running"),
                ),
            ),
            ("year", "change"),
            note="注：无。",
            precision=Decimal("0.01"),
        ),
        YusuanTable("t09", 9, "政府性基金预算支出表", "subject", SUBJECT, ("total", "subject"), note="注：无。"),
        YusuanTable(
            "t10", 10, "国有资本经营预算支出表", "subject", SUBJECT, ("total", "subject"),
            note="注：本表本年无发生额。",
        ),
        YusuanTable(
            "t11", 11, "部门（单位）整体支出绩效目标表", "tasks",
            (
                _h("任务名称"), _h("主要内容"),
                _h(
                    "预算金额（万元）", None, _h("总额", "total"), _h("其中：财政拨款", "fiscal"),
                    _h("其中：其他资金", "other"),
                ),
            ),
            ("task", "total", "goal", "indicator"),
        ),
    )
}
