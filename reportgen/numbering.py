"""Chinese ordinals for headings and rows (一、二、… 十二) and the heading numbering styles.

The styles are data (numbering.toml): a profile's [numbering] table changes any key of the
style its unit selects, so a region numbers its headings without a code change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

CN_NUMERALS = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 26 → 二十六 (enough for table rows and headings)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class Numbering:
    part: str
    section: str
    sub: str
    glossary: str
    table: str  # each table's title in the tables part
    named: bool  # part headings carry the unit's name
    title_page: bool  # the tables part opens with its heading alone on a page

    def label(self, level: str, n: int) -> str:
        """The number of the n-th heading of `level` (part | section | sub | glossary | table)."""
        return getattr(self, level).format(cn=cn_ordinal(n), n=n)


KEYS = {f.name for f in fields(Numbering)}
STYLES = {name: Numbering(**values) for name, values in tomllib.loads(
    (Path(__file__).with_name("numbering.toml")).read_text(encoding="utf-8")).items()}


def numbering(style: str, changes: dict | None = None) -> Numbering:
    """The named style with a profile's [numbering] changes (ValueError names an unknown key)."""
    if unknown := sorted(set(changes or {}) - KEYS):
        raise ValueError(f"[numbering] 中未知的键：{'、'.join(unknown)}；可用：{'、'.join(sorted(KEYS))}")
    return replace(STYLES[style], **(changes or {}))
