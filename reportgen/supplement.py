"""Supplementary inputs the narrative needs beyond the nine tables.

Sheets (all written by `reportgen init`, each a simple list a person can fill in):
- 上年数: 项目 | 上年决算数 — every prior-year figure the narrative compares with; or take
  them from last year's workbook with `--prior LAST.xlsx`.
- 预算数: 科目编码 | 科目名称 | 年初预算数 | 调整预算数 | 全年预算数 — per 项/类, and 合计
  for the 一般公共预算财政拨款支出 total.
- 情况: 项目 | 数值 — “三公” counts, 机关运行经费, 政府采购, 国有资产, 绩效 summary.
- 绩效项目: one row per project self-evaluation.
- 名词解释: 名词或科目编码 | 解释 — add or override glossary entries.
"""

from __future__ import annotations

from decimal import Decimal

from .grid import Grid, clean
from .limits import AMOUNT_RANGE
from .model import (
    BudgetRow,
    Disclosure,
    KeyEvaluation,
    PairedTable,
    Project,
    SingleRowTable,
    SubjectTable,
    Supplement,
    Value,
)
from .money import ZERO, normalise_text, parse_amount, prose_text
from .settings import Reports

PRIOR_SHEET, BUDGET_SHEET, FACT_SHEET = "上年数", "预算数", "情况"
PROJECT_SHEET, GLOSSARY_SHEET = "绩效项目", "名词解释"
KEY_EVALUATION_SHEET = "重点评价"
# The supplementary sheets in the order `init` writes them (the 绩效-N sheets go between).
SUPPLEMENT_SHEETS = (PRIOR_SHEET, BUDGET_SHEET, FACT_SHEET, PROJECT_SHEET, KEY_EVALUATION_SHEET, GLOSSARY_SHEET)
KEY_EVALUATION_COLUMNS = ("项目名称", "评价涉及资金", "评价得分", "评价等级", "评价方式", "主要结论")

# 上年数: key → how it is found in last year's tables (None: not in the tables).
PRIOR_KEYS: tuple[tuple[str, str | None], ...] = (
    ("收支总计", "t01.income.grand_total"),
    ("本年收入合计", "t01.income.income_total"),
    ("财政拨款收入", "t01.income.gpb+gf+soc"),
    ("上级补助收入", "t01.income.superior"),
    ("事业收入", "t01.income.business"),
    ("经营收入", "t01.income.operating"),
    ("附属单位上缴收入", "t01.income.affiliated"),
    ("其他收入", "t01.income.other"),
    ("本年支出合计", "t01.expenditure.expenditure_total"),
    ("基本支出", "t03.1"),
    ("项目支出", "t03.2"),
    ("上缴上级支出", "t03.3"),
    ("经营支出", "t03.4"),
    ("对附属单位补助支出", "t03.5"),
    ("财政拨款收支总计", "t04.income.grand_total"),
    ("财政拨款支出", "t04.expenditure.expenditure_total"),
    ("一般公共预算财政拨款支出", "t05.0"),
    ("一般公共预算财政拨款基本支出", "t05.1"),
    ("一般公共预算财政拨款项目支出", "t05.2"),
    ("“三公”经费", "t07.6"),
    ("因公出国（境）费", "t07.7"),
    ("公务用车购置及运行费", "t07.8"),
    ("公务用车购置费", "t07.9"),
    ("公务用车运行费", "t07.10"),
    ("公务接待费", "t07.11"),
    ("机关运行经费", None),
)

FACT_KEYS: tuple[tuple[str, str], ...] = (
    ("因公出国团组数", "个"), ("因公出国人次", "人次"),
    ("公务用车购置数", "辆"), ("公务用车保有量", "辆"),
    ("国内公务接待批次", "批次"), ("国内公务接待人次", "人次"),
    ("外事接待批次", "批次"), ("外事接待人次", "人次"),
    ("国（境）外接待批次", "批次"), ("国（境）外接待人次", "人次"),
    ("国内接待费", "万元"), ("国（境）外接待费", "万元"),
    ("机关运行经费", "万元"), ("机关运行经费年初预算", "万元"),
    ("政府采购总额", "万元"), ("政府采购货物支出", "万元"), ("政府采购工程支出", "万元"),
    ("政府采购服务支出", "万元"), ("授予中小企业合同金额", "万元"), ("授予小微企业合同金额", "万元"),
    ("资产总额", "万元"), ("流动资产", "万元"), ("非流动资产", "万元"),
    ("车辆总数", "辆"), ("领导干部用车", "辆"), ("一般公务用车", "辆"), ("一般执法执勤用车", "辆"),
    ("执法执勤用车", "辆"), ("机要通信用车", "辆"), ("应急保障用车", "辆"),
    ("特种专业技术用车", "辆"), ("离退休干部用车", "辆"), ("其他用车", "辆"),
    ("单价50万元以上通用设备", "台（套）"), ("单价100万元以上专用设备", "台（套）"),
    ("绩效自评项目数", "个"), ("绩效一级项目数", "个"), ("绩效二级项目数", "个"),
    ("绩效涉及资金", "万元"), ("自评等级优", "个"), ("自评等级良", "个"), ("自评等级中", "个"),
    ("自评等级差", "个"),
)
PROJECT_COLUMNS = ("项目名称", "全年预算数", "执行数", "自评得分", "自评等级", "绩效目标完成情况",
                   "主要问题及原因", "下一步改进措施")
