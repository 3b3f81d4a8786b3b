"""Recompute the narrative's stated figures from the reference's tables and facts.

A formula is a cell address (`t05.handling.total`, `f.prior_year_budget.total`, `u.staffing.actual`,
`n.<id>`), or {"sum": [...]}, {"diff": [a, b]}, {"pct": [num, den]} (a whole-number percentage,
ROUND_HALF_UP, as the 部门预算 prints them), {"count": "u.goals"} (a list's length) or
{"count": "t05"} (the projects of 表5). Money stays Decimal.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportgen.kinds.yusuan.rules import values


def _path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[part]
    return obj


def evaluate(ref: Mapping[str, Any], formula: Any, stated: bool = False) -> Decimal | str:
    """The value of `formula`; `stated` reads n.<id> as printed instead of corrected."""
    cells = values(ref)
    figures = {f["id"]: f for f in ref["narrative_figures"]}

    def ev(x: Any) -> Any:
        if isinstance(x, str):
            head, _, rest = x.partition(".")
            if head == "n":
                fig = figures[rest]
                v = fig["value"] if stated or fig["correct"] else fig["corrected"]
                return Decimal(v)
            if head in ("f", "u"):
                v = _path(ref["facts" if head == "f" else "unit"], rest)
                return Decimal(v) if isinstance(v, (int, str)) and str(v).lstrip("-").isdigit() else v
            return cells[x]
        (op, arg), = x.items()
        if op == "sum":
            return sum((ev(a) for a in arg), Decimal(0))
        if op == "diff":
            return ev(arg[0]) - ev(arg[1])
        if op == "pct":
            return (ev(arg[0]) * 100 / ev(arg[1])).quantize(Decimal(1), ROUND_HALF_UP)
        if op == "count":
            if arg == "t05":
                return Decimal(sum(1 for r in ref["tables"]["t05"]["rows"] if r["key"] != "total"))
            return Decimal(len(_path(ref["unit"], arg.removeprefix("u."))))
        raise ValueError(f"unknown formula operator {op!r}")

    return ev(formula)


def expected(fig: Mapping[str, Any]) -> str:
    """What the figure should read: as printed, or the correction of a published error."""
    return fig["value"] if fig["correct"] else fig["corrected"]
