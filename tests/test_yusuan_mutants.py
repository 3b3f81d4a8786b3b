"""Single-cell mutants of the 部门预算 sample: every changed amount is caught, with its cell named.

Each amount cell of 表1–表11 (a blank one too) is changed up, down and by a slip of the keyboard;
validation must report an error that names that cell (表2!C8). The two 其中 columns of 表3, bounded
only by ≤, are the exception the rules cannot close: an increase below the bound is legal.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.catalog import load_catalog
from reportgen.kinds import get_kind
from reportgen.kinds.yusuan.layouts import TABLES
from reportgen.kinds.yusuan.model import BudgetTable
from reportgen.model import Value

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "shenzhen-yibao-2022.xlsx"
ONLY_BOUNDED = {("t03", "procurement_sme"), ("t03", "procurement_micro")}


@pytest.fixture(scope="module")
def sample():
    kind = get_kind("yusuan")
    d = kind.read(SAMPLE)
    yield kind, d, load_catalog(d.settings.year)
    get_kind("juesuan", ())


def amount_cells(d) -> list[tuple[str, dict, str, str]]:
    """(table id, the row's values, column key, cell reference) of every amount cell."""
    out = []
    for tid, t in d.tables.items():
        assert isinstance(t, BudgetTable)
        for r in t.all_rows():
            for col, v in r.values.items():
                if (tid, col) in ONLY_BOUNDED:
                    continue
                out.append((tid, r.values, col, v.ref if v is not None else ""))
    return out


def deltas(tid: str) -> tuple[Decimal, ...]:
    unit = TABLES[tid].precision
    return (unit * 17, -unit * 17, unit * 1000)


def test_every_single_cell_mutant_is_caught_and_named(sample):
    kind, d, catalog = sample
    assert kind.validate(d, catalog=catalog).errors == []
    cells = amount_cells(d)
    missed, unnamed, tried = [], [], 0
    for tid, values, col, ref in cells:
        original = values[col]
        for delta in deltas(tid):
            base = original.amount if original is not None else Decimal(0)
            values[col] = Value(base + delta, ref or None)
            errors = kind.validate(d, catalog=catalog).errors
            tried += 1
            if not errors:
                missed.append((tid, col, ref, delta))
            elif ref and not any(ref in f.cells for f in errors):
                unnamed.append((tid, col, ref, delta))
        values[col] = original
    assert tried >= 500
    assert missed == [] and unnamed == []


def test_a_mutant_names_the_cell_and_the_rule_in_chinese(sample):
    kind, d, catalog = sample
    row = d.tables["t02"].rows[0]
    original = row.values["gpb_perf"]
    row.values["gpb_perf"] = Value(original.amount + 100, original.ref)
    try:
        errors = kind.validate(d, catalog=catalog).errors
    finally:
        row.values["gpb_perf"] = original
    first = next(f for f in errors if f.rule == "T02-01")
    assert original.ref in first.cells and original.ref.startswith("表2!")
    assert "履职类" in first.where and "差额 -100" in first.message
