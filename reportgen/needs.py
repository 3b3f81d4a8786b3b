"""A blank workbook for `init` (the command and the web page), with the supplementary rows a
profile's outline prints, found by rendering its sections.

A probe disclosure — the kind's blank one with every amount 1, nothing supplementary — goes
through each section template the profile lists; the inputs each records as missing are the rows
that section prints. So `init` writes only those rows, each noting the section that uses it, and
a unit whose own template prints something else gets that row too, with no list to keep in step.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

from .document import narrative_sections
from .model import Settings, Value
from .profile import profile_for
from .sections import narrative_blocks

ONE = Value(Decimal(1))


def _fill(x: Any) -> None:
    """Every amount of a table made 1 (nonzero and unequal to nothing), in place."""
    if isinstance(x, list):
        for i, v in enumerate(x):
            if isinstance(v, Value):
                x[i] = ONE
            else:
                _fill(v)
    elif dataclasses.is_dataclass(x) and not isinstance(x, type):
        for f in dataclasses.fields(x):
            v = getattr(x, f.name)
            if isinstance(v, Value):
                if not x.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                    setattr(x, f.name, ONE)
            else:
                _fill(v)


def section_inputs(kind: Any, settings: Settings) -> dict[str, list[str]]:
    """Input key (「上年数.财政拨款收入」, 「情况.车辆总数」) → the headings of the sections that print it."""
    d = kind.blank(settings)
    for table in d.tables.values():
        _fill(table)
    n = kind.narrative(d)
    out: dict[str, list[str]] = {}
    for key, heading in n.profile.sections or kind.sections:
        (section,) = narrative_sections(settings, ((key, heading),))
        before, optional = len(n.missing), len(getattr(n, "optional", ()))
        narrative_blocks(n, [section], settings, kind.name)
        for k in [m.key for m in n.missing[before:]] + list(getattr(n, "optional", ())[optional:]):
            out.setdefault(k, []).append(heading.format(year=settings.year))
    return out


def write_blank_workbook(kind: Any, settings: Settings, path: Path, snippets: dict[str, str] | None = None,
                         shared: set[str] = frozenset()) -> None:
    """The kind's blank workbook for these settings: the profile's defaults written out (so the
    sheet shows what the document will use) and only the rows its sections print. `snippets`
    and the settings named in `shared` come from the unit's other workbook (`init --from`)."""
    prof = profile_for(settings)
    d = kind.blank(settings)
    d.snippets.update(snippets or {})
    kind.save(d, path, only={"unit_name", "year", "kind", "who", "profile", *prof.settings, *shared},
              needs=section_inputs(kind, settings))
