"""Regenerate the sample workbooks in data/ from the reference JSON of two published seeds.

    python data/make_samples.py [REFERENCE_DIR]

REFERENCE_DIR defaults to ../shared/reference beside the checkout. The narrative texts
(职责, 机构设置) come from data/text/<sample>.md. The workbooks are in the official layout that
`reportgen init` writes, so the samples exercise the same reader a finance office uses.

Two deliberate departures from the printed seeds: 峄城区 is spelled correctly (the seed's OCR
gives 峯/峰城区), and 深圳's 公开04 支出 totals carry the standard 行次 59/60/64 rather than the
23/24/28 its template misprinted.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

from reportgen.layouts import sides
from reportgen.model import (
    Disclosure,
    EconomicRow,
    EconomicTable,
    LineRow,
    PairedTable,
    Settings,
    SingleRowTable,
    SubjectRow,
    SubjectTable,
    Value,
)
from reportgen.sources import strip_ordinal
from reportgen.workbook import save_workbook

HERE = Path(__file__).resolve().parent
SAMPLES = {
    "shenzhen-2020": Settings(
        unit_name="深圳市医疗保障局（本级）", year=2020, who="部门", zero="blank",
        headings="一、", table_notes=False, car_running_label="公务用车运行费",
        sangong_basis="全年预算数，反映按规定程序调整后的预算数", t09_total_label="合计",
    ),
    "yicheng-2020": Settings(
        unit_name="峄城区医疗保障局（本级）", year=2020, who="单位", zero="0.00",
        headings="第一部分", table_notes=True, car_running_label="公务用车运行维护费",
        sangong_basis="年初预算数", t09_total_label="小计",
    ),
}
# 000's template restarted 公开04's 支出 行次 after 58; the standard numbers are these.
T04_LINE_FIX = {23: 59, 24: 60, 28: 64}


def dec(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "") else Decimal(0)


def paired(ref: dict, table_id: str, year: int) -> PairedTable:
    income_spec, spend_spec = sides(table_id, year)
    out = []
    for spec, printed, fix in (
        (income_spec, ref["income"] + ref["income_totals"], {}),
        (spend_spec, ref["expenditure"] + ref["expenditure_totals"],
         T04_LINE_FIX if table_id == "t04" else {}),
    ):
        by_label: dict[str, list[dict]] = {}
        for p in printed:
            by_label.setdefault(strip_ordinal(p["label"]), []).append(p)
        rows: list[LineRow] = []
        for line in spec:
            if line.key is None:
                continue
            p = by_label[strip_ordinal(line.label)].pop(0)
            amounts = p.get("amounts") or [p["amount"]]
            number = fix.get(p["row"], p["row"])
            # Blank filler rows keep the 行次 the seed printed between two labelled rows.
            if rows and rows[-1].line is not None and number - rows[-1].line > 1:
                n = len(amounts)
                rows += [LineRow(None, "", k, [Value.zero()] * n)
                         for k in range(rows[-1].line + 1, number)]
            rows.append(LineRow(line.key, line.label, number, [Value(dec(a)) for a in amounts]))
        out.append(rows)
    return PairedTable(*out)


def subject(ref: dict) -> SubjectTable:
    rows = [SubjectRow(r["code"], r["name"], [Value(dec(v)) for v in r["values"]])
            for r in ref["rows"]]
    return SubjectTable([Value(dec(v)) for v in ref["total"]], rows)


def economic(ref: dict, super_header: bool) -> EconomicTable:
    groups: list[list[EconomicRow]] = [[], [], []]
    for r in ref["rows"]:
        g = 0 if r["code"][:3] in ("301", "303") else 1 if r["code"][:3] == "302" else 2
        name = r["name"].replace("(", "（").replace(")", "）")
        groups[g].append(EconomicRow(r["code"], name, Value(dec(r["amount"]))))
    return EconomicTable(groups, Value(dec(ref["人员经费合计"])), Value(dec(ref["公用经费合计"])),
                         super_header)


def single(ref: dict) -> SingleRowTable:
    return SingleRowTable([Value(dec(v)) for half in ("budget", "final")
                           for v in ref[half].values()])


def snippets(name: str) -> dict[str, str]:
    text = (HERE / "text" / f"{name}.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {k.strip(): v.strip() for k, v in zip(parts[1::2], parts[2::2], strict=True)}


def build(name: str, ref: dict, settings: Settings) -> Disclosure:
    year = settings.year
    tables = {
        "t01": paired(ref["t01"], "t01", year),
        "t04": paired(ref["t04"], "t04", year),
        "t06": economic(ref["t06"], super_header=settings.who == "单位"),
        "t07": single(ref["t07"]),
    }
    for tid in ("t02", "t03", "t05", "t08", "t09"):
        tables[tid] = subject(ref[tid])
    return Disclosure(settings, tables, snippets(name))


def main(argv: list[str]) -> int:
    ref_dir = Path(argv[1]) if len(argv) > 1 else HERE.parent.parent / "shared" / "reference"
    for name, settings in SAMPLES.items():
        ref = json.loads((ref_dir / f"{name}.json").read_text(encoding="utf-8"))
        save_workbook(build(name, ref, settings), HERE / f"{name}.xlsx")
        print(f"wrote data/{name}.xlsx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
