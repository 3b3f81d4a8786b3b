"""The printed 自评表 as data: layouts (one per profile) and a renderer-neutral grid.

A Form is rows of Cells whose text is already formatted; rowspan/colspan describe merges, so
an HTML table, a DOCX table or a PDF can be drawn from it without knowing what a score is.
Every row covers the layout's number of grid columns (tests/test_performance_forms.py proves it
through a tiny HTML adapter).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path

from .rules import Rules
from .scoring import ScoredProject, q

TEN_THOUSAND = Decimal(10000)


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    emphasis: bool = False
    align: str = "left"  # left | center | right


@dataclass
class Form:
    title: str
    subtitle: str
    unit_line: str
    ncols: int
    widths: tuple[float, ...]  # relative column widths
    rows: list[list[Cell]] = field(default_factory=list)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormLayout:
    """How one locality prints the form (spec §8)."""

    key: str
    title: str
    unit: str  # the printed money unit: 元 | 万元
    money_places: int | None  # None: as few as needed
    separators: bool
    rate_places: int | None  # None: no 执行率 column
    money_columns: tuple[tuple[str, str], ...]  # (header, MoneyRow attribute)
    level_heads: tuple[str, str, str] = ("一级指标", "二级指标", "三级指标")
    value_heads: tuple[str, str] = ("年度指标值", "实际完成值")
    scores: bool = True
    standard: bool = False  # print 评分标准 (the 打分表)
    indicator_scores: str = "strip"  # strip | fixed (2 places)
    summary_scores: str = "strip"  # the 年度资金总额 得分 and 总分
    group_weights: bool = False  # 一级 label with its 分值: 项目产出（50分）
    department_label: str = "主管部门"
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    grade_row: bool = False  # a last row 评分等级 | 优


HERE = Path(__file__).resolve().parent
MONEY_ATTRS = {"initial", "budget", "actual", "weight", "rate", "score"}
LAYOUT_KEYS = {f.name for f in fields(FormLayout)} - {"key"}


def layout_from(key: str, data: dict, known: dict[str, FormLayout]) -> FormLayout:
    """A layout from a TOML table: `base` names a known layout whose keys the table changes.
    Raises ValueError with the problem in Chinese (profile check prints it)."""
    data = dict(data)
    base = data.pop("base", None)
    if base is not None and base not in known:
        raise ValueError(f"base「{base}」不是已有的表样；可用：{'、'.join(sorted(known))}")
    if unknown := sorted(set(data) - LAYOUT_KEYS):
        raise ValueError(f"表样「{key}」有不认识的项：{'、'.join(unknown)}")
    for k in ("money_columns",):
        if k in data:
            cols = data[k]
            if not isinstance(cols, list) or not all(isinstance(c, list) and len(c) == 2 and c[1] in MONEY_ATTRS
                                                     for c in cols):
                raise ValueError(f"表样「{key}」的 money_columns 应为 [标题, 项] 的列表，项为 "
                                 f"{'、'.join(sorted(MONEY_ATTRS))} 之一")
            data[k] = tuple((str(a), str(b)) for a, b in cols)
    for k in ("level_heads", "value_heads", "notes"):
        if k in data:
            data[k] = tuple(str(x) for x in data[k])
    if data.get("unit", "万元") not in ("元", "万元"):
        raise ValueError(f"表样「{key}」的 unit 应为 元 或 万元")
    start = known[base] if base is not None else FormLayout(key, "项目支出绩效自评表", "万元", None, False, None, ())
    try:
        return replace(start, key=key, **data)
    except TypeError as exc:  # a value of the wrong kind
        raise ValueError(f"表样「{key}」有误（{exc}）") from None


def load_layouts(extra: dict | None = None) -> dict[str, FormLayout]:
    """The shipped layouts (layouts.toml), then a profile's own [performance.layouts.<name>]."""
    known: dict[str, FormLayout] = {}
    for source in (tomllib.loads((HERE / "layouts.toml").read_text(encoding="utf-8")), extra or {}):
        for key, data in source.items():
            if not isinstance(data, dict):
                raise ValueError(f"表样「{key}」应为一个表（[performance.layouts.{key}]）")
            known[key] = layout_from(key, data, known)
    return known