BUDGET_COLUMNS = ("年初预算数", "调整预算数", "全年预算数")
GPB_TOTAL = "合计"  # the 预算数 row of the 一般公共预算财政拨款支出 total


def _rows(grid: Grid) -> list[tuple[int, list[tuple[int, str]]]]:
    return [(r, grid.row_texts(r)) for r in range(1, grid.nrows + 1) if grid.row_texts(r)]


def number_cell(grid: Grid, r: int, c: int, reporter: Reports, blanks: tuple[str, ...] = ("",)) -> Value | None:
    """A number cell as a Value; None for a blank (any of `blanks`) or, with one problem line, for text
    that is no amount. Shared by every supplementary sheet and the 绩效 forms."""
    raw = grid.value(r, c)
    if raw is None or clean(raw) in blanks:
        return None
    value = parse_amount(raw)
    if value is None:
        reporter.problem(grid.ref(r, c), f"数值无法识别：读到「{normalise_text(str(raw))[:40]}」，"
                         f"应为数字（{AMOUNT_RANGE}）")
        return None
    return Value(value, grid.ref(r, c))


def _key_values(grid: Grid, keys: set[str], sheet: str, reporter: Reports) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for r, texts in _rows(grid):
        c, key = texts[0]
        if key in ("项目", "键"):
            continue
        if key not in keys:
            reporter.problem(grid.ref(r, c), f"「{sheet}」表有未知项目「{key}」；可用的项目见 reportgen init 生成的表")
            continue
        v = number_cell(grid, r, c + 1, reporter)
        if v is not None:
            out[key] = v
    return out


def read_supplement(grids: dict[str, Grid], reporter: Reports) -> Supplement:
    s = Supplement()
    if (g := grids.get(PRIOR_SHEET)) is not None:
        s.prior = _key_values(g, {k for k, _ in PRIOR_KEYS}, PRIOR_SHEET, reporter)
    if (g := grids.get(FACT_SHEET)) is not None:
        s.facts = _key_values(g, {k for k, _ in FACT_KEYS}, FACT_SHEET, reporter)
    if (g := grids.get(BUDGET_SHEET)) is not None:
        for r, texts in _rows(g):
            c, code = texts[0]
            if code in ("科目编码", "项目"):
                continue
            if code != GPB_TOTAL and (not (code.isascii() and code.isdigit()) or len(code) not in (3, 5, 7)):
                reporter.problem(g.ref(r, c), f"预算数的科目编码应为3/5/7位数字或「合计」，读到「{code}」")
                continue
            amounts = {basis: number_cell(g, r, c + 2 + i, reporter) for i, basis in enumerate(BUDGET_COLUMNS)}
            s.budgets[code] = BudgetRow(code, g.text(r, c + 1), amounts)
    if (g := grids.get(PROJECT_SHEET)) is not None:
        for r, texts in _rows(g):
            c, name = texts[0]
            if name == PROJECT_COLUMNS[0]:
                continue
            s.projects.append(Project(name, number_cell(g, r, c + 1, reporter), number_cell(g, r, c + 2, reporter),
                                      *(prose_cell(g, r, c + i) for i in range(3, 8))))
    if (g := grids.get(KEY_EVALUATION_SHEET)) is not None:
        s.key_evaluations = read_key_evaluations(g, reporter)
    if (g := grids.get(GLOSSARY_SHEET)) is not None:
        for r, texts in _rows(g):
            c, term = texts[0]
            if term in ("名词", "名词或科目编码"):
                continue
            body = g.value(r, c + 1)
            if body is not None and str(body).strip():
                s.glossary[term] = str(body).strip()
    return s


def _prior_value(d: Disclosure, path: str) -> Decimal:
    tid, *rest = path.split(".")
    t = d.tables.get(tid)
    if isinstance(t, PairedTable):
        side, keys = rest
        return t.sum(side, keys)
    if isinstance(t, SubjectTable):
        return t.total[int(rest[0])].amount
    if isinstance(t, SingleRowTable):
        return t.values[int(rest[0])].amount
    return ZERO


def prior_from(last_year: Disclosure) -> dict[str, Value]:
    """上年数 taken from last year's workbook: its tables, and its 情况 for 机关运行经费."""
    out = {}
    for key, path in PRIOR_KEYS:
        if path is None:
            fact = last_year.supplement.facts.get(key)
            if fact is not None:
                out[key] = Value(fact.amount, f"上年 {fact.ref}")
            continue
        out[key] = Value(_prior_value(last_year, path), f"上年 {last_year.source}")
    return out


def prose_cell(g: Grid, r: int, c: int) -> str:
    """A cell of typed prose, as typed ("" when blank)."""
    v = g.value(r, c)
    return prose_text(str(v)) if v is not None else ""


def read_key_evaluations(g: Grid, reporter: Reports) -> list[KeyEvaluation]:
    """The 重点评价 sheet: one evaluated project per row (项目名称, 资金, 得分, 等级, 方式, 结论)."""
    out = []
    for r, texts in _rows(g):
        c, name = texts[0]
        if name == KEY_EVALUATION_COLUMNS[0]:
            continue
        score = number_cell(g, r, c + 2, reporter)
        if score is not None and not 0 <= score.amount <= 100:
            reporter.problem(g.ref(r, c + 2), f"评价得分应在 0 到 100 之间，读到 {score.amount}")
            score = None
        out.append(KeyEvaluation(name, number_cell(g, r, c + 1, reporter), score,
                                 *(prose_cell(g, r, c + i) for i in range(3, 6)), g.ref(r, c)))
    return out
