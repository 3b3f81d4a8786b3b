"""Regenerate the sample workbooks in data/ from the reference JSON of three published seeds.

    python data/make_samples.py [REFERENCE_DIR] [--only NAME ...]

REFERENCE_DIR defaults to data/reference (see its README for the origin); the 项目支出绩效自评表
come from its performance-<sample>.toml (one 绩效-N sheet per project). The narrative texts
(职责, 机构设置) come from data/text/<sample>.md. The workbooks are in the official layout that
`reportgen init` writes, so the samples exercise the same reader a finance office uses.

Two deliberate departures from the printed seeds: 峄城区 is spelled correctly (the seed's OCR
gives 峯/峰城区), and 深圳's 公开04 支出 totals carry the standard 行次 59/60/64 rather than the
23/24/28 its template misprinted.

The 部门预算 sample (shenzhen-yibao-2022) is the reference's tables and `inputs` section as
reportgen.kinds.yusuan.reference.budget_from reads them (its snippets are also in
data/text/shenzhen-yibao-2022.md), written by the 预算 kind's own workbook writer.

Regenerating is byte-stable: a workbook whose content (every part but the creation time) is
unchanged is left as it is, and a changed one is written with fixed times in the zip and the
document properties, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from reportgen.kinds.juesuan.layouts import sides
from reportgen.kinds.yusuan.reference import budget_from
from reportgen.kinds.yusuan.workbook import save_budget
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
from reportgen.performance.inputs import projects_from_data
from reportgen.sources import read_texts, strip_ordinal
from reportgen.supplement import GPB_TOTAL, BudgetRow, Supplement
from reportgen.workbook import save_workbook

HERE = Path(__file__).resolve().parent
SAMPLES = {
    "shenzhen-2020": Settings(
        unit_name="深圳市医疗保障局（本级）", year=2020, who="部门", zero="blank",
        headings="一、", table_notes=False, car_running_label="公务用车运行费",
        sangong_basis="全年预算数", t09_total_label="合计", profile="深圳",
    ),
    "yicheng-2020": Settings(
        unit_name="峄城区医疗保障局（本级）", year=2020, who="单位", zero="0.00",
        headings="第一部分", table_notes=True, car_running_label="公务用车运行维护费",
        sangong_basis="年初预算数", t09_total_label="小计", profile="峄城",
    ),
}

BUDGET_SAMPLES = {
    "shenzhen-yibao-2022": Settings(
        unit_name="深圳市医疗保险基金管理中心", year=2022, who="部门", kind="预算", profile="深圳",
    ),
}

# 上年数, 预算数, 情况 and 绩效项目 from the reference's narrative facts (key → value).
# Where a seed states only the change, the prior figure is current − change.
PRIOR = {
    "shenzhen-2020": {
        "收支总计": "total_income_2019", "本年支出合计": "total_expenditure_2019",
        "财政拨款收支总计": "fiscal_grant_income_2019", "财政拨款支出": "fiscal_grant_expenditure_2019",
        "一般公共预算财政拨款支出": "gpb_expenditure_2019",
        "一般公共预算财政拨款基本支出": "gpb_basic_expenditure_2019",
        "一般公共预算财政拨款项目支出": "gpb_project_expenditure_2019",
        "“三公”经费": "three_public_2019_final", "因公出国（境）费": "overseas_2019_final",
        "公务用车购置及运行费": "vehicle_purchase_operation_2019_final",
        "公务用车购置费": "vehicle_purchase_2019_final", "公务用车运行费": "vehicle_operation_2019_final",
        "公务接待费": "reception_2019_final", "机关运行经费": "admin_operating_expenses_2019",
    },
    "yicheng-2020": {
        # current (from the tables) − the stated increase
        "收支总计": ("1654.71", "total_income_expenditure_increase_vs_2019"),
        "财政拨款收入": ("1601.48", "fiscal_grant_income_increase_vs_2019"),
        "基本支出": ("222.30", "basic_expenditure_increase_vs_2019"),
        "项目支出": ("1417.06", "project_expenditure_increase_vs_2019"),
        "财政拨款收支总计": ("1654.71", "fiscal_grant_total_increase_vs_2019"),
        "一般公共预算财政拨款支出": ("1562.82", "gpb_expenditure_increase_vs_2019"),
        "上级补助收入": "0", "事业收入": "0", "经营收入": "0", "附属单位上缴收入": "0", "其他收入": "0",
        "上缴上级支出": "0", "经营支出": "0", "对附属单位补助支出": "0",
    },
}
FACTS = {
    "shenzhen-2020": {
        "因公出国团组数": "0", "因公出国人次": "0", "公务用车购置数": "vehicles_purchased",
        "公务用车保有量": "vehicles_total", "国内公务接待批次": "reception_batches",
        "国内公务接待人次": "reception_persons", "机关运行经费": "admin_operating_expenses",
        "政府采购总额": "gov_procurement_total", "政府采购货物支出": "gov_procurement_goods",
        "政府采购工程支出": "gov_procurement_works", "政府采购服务支出": "gov_procurement_services",
        "资产总额": "assets_total", "流动资产": "assets_current", "非流动资产": "assets_non_current",
        "车辆总数": "vehicles_total", "领导干部用车": "vehicles_leadership",
        "一般公务用车": "vehicles_general_official", "一般执法执勤用车": "vehicles_law_enforcement",
        "机要通信用车": "vehicles_confidential_comm", "应急保障用车": "vehicles_emergency",
        "其他用车": "vehicles_other", "单价50万元以上通用设备": "general_equipment_over_50wan_units",
        "单价100万元以上专用设备": "special_equipment_over_100wan_units",
        "绩效一级项目数": "perf_eval_first_level_projects", "绩效二级项目数": "perf_eval_second_level_projects",
    },
    "yicheng-2020": {
        "因公出国团组数": "overseas_delegations", "因公出国人次": "overseas_person_times",
        "公务用车购置数": "vehicles_purchased", "公务用车保有量": "vehicles_held_with_fiscal_operating_funds",
        "国内公务接待批次": "domestic_reception_batches", "国内公务接待人次": "domestic_reception_person_times",
        "外事接待批次": "foreign_affairs_reception_batches", "外事接待人次": "foreign_affairs_reception_person_times",
        "国（境）外接待批次": "overseas_reception_batches", "国（境）外接待人次": "overseas_reception_person_times",
        "国内接待费": "domestic_reception_amount", "国（境）外接待费": "overseas_reception_amount",
        "机关运行经费": "admin_operating_expenses", "机关运行经费年初预算": "admin_operating_expenses_initial_budget",
        "政府采购总额": "gov_procurement_total", "政府采购货物支出": "gov_procurement_goods",
        "政府采购工程支出": "gov_procurement_works", "政府采购服务支出": "gov_procurement_services",
        "授予中小企业合同金额": "sme_contract_amount", "授予小微企业合同金额": "small_micro_contract_amount",
        "车辆总数": "vehicles_total", "领导干部用车": "vehicles_leadership",
        "机要通信用车": "vehicles_confidential_comm", "应急保障用车": "vehicles_emergency",
        "执法执勤用车": "vehicles_law_enforcement", "特种专业技术用车": "vehicles_special_technical",
        "离退休干部用车": "vehicles_retired_cadres", "其他用车": "vehicles_other",
        "单价50万元以上通用设备": "general_equipment_over_50wan_units",
        "单价100万元以上专用设备": "special_equipment_over_100wan_units",
    },
}
# 深圳 explains the classes with its own tails (seed 000, 名词解释 (一)–(五)).
SZ_GLOSSARY = {
    "财政拨款收入": "指当年从市级财政取得的公共预算财政拨款。",
    "208": "指政府在社会保障与就业方面的支出。包括社会保障与就业管理事务、民政管理事务、财政对社会保险基金补助、"
           "行政事业单位离退休、企业改革补助、就业补助、抚恤、退役安置、社会福利、残疾人事业、城市居民最低生活保障、"
           "自然灾害生活救助、红十字会事务等。我局主要是用于行政机关开支的离退休人员经费。",
    "210": "主要反映政府医疗卫生方面的支出。我局主要用于行政事业单位医疗、财政对基本医疗保险基金的补助、医疗救助等。",
    "221": "指政府用于住房方面的支出。包括保障性安居工程支出、住房改革支出、城乡社区住宅支出等。"
           "我局主要用于按照国家政策规定向职工发放住房公积金、购房补贴等。",
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
    return read_texts(HERE / "text" / f"{name}.md")


def supplement(name: str, ref: dict, ref_dir: Path) -> Supplement:
    facts = {f["key"]: f["value"] for f in ref["narrative_facts"]}

    def value(spec) -> Value:
        if isinstance(spec, tuple):
            return Value(dec(spec[0]) - dec(facts[spec[1]]))
        return Value(dec(facts[spec]) if spec in facts else dec(spec))

    s = Supplement()
    s.prior = {k: value(v) for k, v in PRIOR[name].items()}
    s.facts = {k: value(v) for k, v in FACTS[name].items()}
    if name == "shenzhen-2020":
        s.budgets[GPB_TOTAL] = BudgetRow(GPB_TOTAL, "一般公共预算财政拨款支出", {
            "年初预算数": value("gpb_expenditure_initial_budget"),
            "调整预算数": value("gpb_expenditure_adjusted_budget")})
        for code, key in (("208", "adjusted_budget_208_social_security"), ("210", "adjusted_budget_210_health"),
                          ("221", "adjusted_budget_221_housing")):
            s.budgets[code] = BudgetRow(code, "", {"调整预算数": value(key)})
        s.glossary = dict(SZ_GLOSSARY)
    else:
        # 峄城's 一般公共预算 年初预算 is the sum of its 项 (the seed's printed 1,795.03 wrongly
        # included the 350 彩票公益金 budget; spec §4.6 no. 8), so no 合计 row is given.
        for key, v in facts.items():
            if key.startswith("initial_budget_"):
                code = key.removeprefix("initial_budget_")
                s.budgets[code] = BudgetRow(code, "", {"年初预算数": Value(dec(v))})
    # The 项目支出绩效自评表 (绩效-N sheets): the narrative's 绩效 figures are derived from them.
    forms = tomllib.loads((ref_dir / f"performance-{name}.toml").read_text(encoding="utf-8"))
    s.performance = projects_from_data(forms)
    return s


def build(name: str, ref: dict, settings: Settings, ref_dir: Path) -> Disclosure:
    year = settings.year
    tables = {
        "t01": paired(ref["t01"], "t01", year),
        "t04": paired(ref["t04"], "t04", year),
        "t06": economic(ref["t06"], super_header=settings.who == "单位"),
        "t07": single(ref["t07"]),
    }
    for tid in ("t02", "t03", "t05", "t08", "t09"):
        tables[tid] = subject(ref[tid])
    d = Disclosure(settings, tables, snippets(name))
    d.supplement = supplement(name, ref, ref_dir)
    names = {r.code: r.name for t in (tables["t03"], tables["t05"], tables["t08"]) for r in t.rows}
    for row in d.supplement.budgets.values():
        row.name = row.name or names.get(row.code, "")
    return d


# -- byte-stable writing ----------------------------------------------------------------------

FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries' time: any constant will do
CORE = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _parts(path: Path) -> dict[str, bytes]:
    """The workbook's parts, the creation and modification times blanked."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    if CORE in parts:
        parts[CORE] = _STAMP.sub(rb"\1\3", parts[CORE])
    return parts


