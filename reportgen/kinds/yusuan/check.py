"""Validate a 部门预算: its identities (rules.py) over the workbook's cells, and its catalog checks.

The identities are rule records over cell addresses; here they are evaluated on the cells a
workbook gave, each finding naming the sheet cells (表2!C7) it read. A table in integer 万元
rounds every cell, so a residue within n × ½ unit is reported as rounding (info), beyond it as
an error; a workbook in 元, or strict mode, allows no residue at all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...catalog import Catalog, load_catalog
from ...model import Value
from ...rules import Finding, Report
from ...rules import Rule as EngineRule
from . import rules as identities
from .layouts import TABLES
from .model import PAIRED_COLUMN, Budget, BudgetTable

# Scopes that hold for any budget; the reference's reconstruction and narrative rules describe seed 003.
SCOPES = ("table", "cross")
GROUP_TITLES = {**{t.id: f"{t.label} {t.title}" for t in TABLES.values()}, "cross": "跨表勾稽",
                "inputs": "项目说明与预算情况", "catalog": "科目与目录"}
INPUT_RULES = (
    EngineRule("I-01", "inputs", "政府采购 货物 + 工程 + 服务 = 表3 政府采购小计", "procurement split = 表3"),
    EngineRule("I-02", "inputs", "「项目说明」的项目应在表5中", "project notes name 表5 projects"),
    EngineRule("C-1", "catalog", "科目编码应在科目目录中", "subject code is in the catalog", soft=True),
    EngineRule("C-2", "catalog", "科目名称应与科目目录一致", "subject name matches the catalog", soft=True),
)


def reference_view(d: Budget) -> dict[str, Any]:
    """The budget's tables in the reference JSON's shape, the form rules.generated() reads."""
    tables: dict[str, Any] = {}
    for tid, t in d.tables.items():
        assert isinstance(t, BudgetTable)
        view: dict[str, Any] = {"precision": str(TABLES[tid].precision)}
        if t.income or t.expenditure:
            view["income"] = [{"key": r.key, "code": r.code or None} for r in t.income]
            view["expenditure"] = [{"key": r.key, "code": r.code or None} for r in t.expenditure]
        view["rows"] = [{"key": r.key, "label": r.label, "code": r.code or None, "project": r.project or None,
                         "kind": "total" if r.key == "total" else "class" if len(r.code) == 3 else "item",
                         "parent": r.code[:3] if len(r.code) == 5 else None, "values": {}} for r in t.rows]
        tables[tid] = view
    return {"tables": tables, "narrative_figures": []}


def cells(d: Budget) -> dict[str, Value]:
    """Every amount by address; a blank cell is 0 but keeps its reference."""
    out: dict[str, Value] = {}
    for tid, t in d.tables.items():
        assert isinstance(t, BudgetTable)
        keys = TABLES[tid].keys()
        for side in ("income", "expenditure"):
            for r in getattr(t, side):
                v = r.values.get(PAIRED_COLUMN)
                out[f"{tid}.{side}.{r.key}"] = v if v is not None else Value(Decimal(0), r.ref or None)
        for r in t.rows:
            for k in keys:
                v = r.values.get(k)
                out[f"{tid}.{r.key}.{k}"] = v if v is not None else Value(Decimal(0), None)
    return out


def precision(d: Budget, tid: str) -> Decimal:
    """A table's rounding unit: its layout's, finer when the workbook gives finer amounts."""
    unit = TABLES[tid].precision
    t = d.tables[tid]
    for v in t.amounts():
        exp = v.amount.normalize().as_tuple().exponent
        if isinstance(exp, int) and exp < 0:
            unit = min(unit, Decimal(1).scaleb(exp))
    return unit


def _fmt(v: Decimal) -> str:
    return f"{v:,f}"


def identity_findings(d: Budget, strict: bool) -> tuple[list[Finding], list[identities.Rule], set[str]]:
    view = reference_view(d)
    vals = cells(d)
    rules = [r for r in identities.all_rules(view) if r.scope in SCOPES and all(c in vals for c in r.cells)]
    prec = {a: precision(d, a.split(".")[0]) for a in vals}
    if strict or d.settings.money_unit == "元":
        prec = {a: Decimal(0) for a in vals}
    amounts = {a: v.amount for a, v in vals.items()}
    found: list[Finding] = []
    touched: set[str] = set()
    for f in identities.check(rules, amounts, prec):
        refs = list(dict.fromkeys(vals[c].ref for c in f.rule.cells if vals[c].ref))
        touched.update(refs)
        if f.status == "ok":
            continue
        rel = "≤" if f.rule.op == "le" else "="
        lname, _, rname = f.rule.text.partition(f" {rel} ")
        lname = lname.split(" ", 1)[-1] if rname else "左边"  # the rule's own words, less its 表N
        rname = rname or "右边"
        base = f"{lname} {_fmt(f.left)}，{rname} {_fmt(f.right)}，差额 {_fmt(f.residue)}"
        if f.status == "rounding":
            severity, message = "info", f"{base}：在四舍五入容差 ±{f.tolerance} 之内，属尾数误差"
        else:
            severity, message = "error", f"{base}：应 {lname} {rel} {rname}（超出容差 ±{f.tolerance}）"
        table = f.rule.left[0].split(".")[0] if f.rule.scope == "table" else "cross"
        found.append(Finding(f.rule.id, severity, table, f.rule.text, message, refs, f.left, f.right,
                             f.residue, f.tolerance))
    return found, rules, touched


def input_findings(d: Budget) -> list[Finding]:
    out: list[Finding] = []
    parts = [d.facts.get(k) for k in ("货物采购", "工程采购", "服务采购")]
    t03 = d.tables.get("t03")
    unit = t03.row("unit") if isinstance(t03, BudgetTable) else None
    stated = unit.values.get("procurement") if unit else None
    if stated is not None and all(p is not None for p in parts):
        total = sum((p.amount for p in parts if p), Decimal(0))
        tol = precision(d, "t03") * 3 / 2
        if abs(total - stated.amount) > tol:
            out.append(Finding("I-01", "error", "inputs", "政府采购",
                               f"货物 + 工程 + 服务 {_fmt(total)}，表3 政府采购小计 {_fmt(stated.amount)}，应相等",
                               [v.ref for v in (*parts, stated) if v and v.ref]))
    t05 = d.tables.get("t05")
    names = {r.label for r in t05.rows} if isinstance(t05, BudgetTable) else set()
    for p in d.projects:
        if p.name not in names:
            out.append(Finding("I-02", "error", "inputs", f"项目说明 {p.name}",
                               f"「项目说明」的「{p.name}」不在表5的项目中", [p.ref] if p.ref else []))
    return out


def catalog_findings(d: Budget, catalog: Catalog) -> list[Finding]:
    out: list[Finding] = []
    for tid in ("t07", "t09", "t10"):
        t = d.tables.get(tid)
        if not isinstance(t, BudgetTable):
            continue
        for r in t.rows:
            if not r.code:
                continue
            known = catalog.functional.get(r.code)
            where = f"{TABLES[tid].label} {r.code} {r.label}"
            if known is None:
                out.append(Finding("C-1", "warning", "catalog", where,
                                   f"科目 {r.code} 不在 {catalog.year} 年科目目录中", [r.ref] if r.ref else []))
            elif known.name != r.label:
                out.append(Finding("C-2", "warning", "catalog", where,
                                   f"科目 {r.code} 在目录中名为「{known.name}」，表中为「{r.label}」",
                                   [r.ref] if r.ref else []))
    return out


def validate(d: Budget, *, strict: bool | None = None, catalog: Catalog | None = None) -> Report:
    """Every identity, the inputs' own checks and the catalog; strict defaults to on for 元."""
    if strict is None:
        strict = d.settings.money_unit == "元"
    found, used, touched = identity_findings(d, strict)
    found += input_findings(d) + catalog_findings(d, catalog or load_catalog(d.settings.year))
    rules = {r.id: EngineRule(r.id, r.scope, r.text, r.text) for r in used}
    rules.update({r.id: r for r in INPUT_RULES})
    return Report(d.source, strict, d.settings.money_unit, found, [], len(used), touched, rules, GROUP_TITLES)
