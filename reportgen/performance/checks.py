"""Rules P-1…P-8 on the 绩效自评表 (registered in reportgen.checks; table "performance")."""

from __future__ import annotations

from decimal import Decimal

from ..model import Disclosure
from ..rules import Finding
from .derive import scored
from .forms import fmt_score
from .scoring import number, q

HUNDRED = Decimal(100)


def _finding(rule: str, severity: str, where: str, message: str, cells: list[str | None],
             left: Decimal | None = None, right: Decimal | None = None) -> Finding:
    diff = None if left is None or right is None else left - right
    return Finding(rule, severity, "performance", where, message, [c for c in cells if c], left, right, diff)


def performance_findings(d: Disclosure) -> tuple[list[Finding], int]:
    """Every finding on the forms, and how many comparisons were made."""
    out: list[Finding] = []
    checked = 0
    sps = scored(d.supplement, d.settings)
    units = {sp.project.unit for sp in sps}
    if len(units) > 1:
        out.append(_finding("P-7", "error", "绩效自评表", "各绩效自评表的金额单位不一致（"
                            + "、".join(f"{sp.project.sheet}：{sp.project.unit}" for sp in sps)
                            + "）：一个工作簿中的自评表应使用同一金额单位", [sp.project.name_ref for sp in sps]))
    for sp in sps:
        p = sp.project
        where = f"{p.sheet}「{p.name}」"
        checked += 4
        if sp.weight_total != HUNDRED:
            cells = [i.weight.ref for i in p.indicators if i.weight]
            out.append(_finding("P-1", "error", where, f"各项分值之和为 {fmt_score(sp.weight_total, 'strip')}，"
                                "应为 100", [p.total_row.weight.ref if p.total_row and p.total_row.weight else None,
                                           *cells], sp.weight_total, HUNDRED))
        typed = [s.indicator.score.amount for s in sp.indicators if s.indicator.score is not None]
        row = p.total_row
        if row and row.score is not None:
            typed.append(row.score.amount)
        if p.indicators and p.total is not None and sum(typed, Decimal(0)) != p.total.amount:
            out.append(_finding("P-2", "error", where, f"填报的总分 {fmt_score(p.total.amount, 'strip')} 不等于"
                                f"各项填报得分之和 {fmt_score(sum(typed, Decimal(0)), 'strip')}",
                                [p.total.ref], p.total.amount, sum(typed, Decimal(0))))
        if row and row.score is not None and sp.execution_score is not None \
                and row.score.amount != sp.execution_score:
            out.append(_finding("P-3", "warning", f"{where} 年度资金总额",
                                f"执行率得分填报为 {fmt_score(row.score.amount, 'strip')}，按样式规则计算为 "
                                f"{fmt_score(sp.execution_score, 'strip')}（执行率 {sp.rate}%）；表中印计算值",
                                [row.score.ref], row.score.amount, sp.execution_score))
        for s in sp.indicators:
            ind = s.indicator
            if s.computed and ind.score is not None and ind.score.amount != s.score:
                out.append(_finding("P-3", "warning", f"{where} {ind.level3}",
                                    f"得分填报为 {fmt_score(ind.score.amount, 'strip')}，按「{ind.method}」规则计算为 "
                                    f"{fmt_score(s.score, 'strip')}；表中印计算值",
                                    [ind.score.ref], ind.score.amount, s.score))
            elif not s.computed and s.score is None:
                out.append(_finding("P-8", "error", f"{where} {ind.level3}",
                                    "定性指标需填写得分" + (f"（{s.note}）" if s.note else ""), [ind.ref]))
            elif s.note:
                out.append(_finding("P-8", "warning", f"{where} {ind.level3}",
                                    f"无法按「{ind.method}」计算：{s.note}；沿用填报得分", [ind.ref]))
        if p.total is not None and p.total.amount != sp.total:
            typed_total, computed = fmt_score(p.total.amount, "strip"), fmt_score(sp.total, "strip")
            out.append(_finding("P-4", "warning", where, f"总分填报为 {typed_total}，计算为 {computed}"
                                f"（等级{sp.grade}）；表中印计算值", [p.total.ref], p.total.amount, sp.total))
        if row and row.rate and sp.rate is not None:
            typed_rate = number(row.rate)
            if typed_rate is not None and "%" not in row.rate and typed_rate <= 1:
                typed_rate *= HUNDRED
            places = -sp.rate.as_tuple().exponent if isinstance(sp.rate.as_tuple().exponent, int) else 0
            if typed_rate is not None and q(typed_rate, places) != sp.rate:
                budget, actual = row.budget, row.actual
                out.append(_finding("P-5", "warning", f"{where} 执行率",
                                    f"执行率填报为 {row.rate}，全年执行数 {actual.amount if actual else ''} ÷ "
                                    f"全年预算数 {budget.amount if budget else ''} = {sp.rate}%",
                                    [row.rate_ref, budget.ref if budget else None, actual.ref if actual else None],
                                    typed_rate, sp.rate))
        for col, name in (("initial", "年初预算数"), ("budget", "全年预算数"), ("actual", "全年执行数")):
            if not row or getattr(row, col) is None or len(p.money) < 2:
                continue
            parts = [getattr(m, col) for m in p.money[1:] if getattr(m, col) is not None]
            total = getattr(row, col)
            checked += 1
            s = sum((v.amount for v in parts), Decimal(0))
            if parts and s != total.amount:
                # 万元 forms round each figure: n parts may miss their total by n × 0.005
                tol = Decimal("0.005") * len(parts) if p.unit == "万元" else Decimal(0)
                severity, why = ("info", "，在四舍五入容差之内，属尾数误差") if abs(s - total.amount) <= tol \
                    else ("error", "")
                out.append(_finding("P-6", severity, f"{where} {name}",
                                    f"年度资金总额 {total.amount} 不等于各资金来源之和 {s}{why}",
                                    [total.ref, *(v.ref for v in parts)], total.amount, s))
    return out, checked


def summary_lines(d: Disclosure) -> list[str]:
    """What `validate` prints after the findings: each form's computed 总分 and 等级."""
    sps = scored(d.supplement, d.settings)
    if not sps:
        return []
    lines = ["\n绩效自评表（按样式规则计算）"]
    for sp in sps:
        p = sp.project
        typed = "" if p.total is None or p.total.amount == sp.total else \
            f"（填报 {fmt_score(p.total.amount, 'strip')}）"
        rate = "" if sp.rate is None else f"，执行率 {sp.rate}%"
        lines.append(f"  {p.sheet}「{p.name}」：总分 {fmt_score(sp.total, 'strip')}{typed}，等级{sp.grade}{rate}")
    return lines
