"""Column widths from the cells' text, and a smaller table text before anything would overlap.

Widths are estimated in em of the table text: a CJK character is 1 em, a digit about 0.55 em.
Amounts, codes and 行次 never wrap, so their columns are at least as wide as their longest
text; labels and header text may wrap. When even that does not fit the page, the text size goes
down (never below style.TABLE_MIN) until it does.
"""

from __future__ import annotations

import math
import unicodedata

from .render import style
from .tree import Cell, grid_positions

PT_PER_MM = 72 / 25.4
NARROW = {",": 0.3, ".": 0.3, "-": 0.35, " ": 0.3, "%": 0.8}


def em(text: str) -> float:
    """Approximate advance width of `text` in em."""
    total = 0.0
    for ch in text:
        if ch in NARROW:
            total += NARROW[ch]
        elif unicodedata.east_asian_width(ch) in ("W", "F", "A"):  # “” are full width in CJK fonts
            total += 1.0
        else:
            total += 0.58
    return total


def _wraps(cell: Cell) -> bool:
    return cell.has("label") or cell.has("text") or cell.has("head")


def column_needs(rows, ncols: int, pad: float) -> tuple[list[float], list[float]]:
    """(preferred, minimum) width of each column in em."""
    pref = [1.0] * ncols
    low = [1.0] * ncols
    for _, c, cell in grid_positions(rows):
        if c < ncols and cell.colspan == 1:
            w = em(cell.text) + pad
            if cell.has("head"):
                # Header text wraps freely; two lines is a fair preference.
                pref[c] = max(pref[c], w / 2 + pad / 2)
                low[c] = max(low[c], 2 + pad)
            elif _wraps(cell):
                pref[c] = max(pref[c], w)
                low[c] = max(low[c], min(w, 6 + pad))
            else:
                pref[c] = max(pref[c], w)
                low[c] = max(low[c], w)
    return pref, low


def fit_widths(head, body, orientation: str = "portrait") -> tuple[tuple[float, ...], float]:
    """Relative column widths (summing to 100) and the table text size in pt."""
    ncols = sum(c.colspan for c in head[-1]) if head else max(sum(c.colspan for c in r) for r in body)
    ncols = max(ncols, max((sum(c.colspan for c in r) for r in (*head, *body)), default=1))
    size = style.table_size(orientation)
    page_pt = style.PAGES[orientation].text_width * PT_PER_MM
    pad = 2 * style.TABLE_PAD / size + 0.3
    pref, low = column_needs((*head, *body), ncols, pad)
    avail = page_pt / size
    if sum(pref) <= avail:
        widths = [p + (avail - sum(pref)) * p / sum(pref) for p in pref]
    elif sum(low) <= avail:
        give = [p - lo for p, lo in zip(pref, low, strict=True)]
        spare = avail - sum(low)
        widths = [lo + spare * g / sum(give) for lo, g in zip(low, give, strict=True)]
    else:
        # Shrink the text: padding is in pt, so recompute the needs at the smaller size.
        while size > style.TABLE_MIN:
            size = max(style.TABLE_MIN, math.floor((size - 0.25) * 4) / 4)
            pad = 2 * style.TABLE_PAD / size + 0.3
            pref, low = column_needs((*head, *body), ncols, pad)
            if sum(low) <= page_pt / size:
                break
        widths = low
    total = sum(widths)
    return tuple(round(100 * w / total, 2) for w in widths), size


def tighten(text: str, size: float, line_pt: float, indent_em: float) -> float:
    """Letter spacing (em, ≤ 0) that pulls a lone last character of a wrapped heading back
    onto the line before; 0 when the heading does not end with one character alone."""
    width = em(text)
    first = line_pt / size - indent_em
    full = line_pt / size
    if width <= first:
        return 0.0
    lines = 1 + math.ceil((width - first) / full)
    last = width - first - (lines - 2) * full
    if last >= 1.6:  # two characters or more on the last line
        return 0.0
    # Spare room: digits and punctuation differ a little between the PDF's and Word's fonts.
    need = last + 0.4
    per_char = need / max(len(text) - 1, 1)
    return -round(per_char, 3) if per_char <= 0.1 else 0.0
