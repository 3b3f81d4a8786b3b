"""Test helpers: a sample made exactly consistent in 元, and cell-level mutation of a model.

A workbook kept in 元 has no rounding residues: every identity holds to the 元. To get one
from a published (万元) sample, its amounts are multiplied by 10,000, leaves are kept and every
derived cell is recomputed from them in dependency order — only for test fixtures; reportgen
itself never overwrites a published total.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from decimal import Decimal

from reportgen.model import (
    Disclosure,
    EconomicTable,
    LineRow,
    PairedTable,
    SingleRowTable,
    SubjectRow,
    SubjectTable,
    Value,
)

WAN = Decimal(10000)


def V(x: Decimal, ref: str | None = None) -> Value:
    return Value(x, ref)


def set_amount(values: list[Value], j: int, amount: Decimal) -> None:
    values[j] = Value(amount, values[j].ref)


def rows_by(t: SubjectTable) -> dict[str, SubjectRow]:
    return {r.code: r for r in t.rows}


def roll_up(t: SubjectTable, row_rule: Callable[[list[Value]], None]) -> None:
    """Leaves keep their values; 款, 类 and 合计 become exact sums, per column."""
    for r in t.rows:
        if len(r.code) == 7:
            row_rule(r.values)
    for level in (5, 3):
        for r in t.rows:
            if len(r.code) == level:
                kids = [k for k in t.rows if k.parent == r.code]
                if kids:
                    for j in range(len(r.values)):
                        set_amount(r.values, j, sum((k.values[j].amount for k in kids), Decimal(0)))
    for j in range(len(t.total)):
        set_amount(t.total, j, sum((r.values[j].amount for r in t.rows if len(r.code) == 3), Decimal(0)))


def sum_rest(values: list[Value]) -> None:
    set_amount(values, 0, sum((v.amount for v in values[1:]), Decimal(0)))


def line(t: PairedTable, side: str, key: str) -> LineRow:
    return next(r for r in getattr(t, side) if r.key == key)


def amount(t: PairedTable, side: str, key: str, col: int = 0) -> Decimal:
    return line(t, side, key).values[col].amount


def put(t: PairedTable, side: str, key: str, value: Decimal, col: int = 0) -> None:
    set_amount(line(t, side, key).values, col, value)


def consistent_in_yuan(sample: Disclosure) -> Disclosure:
    """The sample in 元 with every identity exact (samples without non-fiscal money)."""
    d = copy.deepcopy(sample)
    d.settings.money_unit = "元"
    for _, values, j in slots(d):
        set_amount(values, j, values[j].amount * WAN)
    t = d.tables
    t01, t02, t03, t04, t05 = t["t01"], t["t02"], t["t03"], t["t04"], t["t05"]
    t06, t07, t08, t09 = t["t06"], t["t07"], t["t08"], t["t09"]
    assert isinstance(t01, PairedTable) and isinstance(t04, PairedTable)
    assert isinstance(t06, EconomicTable) and isinstance(t07, SingleRowTable)

    roll_up(t03, sum_rest)
    r03 = rows_by(t03)
    for r in t05.rows:
        if len(r.code) == 7:
            set_amount(r.values, 1, r03[r.code].values[1].amount)
            set_amount(r.values, 2, r03[r.code].values[2].amount)
    roll_up(t05, sum_rest)

    def t08_row(v: list[Value]) -> None:
        set_amount(v, 2, v[3].amount + v[4].amount)
        set_amount(v, 5, v[0].amount + v[1].amount - v[2].amount)

    for r in t08.rows:
        if len(r.code) == 7:
            set_amount(r.values, 3, r03[r.code].values[1].amount)
            set_amount(r.values, 4, r03[r.code].values[2].amount)
    roll_up(t08, t08_row)
    roll_up(t09, sum_rest)
    roll_up(t02, sum_rest)

    # 公开06: items are leaves; the largest item absorbs the gap to 公开05's basic total.
    rows = t06.rows()
    biggest = max((r for r in rows if len(r.code) == 5), key=lambda r: r.value.amount)

    def t06_totals() -> Decimal:
        for r in rows:
            if len(r.code) == 3:
                r.value = V(sum((x.value.amount for x in rows if len(x.code) == 5
                                 and x.code.startswith(r.code)), Decimal(0)), r.value.ref)
        by = {r.code: r.value.amount for r in rows}
        t06.personnel_total = V(sum((by.get(c, Decimal(0)) for c in ("301", "303")), Decimal(0)),
                                t06.personnel_total.ref)
        t06.public_total = V(sum((by.get(c, Decimal(0)) for c in ("302", "307", "310", "312", "399")),
                                 Decimal(0)), t06.public_total.ref)
        return t06.personnel_total.amount + t06.public_total.amount

    gap = t05.total[1].amount - t06_totals()
    biggest.value = V(biggest.value.amount + gap, biggest.value.ref)
    t06_totals()

    v = t07.values
    for o in (0, 6):
        set_amount(v, o + 2, v[o + 3].amount + v[o + 4].amount)
        set_amount(v, o, v[o + 1].amount + v[o + 2].amount + v[o + 5].amount)

    gf = t08.total[1].amount
    soc = amount(t01, "income", "soc")
    put(t01, "income", "gf", gf)
    put(t01, "income", "gpb", t02.total[1].amount - gf - soc)
    for j, key in enumerate(("superior", "business", "operating", "affiliated", "other"), 2):
        put(t01, "income", key, t02.total[j].amount)
    inc = ("gpb", "gf", "soc", "superior", "business", "operating", "affiliated", "other")
    put(t01, "income", "income_total", sum((amount(t01, "income", k) for k in inc), Decimal(0)))
    grand = sum((amount(t01, "income", k) for k in ("income_total", "nonfiscal_balance_used",
                                                      "opening_balance")), Decimal(0))
    put(t01, "income", "grand_total", grand)
    classes = [r.key for r in t01.expenditure if r.key and r.key.isdigit()]
    for code in classes:
        put(t01, "expenditure", code, r03[code].values[0].amount if code in r03 else Decimal(0))
    spent = sum((amount(t01, "expenditure", c) for c in classes), Decimal(0))
    put(t01, "expenditure", "expenditure_total", spent)
    put(t01, "expenditure", "closing_balance",
        grand - spent - amount(t01, "expenditure", "balance_distribution"))
    put(t01, "expenditure", "grand_total", grand)

    for k in ("gpb", "gf", "soc"):
        put(t04, "income", k, amount(t01, "income", k))
    put(t04, "income", "income_total", sum((amount(t04, "income", k) for k in ("gpb", "gf", "soc")),
                                           Decimal(0)))
    put(t04, "income", "opening_gf", t08.total[0].amount)
    opening_gpb = (amount(t01, "income", "opening_balance") - t08.total[0].amount
                   - amount(t04, "income", "opening_soc"))
    put(t04, "income", "opening_gpb", opening_gpb)
    put(t04, "income", "opening_balance", sum((amount(t04, "income", f"opening_{k}")
                                                for k in ("gpb", "gf", "soc")), Decimal(0)))
    put(t04, "income", "grand_total", amount(t04, "income", "income_total")
        + amount(t04, "income", "opening_balance"))
    r05, r08, r09 = rows_by(t05), rows_by(t08), rows_by(t09)
    for code in classes:
        for col, rows_, j in ((1, r05, 0), (2, r08, 2), (3, r09, 0)):
            put(t04, "expenditure", code, rows_[code].values[j].amount if code in rows_ else Decimal(0), col)
        put(t04, "expenditure", code, sum((amount(t04, "expenditure", code, c) for c in (1, 2, 3)),
                                          Decimal(0)))
    for col in range(4):
        put(t04, "expenditure", "expenditure_total",
            sum((amount(t04, "expenditure", c, col) for c in classes), Decimal(0)), col)
    put(t04, "expenditure", "closing_balance", t08.total[5].amount, 2)
    put(t04, "expenditure", "closing_balance", Decimal(0), 3)
    put(t04, "expenditure", "closing_balance", amount(t04, "income", "gpb") + opening_gpb
        - amount(t04, "expenditure", "expenditure_total", 1), 1)
    put(t04, "expenditure", "closing_balance", sum((amount(t04, "expenditure", "closing_balance", c)
                                                    for c in (1, 2, 3)), Decimal(0)), 0)
    for col in range(4):
        put(t04, "expenditure", "grand_total", amount(t04, "expenditure", "expenditure_total", col)
            + amount(t04, "expenditure", "closing_balance", col), col)
    return d


def slots(d: Disclosure) -> Iterator[tuple[str, list[Value], int]]:
    """(table, list, index) for every amount the identities read (filler rows excluded)."""
    for tid, t in d.tables.items():
        if isinstance(t, PairedTable):
            for row in t.income + t.expenditure:
                if row.key:
                    for j in range(len(row.values)):
                        yield tid, row.values, j
        elif isinstance(t, SubjectTable):
            for j in range(len(t.total)):
                yield tid, t.total, j
            for row in t.rows:
                for j in range(len(row.values)):
                    yield tid, row.values, j
        elif isinstance(t, SingleRowTable):
            for j in range(len(t.values)):
                yield tid, t.values, j
        elif isinstance(t, EconomicTable):
            # Economic rows and totals hold single Values: expose them through one-item lists
            # that write back (see economic_slots).
            yield from economic_slots(tid, t)


class _Attr(list):
    """A one-item list that writes its item back to an attribute."""

    def __init__(self, owner: object, attr: str):
        super().__init__([getattr(owner, attr)])
        self.owner, self.attr = owner, attr

    def __setitem__(self, i, value):  # type: ignore[override]
        super().__setitem__(i, value)
        setattr(self.owner, self.attr, value)


def economic_slots(tid: str, t: EconomicTable) -> Iterator[tuple[str, list[Value], int]]:
    for row in t.rows():
        yield tid, _Attr(row, "value"), 0
    yield tid, _Attr(t, "personnel_total"), 0
    yield tid, _Attr(t, "public_total"), 0