def _normalised(src: Path, dst: Path) -> None:
    """`src` rewritten to `dst` with fixed times (openpyxl stamps the clock into both)."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == CORE:
                data = _STAMP.sub(rb"\g<1>2020-01-01T00:00:00Z\3", data)
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            out.writestr(fixed, data)


def write_stable(write: Callable[[Path], None], target: Path) -> bool:
    """Write through `write` unless the target already holds the same content; True if written."""
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fresh = Path(tmp) / target.name
        write(fresh)
        if target.exists() and _parts(fresh) == _parts(target):
            return False
        stable = Path(tmp) / f"stable-{target.name}"
        _normalised(fresh, stable)
        os.replace(stable, target)
        return True


def main(argv: list[str]) -> int:
    args = argv[1:]
    only: set[str] = set()
    if "--only" in args:
        i = args.index("--only")
        only, args = set(args[i + 1:]), args[:i]
    ref_dir = Path(args[0]) if args else HERE / "reference"
    for name, settings in SAMPLES.items():
        if only and name not in only:
            continue
        ref = json.loads((ref_dir / f"{name}.json").read_text(encoding="utf-8"))
        d = build(name, ref, settings, ref_dir)
        done = write_stable(lambda p, d=d: save_workbook(d, p), HERE / f"{name}.xlsx")
        print(f"{'wrote' if done else 'unchanged'} data/{name}.xlsx")
    for name, settings in BUDGET_SAMPLES.items():
        if only and name not in only:
            continue
        ref = json.loads((ref_dir / f"{name}.json").read_text(encoding="utf-8"))
        b = budget_from(ref, replace(settings, competent=ref["unit"]["competent_department"]))
        done = write_stable(lambda p, b=b: save_budget(b, p), HERE / f"{name}.xlsx")
        print(f"{'wrote' if done else 'unchanged'} data/{name}.xlsx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
