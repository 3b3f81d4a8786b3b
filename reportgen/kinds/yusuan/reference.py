"""A 部门预算 from its reference JSON (data/reference/<sample>.json): the 预算 sample's source.

The reference keeps seed 003's tables under their semantic row keys (表5 `handling`…) and the
text-only inputs under `inputs` (snippets, 项目说明 rows, 预算情况 facts); this turns it into the
Budget a workbook of the same content reads as, with the workbook's row keys (表5 `p1`…).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...model import Settings, Value
from .model import PAIRED_COLUMN, Budget, BudgetTable, Indicator, ProjectNote, Row


def _value(v: str | None) -> Value | None:
    return None if v is None else Value(Decimal(v))


def _values(values: Mapping[str, str | None]) -> dict[str, Value | None]:
    return {k: _value(v) for k, v in values.items()}


def _paired(rows: list[dict]) -> list[Row]:
    return [Row(r["key"], r["label"], {PAIRED_COLUMN: _value(r["amount"])}, code=r.get("code") or "",
                level=r.get("level", 0)) for r in rows]


def tables_from(ref: Mapping[str, Any]) -> tuple[dict[str, BudgetTable], dict[str, str]]:
    """The eleven tables with workbook row keys, and the reference's 表5 key → workbook key."""
    out: dict[str, BudgetTable] = {}
    t = ref["tables"]
    projects = {r["key"]: f"p{i}" for i, r in enumerate((r for r in t["t05"]["rows"] if r["key"] != "total"), 1)}
    for tid, table in t.items():
        bt = BudgetTable(tid)
        if "income" in table:
            bt.income, bt.expenditure = _paired(table["income"]), _paired(table["expenditure"])
        for i, r in enumerate(table.get("rows", []), 1):
            key = r["key"]
            if tid == "t05":
                key = projects.get(key, key)
            elif tid == "t11" and key != "total":
                key = f"k{i}"
            elif tid == "t04" and r.get("kind") == "residual":
                key = r["parent"] + "99"  # 其余各款 as the class's 其他 款 (see the reference's notes)
            code = r.get("code") or (key if tid == "t04" and key != "total" else "")
            bt.rows.append(Row(key, r["label"], _values(r["values"]), code=code or "", level=r.get("level", 0),
                               text=r.get("content", ""), project=projects.get(r.get("project", ""), "")))
        bt.goals = list(table.get("goals", []))
        bt.indicators = [Indicator(x["level1"], x["level2"], x["level3"], x["target"] or "")
                         for x in table.get("indicators", [])]
        out[tid] = bt
    return out, projects


def budget_from(ref: Mapping[str, Any], settings: Settings) -> Budget:
    """The Budget of the reference: tables, and the `inputs` section's snippets, projects and facts."""
    tables, _ = tables_from(ref)
    inputs = ref.get("inputs", {})
    projects = [ProjectNote(p["name"], _value(p.get("prior")), _value(p.get("addition")), p.get("basis", ""),
                            p.get("reason", ""), p.get("target", ""), bool(p.get("key", False)))
                for p in inputs.get("projects", [])]
    facts = {k: Value(Decimal(v)) for k, v in inputs.get("facts", {}).items()}
    return Budget(settings, dict(tables), dict(inputs.get("snippets", {})), projects=projects, facts=facts,
                  fact_texts=dict(inputs.get("fact_texts", {})))