LAYOUTS = load_layouts()


def layouts_for(rules: Rules) -> tuple[FormLayout, FormLayout]:
    """The project forms' and the 部门整体 form's layouts a profile's rules name."""
    known = load_layouts(rules.layouts) if rules.layouts else LAYOUTS
    for name, what in ((rules.layout, "layout"), (rules.whole_layout, "whole_layout")):
        if name not in known:
            raise ValueError(f"{what}「{name}」不是已有的表样；可用：{'、'.join(known)}")
    return known[rules.layout], known[rules.whole_layout]


def fmt_score(x: Decimal | None, places: str) -> str:
    if x is None:
        return ""
    if places == "fixed":
        return f"{q(x, 2):.2f}"
    text = f"{q(x, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_money(x: Decimal | None, form_unit: str, lay: FormLayout) -> str:
    if x is None:
        return ""
    if form_unit == "元" and lay.unit == "万元":
        x = x / TEN_THOUSAND
    elif form_unit == "万元" and lay.unit == "元":
        x = x * TEN_THOUSAND
    if lay.money_places is None:
        x = q(x, 2)
        text = f"{x:,f}" if lay.separators else f"{x:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    x = q(x, lay.money_places)
    return f"{x:,.{lay.money_places}f}" if lay.separators else f"{x:.{lay.money_places}f}"


def _spans(values: list[str]) -> list[int]:
    """Rowspan per row for runs of equal values (0: covered by the cell above)."""
    out = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        out[i] = j - i + 1
        i = j + 1
    return out


def project_form(sp: ScoredProject, layout: FormLayout, year: int) -> Form:
    p = sp.project
    lay = layout
    target = bool(lay.value_heads[0])  # the 打分表 prints a 标准值 column, the 框架 none
    ncols = (7 if target else 6) if lay.standard else 9 if lay.scores else 6
    if lay.standard:
        widths: tuple[float, ...] = (1, 1.2, 2.4, 1.6, 3, 0.8, 0.9) if target else (1, 1.2, 2.4, 4, 0.8, 0.9)
    else:
        widths = (1, 1.2, 1.2, 2.4, 1.6, 1.6, 0.8, 0.8, 2.4)[:ncols]
    form = Form(lay.title, lay.subtitle.format(year=year, name=p.name), f"单位：{lay.unit}", ncols, widths,
                notes=lay.notes)
    rows = form.rows
    half = ncols // 2
    if not lay.standard:
        rows.append([Cell("项目名称", header=True), Cell(p.name, colspan=ncols - 1)])
        rows.append([Cell(lay.department_label, header=True), Cell(p.department, colspan=half - 1),
                     Cell("实施单位", header=True), Cell(p.implementer, colspan=ncols - half - 1)])
        cols = [c for c in lay.money_columns if lay.scores or c[1] not in ("weight", "score", "rate")]
        side = Cell(f"项目资金（{lay.unit}）", rowspan=1 + len(p.money), header=True)
        head = [side, Cell("", header=True)]
        for i, (title, _) in enumerate(cols):
            span = ncols - 2 - (len(cols) - 1) if i == len(cols) - 1 else 1
            head.append(Cell(title, colspan=span, header=True, align="center"))
        rows.append(head)
        for k, m in enumerate(p.money):
            row = [Cell(m.label)]
            for i, (_, attr) in enumerate(cols):
                span = ncols - 2 - (len(cols) - 1) if i == len(cols) - 1 else 1
                row.append(Cell(_money_cell(sp, m, attr, k, lay), colspan=span, align="right"))
            rows.append(row)
        a = (ncols - 1) // 2
        rows.append([Cell("年度总体目标", rowspan=2, header=True), Cell("预期目标", colspan=a, header=True),
                     Cell("实际完成情况", colspan=ncols - 1 - a, header=True)])
        rows.append([Cell(p.goal, colspan=a), Cell(p.outcome, colspan=ncols - 1 - a)])
    _indicator_rows(sp, lay, form)
    return form


