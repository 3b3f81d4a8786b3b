"""The 绩效-N sheets: one sheet per evaluated project, shaped like the printed 自评表.

Why one sheet per project: a finance office fills (or pastes) each project's 自评表 on its own,
copies a sheet to add a project, and reads it back the way it will be printed; a long-format
list keyed by project would be harder to fill by hand. Layout (column A holds the labels; the
header rows are found by their text, so columns may be moved or added):

    项目名称 | <名称>            主管部门 | <主管部门及代码>        实施单位 | <实施单位>
    金额单位 | 元 / 万元 (blank: the workbook's 金额单位)
    项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    年度资金总额 | …      then one row per source: 财政拨款 / 上年结转资金 / 其他资金 …
    预期目标 | <text>     实际完成情况 | <text>
    一级指标 | 二级指标 | 三级指标 | 评分方法 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    <one row per indicator; a blank 一级/二级 repeats the row above>
    总分 | … | <the typed total in the 得分 column>

Texts may also come from the 文字 sheet or the texts file: `绩效.<项目名称>.<键>` with 键 one of
预期目标, 实际完成情况, 偏差原因, 主要问题, 改进措施 (the sheet's own cell wins).
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from ..grid import Grid, clean
from ..model import Value
from ..money import prose_text
from ..settings import Reports
from ..supplement import number_cell
from .model import Indicator, MoneyRow, PerfProject
from .scoring import METHODS

PREFIX = "绩效-"
WHOLE_SHEET = "绩效-部门整体"  # 部门整体支出绩效评价 (000 附件1-1): the same indicator grid, no 项目资金
MONEY_HEAD = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_HEAD = ("一级指标", "二级指标", "三级指标", "评分方法", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施", "评分标准")
KEYS = {"项目名称": "name", "主管部门": "department", "主管部门及代码": "department", "实施单位": "implementer",
        "预期目标": "goal", "实际完成情况": "outcome"}
UNITS = ("元", "万元")
SOURCES = ("财政拨款", "上年结转资金", "其他资金")  # the rows `init` writes; any label is read


def is_performance_sheet(title: str) -> bool:
    return title.startswith(PREFIX)


def _text(g: Grid, r: int, c: int | None) -> str:
    if c is None:
        return ""
    v = g.value(r, c)
    return prose_text(str(v)) if v is not None else ""




def _number(g: Grid, r: int, c: int | None, reporter: Reports, *, score: bool = False) -> Value | None:
    """A number cell; `score`: a 分值/得分, which lies between 0 and 100."""
    if c is None:
        return None
    value = number_cell(g, r, c, reporter, ("", "—", "-", "/"))
    if value is not None and score and not 0 <= value.amount <= 100:
        reporter.problem(g.ref(r, c), f"分值、得分应在 0 到 100 之间，读到 {value.amount}")
        return None
    return value


def _columns(g: Grid, r: int, names: tuple[str, ...]) -> dict[str, int]:
    found = {t: c for c, t in g.row_texts(r)}
    return {n: found[n] for n in names if n in found}


def read_project(g: Grid, reporter: Reports, default_unit: str) -> PerfProject | None:
    """One 绩效-N sheet; None when its 项目名称 is blank (an unfilled template)."""
    p = PerfProject(g.title, "", "", unit=default_unit, whole=g.title == WHOLE_SHEET)
    money: dict[str, int] = {}
    grid: dict[str, int] = {}
    last = ("", "")
    for r in range(1, g.nrows + 1):
        texts = g.row_texts(r)
        if not texts:
            continue
        c0, label = texts[0]
        if label == "项目资金" or label.startswith("项目资金（"):
            money = _columns(g, r, MONEY_HEAD)
            grid = {}
        elif label == "一级指标":
            grid = _columns(g, r, INDICATOR_HEAD)
            money = {}
            for need in ("三级指标", "分值"):
                if need not in grid:
                    reporter.problem(g.ref(r, c0), f"指标表头缺少「{need}」列")
        elif label == "总分":
            p.total = _number(g, r, grid.get("得分"), reporter, score=True)
            grid = {}
        elif label in KEYS and not grid:
            setattr(p, KEYS[label], _text(g, r, c0 + 1))
            if label == "项目名称":
                p.name_ref = g.ref(r, c0 + 1)
        elif label == "金额单位":
            unit = g.text(r, c0 + 1)
            if unit and unit not in UNITS:
                reporter.problem(g.ref(r, c0 + 1), f"金额单位应为「元」或「万元」，读到「{unit}」")
            elif unit:
                p.unit = unit
        elif money:
            p.money.append(MoneyRow(
                label, *(_number(g, r, money.get(k), reporter) for k in MONEY_HEAD[:3]),
                _number(g, r, money.get("分值"), reporter, score=True),
                rate=_text(g, r, money.get("执行率")),
                rate_ref=g.ref(r, money["执行率"]) if "执行率" in money else None,
                score=_number(g, r, money.get("得分"), reporter, score=True)))
        elif grid:
            l1, l2 = _text(g, r, grid.get("一级指标")), _text(g, r, grid.get("二级指标"))
            l1 = l1 or last[0]
            l2 = l2 or (last[1] if l1 == last[0] else "")
            last = (l1, l2)
            ref = g.ref(r, grid.get("三级指标", c0))
            method = _text(g, r, grid.get("评分方法"))
            if method and clean(method) not in METHODS and not clean(method).startswith("分档"):
                reporter.problem(g.ref(r, grid["评分方法"]), f"评分方法应为{'、'.join(METHODS)}或「分档：名称」，"
                                 f"读到「{method}」")
            p.indicators.append(Indicator(
                l1, l2, _text(g, r, grid.get("三级指标")), method, _text(g, r, grid.get("年度指标值")),
                _text(g, r, grid.get("实际完成值")), _number(g, r, grid.get("分值"), reporter, score=True),
                _number(g, r, grid.get("得分"), reporter, score=True), _text(g, r, grid.get("偏差原因分析及改进措施")),
                ref,
                _text(g, r, grid.get("评分标准"))))
    if not p.name:
        if p.money and any(m.budget or m.actual for m in p.money):
            reporter.problem(f"{g.title}!B1", "绩效自评表填了金额却没有项目名称：在「项目名称」右侧填写")
        return None
    if not p.money and not p.whole:
        reporter.problem(g.title, f"「{p.name}」缺少「项目资金」一行（年初预算数、全年预算数、全年执行数）")
    elif p.money:
        row = p.money[0]
        if row.budget is not None and row.budget.amount < 0:
            reporter.problem(row.budget.ref or g.title, f"全年预算数应 ≥ 0，读到 {row.budget.amount}")
    return p


def read_performance(grids: dict[str, Grid], reporter: Reports, snippets: dict[str, str],
                     default_unit: str) -> list[PerfProject]:
    """Every filled 绩效-N sheet, in sheet order, with its 绩效.<项目>.<键> texts."""
    out = []
    for title, g in grids.items():
        if not is_performance_sheet(title):
            continue
        p = read_project(g, reporter, default_unit)
        if p is None:
            continue
        apply_texts(p, snippets)
        out.append(p)
    return out


def apply_texts(p: PerfProject, snippets: dict[str, str]) -> None:
    """Fill what the sheet leaves blank from `绩效.<项目名称>.<键>` snippets (文字 sheet or the .md
    file, which `build` merges after reading: call again with the merged snippets)."""
    stem = f"绩效.{p.name}."
    p.texts = {**{k.removeprefix(stem): v for k, v in snippets.items() if k.startswith(stem)}, **p.texts}
    p.goal = p.goal or p.texts.get("预期目标", "")
    p.outcome = p.outcome or p.texts.get("实际完成情况", "")
    for ind in p.indicators:
        ind.reason = ind.reason or p.texts.get(f"偏差原因.{ind.level3}", "")


def projects_from_data(data: dict) -> list[PerfProject]:
    """Projects from a reference description (data/reference/performance-*.toml): lists of texts,
    as a person would type them into the sheet."""

    def v(text: str) -> Value | None:
        return Value(Decimal(text)) if text not in ("", None) else None

    out = []
    for i, d in enumerate(data["project"], start=1):
        p = PerfProject(f"{PREFIX}{i}", d["name"], "", d.get("department", data.get("department", "")),
                        d.get("implementer", data.get("implementer", "")), d.get("unit", data.get("unit", "万元")))
        for label, initial, budget, actual, weight, rate, score in d["money"]:
            p.money.append(MoneyRow(label, v(initial), v(budget), v(actual), v(weight), rate, None, v(score)))
        p.goal, p.outcome = d.get("goal", ""), d.get("outcome", "")
        for row in d.get("indicators", []):
            l1, l2, l3, method, target, actual, weight, score, reason, *standard = row
            p.indicators.append(Indicator(l1, l2, l3, method, target, actual, v(weight), v(score), reason, "",
                                          standard[0] if standard else ""))
        p.total = v(d.get("total", ""))
        out.append(p)
    if "whole" in data:  # the 部门整体 evaluation: its grid in the same shape
        rest = {k: v for k, v in data.items() if k != "whole"}
        whole = projects_from_data({**rest, "project": [{**data["whole"], "money": []}]})[0]
        whole.sheet, whole.whole = WHOLE_SHEET, True
        out.append(whole)
    return out


# -- writing (init, samples, tests) -----------------------------------------------------------


def _cell(v: Value | None) -> Decimal | None:
    return None if v is None else v.amount


def write_project(wb: Workbook, title: str, p: PerfProject | None) -> None:
    """A 绩效-N sheet; None writes the blank template `init` gives a unit."""
    ws = wb.create_sheet(title)
    ws.append(["项目支出绩效自评表"])
    ws.cell(1, 1).font = Font(bold=True)
    ws.append(["项目名称", p.name if p else None])
    ws.append(["主管部门", p.department if p else None])
    ws.append(["实施单位", p.implementer if p else None])
    ws.append(["金额单位", p.unit if p else None, "元 / 万元；空白时同工作簿的金额单位"])
    ws.append([])
    if not (p and p.whole):
        ws.append(["项目资金", *MONEY_HEAD])
        rows = p.money if p else [MoneyRow(x, None, None, None) for x in ("年度资金总额", *SOURCES)]
        for m in rows:
            ws.append([m.label, _cell(m.initial), _cell(m.budget), _cell(m.actual), _cell(m.weight),
                       m.rate or None, _cell(m.score)])
    ws.append([])
    ws.append(["预期目标", p.goal if p else None])
    ws.append(["实际完成情况", p.outcome if p else None])
    ws.append([])
    ws.append(list(INDICATOR_HEAD))
    head = ws.max_row
    for ind in (p.indicators if p else []):
        ws.append([ind.level1, ind.level2, ind.level3, ind.method or None, ind.target, ind.actual,
                   _cell(ind.weight), _cell(ind.score), ind.reason or None, ind.standard or None])
    if p is None:
        ws.append(["产出指标", "数量指标", None, "数量"])
        ws.append([None, "质量指标", None, "是否"])
        ws.append(["效益指标", "满意度指标", None, "满意度"])
    ws.append(["总分", None, None, None, None, None, None, _cell(p.total) if p else None])
    for r in (7, head):
        for c in range(1, 11):
            ws.cell(r, c).font = Font(bold=True)
    for i, w in enumerate((14, 14, 30, 10, 18, 18, 8, 8, 40, 40)):
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    for row in ws.iter_rows(min_row=head + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_performance(wb: Workbook, projects: list[PerfProject]) -> None:
    own = [p for p in projects if not p.whole]
    for i, p in enumerate(own or [None], start=1):
        write_project(wb, f"{PREFIX}{i}", p)
    for p in projects:
        if p.whole:
            write_project(wb, WHOLE_SHEET, p)
