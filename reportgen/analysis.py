"""The narrative's arithmetic: comparisons, shares, completion rates, and their text.

Everything is Decimal and 四舍五入 (ROUND_HALF_UP) at the profile's precision. Templates get
finished strings plus a direction; they choose the words, never compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .money import ZERO, quantize, to_wan
from .profile import Numbers

HUNDRED = Decimal(100)


def strip(text: str) -> str:
    """'12,652.90' → '12,652.9'; '100.00' → '100'."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Style:
    """Number text of one profile, for amounts in 万元 and for percentages."""

    numbers: Numbers
    money_unit: str = "万元"

    def amount(self, value: Decimal) -> str:
        q = quantize(to_wan(value, self.money_unit))
        text = f"{q:,.2f}" if self.numbers.separators else f"{q:.2f}"
        return strip(text) if self.numbers.strip_zeros else text

    def percent(self, value: Decimal) -> str:
        places = self.numbers.percent_places
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{q:,.{places}f}" if self.numbers.separators else f"{q:.{places}f}"
        return strip(text) if self.numbers.strip_zeros else text

    def count(self, value: Decimal) -> str:
        return strip(f"{value.normalize():f}")


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100, unrounded; None when whole is 0."""
    return None if whole == 0 else part / whole * HUNDRED


@dataclass(frozen=True)
class Comparison:
    """This year's figure against a base (last year, or a budget)."""

    current: str
    base: str
    change: str  # |current − base|
    rate: str | None  # |change| / |base| × 100; None when the base is 0
    direction: str  # up | down | equal
    current_value: Decimal
    base_value: Decimal

    @property
    def base_zero(self) -> bool:
        return self.base_value == 0

    @property
    def current_zero(self) -> bool:
        return self.current_value == 0


def compare(current: Decimal, base: Decimal, style: Style) -> Comparison:
    change = current - base
    direction = "equal" if change == 0 else "up" if change > 0 else "down"
    rate = ratio(abs(change), abs(base))
    return Comparison(
        current=style.amount(current),
        base=style.amount(base),
        change=style.amount(abs(change)),
        rate=None if rate is None else style.percent(rate),
        direction=direction,
        current_value=current,
        base_value=base,
    )


@dataclass(frozen=True)
class Share:
    name: str
    amount: str
    percent: str | None  # None when the whole is 0
    value: Decimal


def shares(items: list[tuple[str, Decimal]], whole: Decimal, style: Style) -> list[Share]:
    """Each item's share of the whole; optionally balanced so the printed shares total 100."""
    out = []
    for name, value in items:
        r = ratio(value, whole)
        out.append(Share(name, style.amount(value), None if r is None else style.percent(r), value))
    # Only parts that make up the whole may be balanced to 100: a lone share of a larger whole
    # (一般公共预算 of 本年支出) balanced would print 100 %, a wrong statement.
    # (Published 万元 parts may miss their total by the rounding of each part.)
    slack = Decimal("0.005") * len(items) * (10000 if style.money_unit == "元" else 1)
    complete = abs(sum((v for _, v in items), ZERO) - whole) <= slack
    if style.numbers.balance_shares and complete and out and all(s.percent is not None for s in out) and whole:
        printed = [Decimal(s.percent.replace(",", "")) for s in out[:-1]]  # type: ignore[union-attr]
        last = out[-1]
        out[-1] = Share(last.name, last.amount, style.percent(HUNDRED - sum(printed, ZERO)), last.value)
    return out


@dataclass(frozen=True)
class Completion:
    """决算 against a budget: the rate and whether the 决算 is below, above or equal."""

    budget: str
    actual: str
    rate: str | None  # None when the budget is 0
    direction: str  # below | above | equal
    difference: str  # |budget − actual|
    budget_value: Decimal
    actual_value: Decimal
    vs_budget: Comparison  # the same pair as growth: "比年初预算增加 D 万元，增长 r%"


def completion(actual: Decimal, budget: Decimal, style: Style) -> Completion:
    r = ratio(actual, budget)
    direction = "equal" if actual == budget else "below" if actual < budget else "above"
    return Completion(style.amount(budget), style.amount(actual), None if r is None else style.percent(r),
                      direction, style.amount(abs(budget - actual)), budget, actual,
                      compare(actual, budget, style))