def _money_cell(sp: ScoredProject, m, attr: str, k: int, lay: FormLayout) -> str:
    if attr in ("initial", "budget", "actual"):
        v = getattr(m, attr)
        return fmt_money(v.amount if v is not None else None, sp.project.unit, lay)
    if k > 0 and attr in ("weight", "score"):
        return "—"
    if attr == "weight":
        return fmt_score(sp.execution_weight, "strip")
    if attr == "score":
        return fmt_score(sp.execution_score, lay.summary_scores)
    # 执行率 of this row, at the rule's places (the total row's is the scored one)
    if m.budget is None or m.actual is None or m.budget.amount <= 0:
        return "—"
    rate = q(m.actual.amount / m.budget.amount * 100, lay.rate_places or 0)
    return f"{rate:.{lay.rate_places or 0}f}%"


def _indicator_rows(sp: ScoredProject, lay: FormLayout, form: Form) -> None:
    ncols = form.ncols
    inds = sp.indicators
    l1 = [s.indicator.level1 for s in inds]
    l2 = [f"{s.indicator.level1}\x00{s.indicator.level2}" for s in inds]
    span1, span2 = _spans(l1), _spans(l2)
    group = {}
    for s in inds:
        w = s.indicator.weight.amount if s.indicator.weight is not None else Decimal(0)
        group[s.indicator.level1] = group.get(s.indicator.level1, Decimal(0)) + w
    heads = [*lay.level_heads]
    if lay.standard:
        heads += [*lay.value_heads[:1]] * bool(lay.value_heads[0]) + ["评分标准", "分值", "自评得分"]
    else:
        heads += [*lay.value_heads] + (["分值", "得分", "偏差原因分析及改进措施"] if lay.scores else [])
    side = not lay.standard
    rows = form.rows
    if side:
        weights = sum(group.values(), Decimal(0))
        label = f"年度绩效指标（{fmt_score(weights, 'strip')}分）" if lay.group_weights else "年度绩效指标"
        rows.append([Cell(label, rowspan=1 + len(inds), header=True),
                     *(Cell(h, header=True, align="center") for h in heads)])
    else:
        rows.append([Cell(h, header=True, align="center") for h in heads])
    for i, s in enumerate(inds):
        ind = s.indicator
        row: list[Cell] = []
        if span1[i]:
            text = f"{ind.level1}（{fmt_score(group[ind.level1], 'strip')}分）" if lay.group_weights else ind.level1
            row.append(Cell(text, rowspan=span1[i]))
        if span2[i]:
            row.append(Cell(ind.level2, rowspan=span2[i]))
        row.append(Cell(ind.level3))
        if lay.standard:
            row += [Cell(ind.target)] * bool(lay.value_heads[0]) + [Cell(ind.standard)]
        else:
            row += [Cell(ind.target), Cell(ind.actual)]
        if lay.scores:
            row += [Cell(fmt_score(ind.weight.amount if ind.weight else None, "strip"), align="right"),
                    Cell(fmt_score(s.score, lay.indicator_scores), align="right")]
            if not lay.standard:
                row.append(Cell(ind.reason))
        rows.append(row)
    if lay.scores:
        label = "合计" if lay.standard else "总分"
        tail = [] if lay.standard else [Cell("")]
        rows.append([Cell(label, colspan=ncols - 2 - len(tail), header=True, emphasis=True),
                     Cell(fmt_score(sp.weight_total, "strip"), align="right", emphasis=True),
                     Cell(fmt_score(sp.total, lay.summary_scores), align="right", emphasis=True), *tail])
    if lay.grade_row:
        rows.append([Cell("评分等级", colspan=ncols - 1, header=True), Cell(sp.grade, align="center")])


def summary_form(scored: list[ScoredProject], unit_name: str, year: int) -> Form:
    """The 项目支出绩效自评情况汇总表: 序号 | 项目名称 | 自评得分 | 自评等级."""
    form = Form(f"{year}年度项目支出绩效自评情况汇总表", "", f"单位：{unit_name}", 4, (0.6, 4, 1.2, 1.2))
    form.rows.append([Cell(h, header=True, align="center") for h in ("序号", "项目名称", "自评得分", "自评等级")])
    for i, sp in enumerate((sp for sp in scored if not sp.project.whole), start=1):
        form.rows.append([Cell(str(i), align="center"), Cell(sp.project.name),
                          Cell(fmt_score(sp.total, "strip"), align="right"), Cell(sp.grade, align="center")])
    return form
