"""The 部门预算 identities (勾稽关系) as rule records, and their check with rounding tolerance.

A rule says Σ left = Σ right (or ≤) over cell addresses: `t02.unit.gpb_perf` (table, row, column),
`t01.income.carryover` (paired tables: table, side, row), `n.<id>` (a narrative figure, its
corrected value where the document is wrong), `f.<path>` / `u.<path>` (facts, unit). Fixed rules
are records below; rules over variable rows (科目 trees, projects, tasks) are generated from the
rows present. Integer 万元 tables round every cell, so a residue up to n × ½ unit (n = nonzero
cells on the longer side) is rounding, beyond it an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

UNIT_FUNDS = ("business", "operating", "superior", "affiliated", "other")
T02_COLS = ("gpb", "gpb_basic", "gpb_perf", "gpb_special", "gpb_invest", "gf", "soc", "fiscal_account",
            *UNIT_FUNDS, "carryover")


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    op: str = "eq"  # eq: Σ left = Σ right; le: Σ left ≤ Σ right
    scope: str = "table"  # table | cross | narrative | reconstruction

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Finding:
    rule: Rule
    left: Decimal
    right: Decimal
    residue: Decimal
    tolerance: Decimal
    status: str  # ok | rounding | error


def _r(rid: str, text: str, left: str, right: str, op: str = "eq", scope: str = "table") -> Rule:
    return Rule(rid, text, tuple(left.split()), tuple(right.split()), op, scope)


_I = "t01.income."
_UF1 = " ".join(_I + k for k in UNIT_FUNDS)
_UF2 = " ".join("t02.unit." + k for k in UNIT_FUNDS)
FIXED: tuple[Rule, ...] = (
    _r("T01-01", "表1 政府预算拨款 = 一般公共预算拨款 + 政府性基金预算拨款 + 国有资本经营预算拨款",
       _I + "gov", f"{_I}gpb {_I}gf {_I}soc"),
    _r("T01-02", "表1 单位资金 = 事业收入 + 事业单位经营收入 + 上级补助收入 + 附属单位上缴收入 + 其他收入",
       _I + "unit_funds", _UF1),
    _r("T01-03", "表1 本年收入合计 = 政府预算拨款 + 财政专户管理资金 + 单位资金",
       _I + "income_total", f"{_I}gov {_I}fiscal_account {_I}unit_funds"),
    _r("T01-04", "表1 收入总计 = 本年收入合计 + 上年结余、结转", _I + "grand_total", f"{_I}income_total {_I}carryover"),
    _r("T01-05", "表1 支出总计 = 本年支出合计 + 结转下年",
       "t01.expenditure.grand_total", "t01.expenditure.total t01.expenditure.carry_forward"),
    _r("T01-06", "表1 收入总计 = 支出总计", _I + "grand_total", "t01.expenditure.grand_total"),
    _r("T02-01", "表2 一般公共预算拨款小计 = 基本支出拨款 + 履职类 + 财政专项 + 政府投资项目拨款",
       "t02.unit.gpb", "t02.unit.gpb_basic t02.unit.gpb_perf t02.unit.gpb_special t02.unit.gpb_invest"),
    _r("T02-02", "表2 收入总计 = 一般公共预算拨款 + 政府性基金 + 国有资本经营 + 财政专户 + 单位资金各项"
       " + 上年结余、结转",
       "t02.unit.total",
       f"t02.unit.gpb t02.unit.gf t02.unit.soc t02.unit.fiscal_account {_UF2} t02.unit.carryover"),
    _r("T03-01", "表3 支出总计 = 基本支出 + 项目支出", "t03.unit.total", "t03.unit.basic t03.unit.project"),
    _r("T03-02", "表3 其中：面向中小企业 ≤ 政府采购小计", "t03.unit.procurement_sme", "t03.unit.procurement", "le"),
    _r("T03-03", "表3 其中：面向小型、微型企业 ≤ 面向中小企业", "t03.unit.procurement_micro",
       "t03.unit.procurement_sme", "le"),
    _r("T06-01", "表6 政府预算拨款 = 一般公共预算 + 政府性基金 + 国有资本经营",
       "t06.income.gov", "t06.income.gpb t06.income.gf t06.income.soc"),
    _r("T06-02", "表6 本年收入合计 = 政府预算拨款", "t06.income.income_total", "t06.income.gov"),
    _r("T06-03", "表6 收入总计 = 本年收入合计 + 上年结余、结转",
       "t06.income.grand_total", "t06.income.income_total t06.income.carryover"),
    _r("T06-04", "表6 支出总计 = 本年支出合计 + 结转下年",
       "t06.expenditure.grand_total", "t06.expenditure.total t06.expenditure.carry_forward"),
    _r("T06-05", "表6 收入总计 = 支出总计", "t06.income.grand_total", "t06.expenditure.grand_total"),
    _r("T08-01", "表8 上年 总计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行维护费",
       "t08.prior.total", "t08.prior.abroad t08.prior.reception t08.prior.car"),
    _r("T08-02", "表8 本年 总计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行维护费",
       "t08.current.total", "t08.current.abroad t08.current.reception t08.current.car"),
    _r("T08-03", "表8 增减变化金额 总计 = 各项之和", "t08.change.total",
       "t08.change.abroad t08.change.reception t08.change.car"),
    *(
        _r(f"T08-{4 + i}", f"表8 {y} 公务用车 小计 = 购置费 + 运行维护费", f"t08.{k}.car",
           f"t08.{k}.car_purchase t08.{k}.car_running")
        for i, (k, y) in enumerate((("prior", "上年"), ("current", "本年"), ("change", "增减变化金额")))
    ),
    *(
        _r(f"T08-{7 + i}", f"表8 本年 = 上年 + 增减变化金额（{c}）", f"t08.current.{c}",
           f"t08.prior.{c} t08.change.{c}")
        for i, c in enumerate(("total", "abroad", "reception", "car", "car_purchase", "car_running"))
    ),
    _r("T11-01", "表11 金额合计 总额 = 财政拨款 + 其他资金", "t11.total.total", "t11.total.fiscal t11.total.other"),
    # Between tables.
    _r("X-01", "表2 收入总计 = 表1 收入总计", "t02.unit.total", _I + "grand_total", scope="cross"),
    *(
        _r(f"X-02-{k}", f"表2 {k} = 表1 同项", f"t02.unit.{k}", _I + k, scope="cross")
        for k in ("gpb", "gf", "soc", "fiscal_account", *UNIT_FUNDS, "carryover")
    ),
    _r("X-03", "表3 支出总计 = 表1 本年支出合计", "t03.unit.total", "t01.expenditure.total", scope="cross"),
    _r("X-04", "表3 基本支出 = 表2 基本支出拨款", "t03.unit.basic", "t02.unit.gpb_basic", scope="cross"),
    _r("X-05", "表4 合计 = 表3 基本支出", "t04.total.budget", "t03.unit.basic", scope="cross"),
    _r("X-06", "表5 总计 = 表3 项目支出", "t05.total.total", "t03.unit.project", scope="cross"),
    *(
        _r(f"X-07-{k}", f"表5 合计行 {k} = 表2 同列", f"t05.total.{k}", f"t02.unit.{k}", scope="cross")
        for k in T02_COLS if k not in ("gpb", "gpb_basic")
    ),
    _r("X-08", "表2 一般公共预算拨款小计 = 基本支出拨款 + 表5 一般公共预算拨款小计",
       "t02.unit.gpb", "t02.unit.gpb_basic t05.total.gpb", scope="cross"),
    *(
        _r(f"X-09-{k}", f"表6 {k} = 表1 同项", f"t06.income.{k}", _I + k, scope="cross")
        for k in ("gov", "gpb", "gf", "soc", "carryover")
    ),
    _r("X-10", "表1 本年支出合计 = 表6 本年支出合计 + 单位资金 + 财政专户管理资金",
       "t01.expenditure.total", f"t06.expenditure.total {_I}unit_funds {_I}fiscal_account", scope="cross"),
    _r("X-11", "表6 本年支出合计 = 表7 + 表9 + 表10 支出总计",
       "t06.expenditure.total", "t07.total.total t09.total.total t10.total.total", scope="cross"),
    _r("X-12", "表7 支出总计 = 表2 一般公共预算拨款 + 上年结余、结转",
       "t07.total.total", "t02.unit.gpb t02.unit.carryover", scope="cross"),
    _r("X-13", "表7 基本支出 = 表3 基本支出", "t07.total.basic", "t03.unit.basic", scope="cross"),
    _r("X-14", "表7 项目支出 = 表5 一般公共预算拨款小计 + 上年结余、结转",
       "t07.total.project", "t05.total.gpb t05.total.carryover", scope="cross"),
    _r("X-15", "表9 支出总计 = 表2 政府性基金预算拨款", "t09.total.total", "t02.unit.gf", scope="cross"),
    _r("X-16", "表10 支出总计 = 表2 国有资本经营预算拨款", "t10.total.total", "t02.unit.soc", scope="cross"),
    _r("X-17", "表11 金额合计 = 表1 收入总计", "t11.total.total", _I + "grand_total", scope="cross"),
    _r("X-18", "表11 财政拨款合计 = 表6 收入总计", "t11.total.fiscal", "t06.income.grand_total", scope="cross"),
    _r("X-19", "表11 其他资金合计 = 表1 单位资金 + 财政专户管理资金",
       "t11.total.other", f"{_I}unit_funds {_I}fiscal_account", scope="cross"),
    _r("X-20", "表11 基本支出 = 表3 基本支出", "t11.basic.total", "t03.unit.basic", scope="cross"),
    _r("X-21", "表11 基本支出 财政拨款 = 表2 基本支出拨款", "t11.basic.fiscal", "t02.unit.gpb_basic", scope="cross"),
    # 表4 is reconstructed: these tie its inferred rows to what 表7 and the text state.
    _r("R-01", "表4 30108 机关事业单位基本养老保险缴费 = 表7 2080505 基本支出",
       "t04.30108.budget", "t07.2080505.basic", scope="reconstruction"),
    _r("R-02", "表4 30109 职业年金缴费 = 表7 2080506 基本支出",
       "t04.30109.budget", "t07.2080506.basic", scope="reconstruction"),
    _r("R-03", "表4 30113 住房公积金 = 表7 2210201 基本支出",
       "t04.30113.budget", "t07.2210201.basic", scope="reconstruction"),
    _r("R-04", "表5 财政对医疗保障的补助 = 表7 21011 + 21012 + 21013 项目支出",
       "t05.subsidy.total", "t07.21011.project t07.21012.project t07.21013.project", scope="reconstruction"),
    _r("R-05", "表5 区财政安排项目 其他收入 = 表1 2101599 其他医疗保障管理事务支出",
       "t05.district.other", "t01.expenditure.2101599", scope="reconstruction"),
    _r("R-06", "表4 302 商品和服务支出 = 机关运行经费（第八部分）", "t04.302.budget", "n.p8_admin_cost",
       scope="reconstruction"),
    # Narrative sums (figures only the text states).
    _r("N-01", "第三部分 预算总额 = 人员 + 公用 + 对个人和家庭 + 项目支出",
       "n.p3_total", "n.p3_personnel n.p3_public n.p3_family n.p3_project", scope="narrative"),
    _r("N-02", "第三部分 医疗保障综合管理 = 员额经费 + 医保综合业务管理",
       "n.p3_general", "n.p3_general_staff_cost n.p3_general_business", scope="narrative"),
    _r("N-03", "第三部分 信息化系统运行维护 = 专网建设运维 + 后续运营费",
       "n.p3_it_ops", "n.p3_it_ops_network n.p3_it_ops_operation", scope="narrative"),
    _r("N-04", "第三部分 信息化新建项目 = 医保电子凭证 + 数据治理",
       "n.p3_it_new", "n.p3_it_new_ecert n.p3_it_new_data", scope="narrative"),
    _r("N-05", "第四部分 政府采购 = 货物 + 工程 + 服务",
       "n.p4_procurement", "n.p4_goods n.p4_works n.p4_services", scope="narrative"),
    _r("N-06", "第五部分 公务用车购置和运行维护费 = 购置费 + 运行维护费",
       "n.p5_car", "n.p5_car_purchase n.p5_car_running", scope="narrative"),
)


def _paired(table: Mapping[str, Any], side: str) -> list[dict]:
    return list(table.get(side, []))


def _children(code: str, codes: list[str]) -> list[str]:
    return [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]


def _tree(prefix: str, rid: str, label: str, codes: list[str], total: str | None) -> list[Rule]:
    """Class = Σ 款, 款 = Σ 项, and (when given) the total row = Σ classes; `prefix` + code is a cell."""
    out = []
    for code in codes:
        kids = _children(code, codes)
        if kids:
            out.append(Rule(f"{rid}-{code}", f"{label} {code} = 下级科目之和", (prefix.format(code),),
                            tuple(prefix.format(k) for k in kids)))
    if total:
        classes = [c for c in codes if len(c) == 3]
        out.append(Rule(f"{rid}-total", f"{label} 合计 = 各类之和", (prefix.format(total),),
                        tuple(prefix.format(c) for c in classes)))
    return out


def _codes(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows if r.get("code")]


def generated(ref: Mapping[str, Any]) -> list[Rule]:
    """The rules over variable rows: 科目 trees, per-row and per-column sums, row-wise cross-table ties."""
    t = ref["tables"]
    out: list[Rule] = []
    exp = {tid: _codes(_paired(t[tid], "expenditure")) for tid in ("t01", "t06")}
    for tid in ("t01", "t06"):
        out += _tree(tid + ".expenditure.{}", f"{tid.upper()}-E", f"表{int(tid[1:])} 支出", exp[tid], "total")
    for tid in ("t07", "t09", "t10"):
        codes = _codes(t[tid]["rows"])
        n = int(tid[1:])
        for col in ("total", "basic", "project"):
            out += _tree(f"{tid}.{{}}.{col}", f"{tid.upper()}-{col}", f"表{n} {col}", codes, "total")
        for row in t[tid]["rows"]:
            k = row["key"]
            out.append(Rule(f"{tid.upper()}-row-{k}", f"表{n} {row['label']} 支出总计 = 基本支出 + 项目支出",
                            (f"{tid}.{k}.total",), (f"{tid}.{k}.basic", f"{tid}.{k}.project")))
    # 表6 科目 = the same 科目 in 表7 / 表9 / 表10; 表1 科目 = 表6 + the 单位资金 科目 表6 lacks.
    subject = {tid: set(_codes(t[tid]["rows"])) for tid in ("t07", "t09", "t10")}
    for code in exp["t06"]:
        src = tuple(f"{tid}.{code}.total" for tid in ("t07", "t09", "t10") if code in subject[tid])
        if src:
            out.append(Rule(f"X-E6-{code}", f"表6 {code} = 表7/表9/表10 同科目", (f"t06.expenditure.{code}",), src,
                            scope="cross"))
    in6 = set(exp["t06"])
    only1 = [c for c in exp["t01"] if c not in in6 and (len(c) == 3 or c[:-2] in in6)]
    for code in exp["t01"]:
        if code in in6:
            extra = tuple(f"t01.expenditure.{c}" for c in only1 if c.startswith(code) and c != code)
            out.append(Rule(f"X-E1-{code}", f"表1 {code} = 表6 同科目 + 单位资金安排的下级科目",
                            (f"t01.expenditure.{code}",), (f"t06.expenditure.{code}", *extra), scope="cross"))
    if only1:
        out.append(Rule("X-E1-only", "表1 中表6 没有的科目之和 = 单位资金 + 财政专户管理资金",
                        tuple(f"t01.expenditure.{c}" for c in only1),
                        ("t01.income.unit_funds", "t01.income.fiscal_account"), scope="cross"))
    out += _t04(t["t04"]["rows"]) + _t05(t["t05"]["rows"]) + _t11(t["t11"]["rows"])
    return out + _narrative(ref)


def _t04(rows: list[dict]) -> list[Rule]:
    out = [Rule("T04-total", "表4 合计 = 各类之和", ("t04.total.budget",),
                tuple(f"t04.{r['key']}.budget" for r in rows if r["kind"] == "class"))]
    for cls in (r for r in rows if r["kind"] == "class"):
        kids = tuple(f"t04.{r['key']}.budget" for r in rows if r.get("parent") == cls["key"])
        if kids:
            out.append(Rule(f"T04-{cls['key']}", f"表4 {cls['code']} {cls['label']} = 各款之和",
                            (f"t04.{cls['key']}.budget",), kids))
    return out


def _t05(rows: list[dict]) -> list[Rule]:
    out = []
    projects = [r["key"] for r in rows if r["key"] != "total"]
    for k in (r["key"] for r in rows):
        c = f"t05.{k}."
        out.append(Rule(f"T05-gpb-{k}", f"表5 {k} 一般公共预算拨款小计 = 履职类 + 财政专项 + 政府投资",
                        (c + "gpb",), (c + "gpb_perf", c + "gpb_special", c + "gpb_invest")))
        out.append(Rule(f"T05-total-{k}", f"表5 {k} 总计 = 一般公共预算 + 基金 + 国资 + 专户 + 单位资金 + 上年结转",
                        (c + "total",),
                        tuple(c + x for x in ("gpb", "gf", "soc", "fiscal_account", *UNIT_FUNDS, "carryover"))))
    for col in ("total", *(k for k in T02_COLS if k != "gpb_basic")):
        out.append(Rule(f"T05-col-{col}", f"表5 合计 {col} = 各项目之和", (f"t05.total.{col}",),
                        tuple(f"t05.{p}.{col}" for p in projects)))
    return out


def _t11(rows: list[dict]) -> list[Rule]:
    out = []
    tasks = [r for r in rows if r["key"] != "total"]
    for r in tasks:
        k = r["key"]
        out.append(Rule(f"T11-row-{k}", f"表11 {r['label']} 总额 = 财政拨款 + 其他资金",
                        (f"t11.{k}.total",), (f"t11.{k}.fiscal", f"t11.{k}.other")))
        if p := r.get("project"):
            c = f"t05.{p}."
            out += [
                Rule(f"X-T11-{k}", f"表11 {r['label']} = 表5 同项目 总计", (f"t11.{k}.total",), (c + "total",),
                     scope="cross"),
                Rule(f"X-T11f-{k}", f"表11 {r['label']} 财政拨款 = 表5 一般公共预算 + 基金 + 国资 + 上年结余、结转",
                     (f"t11.{k}.fiscal",), (c + "gpb", c + "gf", c + "soc", c + "carryover"), scope="cross"),
                Rule(f"X-T11o-{k}", f"表11 {r['label']} 其他资金 = 表5 财政专户 + 单位资金",
                     (f"t11.{k}.other",), tuple(c + x for x in ("fiscal_account", *UNIT_FUNDS)), scope="cross"),
            ]
    for col in ("total", "fiscal", "other"):
        out.append(Rule(f"T11-col-{col}", f"表11 金额合计 {col} = 各任务之和", (f"t11.total.{col}",),
                        tuple(f"t11.{r['key']}.{col}" for r in tasks)))
    return out


def _narrative(ref: Mapping[str, Any]) -> list[Rule]:
    """A figure whose formula is a table cell (or a sum of them) must equal it; 经办 details sum to it."""
    out = []
    for fig in ref["narrative_figures"]:
        f = fig["formula"]
        cells = (f,) if isinstance(f, str) else tuple(f["sum"]) if isinstance(f, dict) and "sum" in f else ()
        if cells and all(isinstance(c, str) and c[:2] in ("t0", "t1") for c in cells):
            out.append(Rule(f"N-{fig['id']}", f"{fig['section'][:4]}「{fig['text']}」= 表中数",
                            (f"n.{fig['id']}",), cells, scope="narrative"))
    details = tuple(f"n.{x['id']}" for x in ref["narrative_figures"] if x["id"].startswith("p3_handling_")
                    and x["unit"] == "万元" and x["formula"] is None and x["id"] != "p3_handling_threshold")
    out.append(Rule("N-07", "第三部分 医疗保障经办管理 = 各明细之和", ("n.p3_handling",), details, scope="narrative"))
    return out


def all_rules(ref: Mapping[str, Any]) -> list[Rule]:
    return [*FIXED, *generated(ref)]


def table_cells(ref: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """Every amount cell of the tables by address (None = printed blank)."""
    out: dict[str, Decimal | None] = {}
    for tid, table in ref["tables"].items():
        for side in ("income", "expenditure"):
            for row in table.get(side, []):
                out[f"{tid}.{side}.{row['key']}"] = _dec(row["amount"])
        for row in table.get("rows", []):
            for col, v in row["values"].items():
                out[f"{tid}.{row['key']}.{col}"] = _dec(v)
    return out


def _dec(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


def precision_of(ref: Mapping[str, Any], addr: str) -> Decimal:
    """The rounding unit of a cell: its table's precision, or a narrative figure's printed decimals."""
    head, _, rest = addr.partition(".")
    if head == "n":
        fig = next(f for f in ref["narrative_figures"] if f["id"] == rest)
        return Decimal(1).scaleb(Decimal(fig["value"]).as_tuple().exponent)
    if head in ref["tables"]:
        return Decimal(ref["tables"][head]["precision"])
    return Decimal(1)


def values(ref: Mapping[str, Any]) -> dict[str, Decimal]:
    """All addressable amounts: table cells (blank = 0) and numeric narrative figures (corrected)."""
    out = {k: v if v is not None else Decimal(0) for k, v in table_cells(ref).items()}
    for fig in ref["narrative_figures"]:
        v = fig["value"] if fig["correct"] else fig["corrected"]
        try:
            out[f"n.{fig['id']}"] = Decimal(v)
        except ArithmeticError:
            continue  # a date or a text figure
    return out


def check(rules: list[Rule], vals: Mapping[str, Decimal], precision: Mapping[str, Decimal]) -> list[Finding]:
    out = []
    for rule in rules:
        left = sum((vals[c] for c in rule.left), Decimal(0))
        right = sum((vals[c] for c in rule.right), Decimal(0))
        n = max(1, sum(1 for c in rule.left if vals[c]), sum(1 for c in rule.right if vals[c]))
        unit = max(precision[c] for c in rule.cells)
        tol = n * unit / 2
        residue = left - right
        if rule.op == "le":
            status = "ok" if residue <= 0 else "rounding" if residue <= tol else "error"
        else:
            status = "ok" if residue == 0 else "rounding" if abs(residue) <= tol else "error"
        out.append(Finding(rule, left, right, residue, tol, status))
    return out
