"""The rule engine: identities between amounts, checked within a rounding tolerance.

Every rule instance compares two sides built from model Values. Published 万元 figures are
rounded independently of their parts, so a sum of n nonzero parts may differ from its printed
total by up to n × 0.005 万元: inside that bound the difference is reported as rounding info
with its residue, outside it as an error. Strict mode (the default for workbooks in 元) allows
no difference at all. A document kind registers its rules (reportgen/kinds/<kind>/rules.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from .model import Value
from .money import ZERO, quantize

HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class Rule:
    id: str
    table: str  # t01…t10, or "cross"
    zh: str
    en: str
    soft: bool = False  # a mismatch is a warning, never an error


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning | info
    table: str
    where: str
    message: str
    cells: list[str] = field(default_factory=list)
    left: Decimal | None = None
    right: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None

    def as_json(self) -> dict:
        def dec(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {"rule": self.rule, "severity": self.severity, "table": self.table,
                "where": self.where, "message": self.message, "cells": self.cells,
                "left": dec(self.left), "right": dec(self.right),
                "difference": dec(self.difference), "tolerance": dec(self.tolerance)}


@dataclass
class Skipped:
    rule: str
    reason: str


@dataclass
class Report:
    source: str
    strict: bool
    money_unit: str
    findings: list[Finding]
    skipped: list[Skipped]
    checked: int
    touched: set[str] = field(default_factory=set)  # every cell some instance read
    rules: dict[str, Rule] = field(default_factory=dict)  # the kind's rules, by id
    groups: dict[str, str] = field(default_factory=dict)  # finding group → title, in print order

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "strict": self.strict,
            "money_unit": self.money_unit,
            "summary": {"checked": self.checked, "errors": self.count("error"),
                        "warnings": self.count("warning"), "info": self.count("info"),
                        "skipped": len(self.skipped)},
            "findings": [f.as_json() for f in self.findings],
            "skipped": [{"rule": s.rule, "reason": s.reason} for s in self.skipped],
        }


@dataclass
class Missing:
    """An input the document prints but the workbook lacks, and where to fill it."""

    key: str
    where: str  # the sheet (and column) to fill


Term = tuple[int, Value]


def fmt(v: Decimal) -> str:
    return f"{quantize(v):,.2f}"


def terms(*values: Value, sign: int = 1) -> list[Term]:
    return [(sign, v) for v in values]


class Engine:
    """Compares two sides of an identity within the rounding tolerance and records findings.

    A kind subclasses it with its rules; `rules` maps each rule id to its Rule."""

    rules: ClassVar[dict[str, Rule]] = {}

    def __init__(self, money_unit: str, strict: bool):
        self.strict = strict
        self.unit = money_unit
        scale = Decimal(10000) if self.unit == "元" else Decimal(1)
        self.per_term = ZERO if strict else HALF_CENT * scale
        self.findings: list[Finding] = []
        self.skipped: list[Skipped] = []
        self.checked = 0
        self.touched: set[str] = set()

    # -- the comparison -----------------------------------------------------------------------

    def compare(self, rule_id: str, where: str, left: list[Term], right: list[Term],
                lname: str, rname: str, *, at_most: bool = False, parts: int | None = None) -> None:
        """left = right (or left ≤ right), within the rounding tolerance of the parts."""
        rule = self.rules[rule_id]
        lsum = sum((s * v.amount for s, v in left), ZERO)
        rsum = sum((s * v.amount for s, v in right), ZERO)
        diff = lsum - rsum
        cells = list(dict.fromkeys(v.ref for _, v in left + right if v.ref))
        self.touched.update(cells)
        self.checked += 1
        if parts is None:
            parts = max(sum(1 for _, v in left if v.amount), sum(1 for _, v in right if v.amount))
        tol = self.per_term * max(parts, 1)
        if diff == 0 or (at_most and diff < 0):
            return
        relation = "≤" if at_most else "="
        base = f"{lname} {fmt(lsum)}，{rname} {fmt(rsum)}，差额 {fmt(diff)}"
        if abs(diff) <= tol:
            severity = "info"
            message = f"{base}：在 {max(parts, 1)} 项四舍五入容差 ±{tol:.3f} 之内，属尾数误差"
        else:
            severity = "warning" if rule.soft else "error"
            why = "严格模式要求完全相等" if self.strict else f"超出容差 ±{tol:.3f}"
            message = f"{base}：应 {lname} {relation} {rname}（{why}）"
        self.findings.append(Finding(rule_id, severity, rule.table, where, message, cells,
                                     lsum, rsum, diff, tol))

    def equal(self, rule_id: str, where: str, left: Value, right: Value, lname: str,
              rname: str, **kw) -> None:
        self.compare(rule_id, where, terms(left), terms(right), lname, rname, **kw)

    def total(self, rule_id: str, where: str, total: Value, parts: Iterable[Value], tname: str,
              pname: str) -> None:
        self.compare(rule_id, where, terms(total), terms(*parts), tname, pname)

    def skip(self, rule_id: str, reason: str) -> None:
        if not any(s.rule == rule_id and s.reason == reason for s in self.skipped):
            self.skipped.append(Skipped(rule_id, reason))
