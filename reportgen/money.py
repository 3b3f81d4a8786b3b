"""Amounts: read from a cell, display on the page. Decimal throughout, 四舍五入 (ROUND_HALF_UP)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .limits import MAX_AMOUNT

CENT = Decimal("0.01")
ZERO = Decimal("0")
WAN = Decimal("10000")

# Full-width digits and punctuation a pasted export may carry.
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－＋　", "0123456789,.-+ ")
# ASCII digits only: str.isdigit() and \d also accept ①, ³ and other scripts' digits.
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$", re.ASCII)
_BLANKS = {"", "-", "—", "——", "－"}


def normalise_text(text: str) -> str:
    """Text that names or counts something (labels, codes, amounts): full-width digits and
    punctuation made ASCII so that 「１，２３４」 and 「1,234」 read alike."""
    return text.translate(_FULLWIDTH).replace("\u00a0", " ").strip()


def prose_text(text: str) -> str:
    """Prose a unit typed (goals, outcomes, conclusions): as typed, a non-breaking space made a
    space; its full-width punctuation stays, since the document prints it (，not ,)."""
    return text.replace("\u00a0", " ").strip()


def parse_amount(value: object) -> Decimal | None:
    """A cell value as Decimal; blank gives 0; None when it is not an amount.

    Accepts numbers, "1,234.56", full-width digits and punctuation, and a leading minus.
    Floats go through repr() so 0.1 stays 0.1 rather than its binary expansion. Not finite,
    or not below limits.MAX_AMOUNT in absolute value, is not an amount either.
    """
    amount = _parse(value)
    if amount is not None and (not amount.is_finite() or abs(amount) >= MAX_AMOUNT):
        return None  # NaN, infinity, 1E999: Decimal takes them, a disclosure must not
    return amount


def _parse(value: object) -> Decimal | None:
    if value is None:
        return ZERO
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = normalise_text(str(value)).replace(" ", "")
    if text in _BLANKS:
        return ZERO
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None


def to_wan(value: Decimal, money_unit: str) -> Decimal:
    """Convert to 万元, once, at display time."""
    return value / WAN if money_unit == "元" else value


def quantize(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_amount(value: Decimal, *, zero: str = "0.00", money_unit: str = "万元") -> str:
    """Table display: 万元, two decimals, thousands separators; zero per the unit's setting."""
    shown = quantize(to_wan(value, money_unit))
    if shown == 0:
        return "" if zero == "blank" else "0.00"
    return f"{shown:,.2f}"
