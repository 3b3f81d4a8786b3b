"""The 部门预算 reference (seed 003): its identities, their power to catch errors, the narrative's figures."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.kinds.yusuan import figures, rules
from reportgen.kinds.yusuan.layouts import TABLES

REF_PATH = Path(__file__).resolve().parent.parent / "data" / "reference" / "shenzhen-yibao-2022.json"
ERRORS = {"p2_lottery_increase": ("784", "386"), "p5_sangong_growth": ("119", "84"),
          "p7_handling": ("3829", "3871"), "p7_general": ("1522", "1480")}
# The document's own rounding residues (spec §9), each reported as rounding, never as an error.
STATED_RESIDUES = {
    "T01-03": ("255126", "255125"),  # 表1 本年收入合计 vs 政府预算拨款 + 单位资金
    "T01-E-21015": ("13869", "13868"),  # 表1 医疗保障管理事务 vs its 项
    "T02-02": ("256890", "256889"),  # 表2 收入总计 vs the row
    "T03-01": ("256890", "256889"),  # 表3 支出总计 vs 基本 + 项目
    "T11-01": ("256890", "256889"),  # 表11 金额合计 vs 财政拨款 + 其他资金
}
# Cells bounded only by inequalities (其中 ≤ 小计): an increase below the bound is undetectable.
ONLY_BOUNDED = {"t03.unit.procurement_sme", "t03.unit.procurement_micro"}


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads(REF_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checked(ref):
    rs = rules.all_rules(ref)
    vals = rules.values(ref)
    prec = {a: rules.precision_of(ref, a) for a in vals}
    return rs, vals, prec, {f.rule.id: f for f in rules.check(rs, vals, prec)}


def test_tables_match_the_layouts(ref):
    tables = ref["tables"]
    assert sorted(tables) == sorted(TABLES) == [f"t{i:02d}" for i in range(1, 12)]
    for tid, layout in TABLES.items():
        leaves = []

        def walk(cols, out):
            for c in cols:
                if "children" in c:
                    walk(c["children"], out)
                elif "key" in c:
                    out.append(c["key"])

        walk(tables[tid]["columns"], leaves)
        assert leaves == layout.keys(), tid
        for row in tables[tid].get("rows", []):
            assert list(row["values"]) == layout.keys(), (tid, row["key"])
    # 表5: 4 printed project rows, 6 reconstructed and the reconstructed 合计; 表4 not printed at all.
    src = [r["source"] for r in tables["t05"]["rows"]]
    assert src.count("printed") == tables["t05"]["rows_printed"] == 4 and len(src) == 11
    assert tables["t04"]["printed"] is False


def test_every_rule_names_existing_cells(checked):
    rs, vals, _, _ = checked
    missing = {c for r in rs for c in r.cells if c not in vals}
    assert not missing
    assert len({r.id for r in rs}) == len(rs)


def test_identities_hold_up_to_the_stated_rounding(checked):
    _, _, _, found = checked
    errors = [(i, f.left, f.right) for i, f in found.items() if f.status == "error"]
    assert errors == []
    for rid, (left, right) in STATED_RESIDUES.items():
        f = found[rid]
        assert (f.status, f.left, f.right) == ("rounding", Decimal(left), Decimal(right)), rid
    rounding = {i for i, f in found.items() if f.status == "rounding"}
    # The same residues seen from other rules (表1 − 表6, 第三部分's total, 表11's column) and nothing else.
    assert rounding - set(STATED_RESIDUES) == {"X-10", "N-01", "X-E1-210", "X-E1-21015", "T11-col-total"}


def test_published_errors_break_their_identities(ref):
    """Read as printed, 第七部分's 3,829 / 1,522 contradict 表5; corrected they do not."""
    rs = rules.all_rules(ref)
    vals = rules.values(ref)
    prec = {a: rules.precision_of(ref, a) for a in vals}
    for fig in ref["narrative_figures"]:
        if not fig["correct"] and f"n.{fig['id']}" in vals:
            vals[f"n.{fig['id']}"] = Decimal(fig["value"])
    bad = {f.rule.id for f in rules.check(rs, vals, prec) if f.status == "error"}
    assert bad == {"N-p7_handling", "N-p7_general"}


def test_single_cell_mutants_are_caught(ref, checked):
    rs, vals, prec, found = checked
    by_cell = defaultdict(list)
    for r in rs:
        for c in set(r.cells):
            by_cell[c].append(r)
    cells = [a for a, v in rules.table_cells(ref).items() if v is not None]
    assert set(cells) <= set(by_cell), "a table cell no identity names"
    mutants = errors = rounding_only = 0
    missed = set()
    for cell in cells:
        for delta in (1, -1, 10, -10, 1000, -1000):
            mutants += 1
            mutated = dict(vals)
            mutated[cell] += delta
            out = rules.check(by_cell[cell], mutated, prec)
            if any(f.status == "error" for f in out):
                errors += 1
            elif abs(delta) == 1 and any(f.status != found[f.rule.id].status for f in out):
                rounding_only += 1  # ±1 on an integer 万元 cell can be rounding; it is still reported
            else:
                missed.add(cell)
    assert mutants >= 500
    assert missed == ONLY_BOUNDED
    assert errors >= mutants - rounding_only - 6 * len(ONLY_BOUNDED)
    assert rounding_only < mutants // 20


def test_narrative_figures_recompute(ref):
    computed = [f for f in ref["narrative_figures"] if f["formula"] is not None]
    assert len(computed) >= 90
    for fig in computed:
        got = figures.evaluate(ref, fig["formula"])
        want = figures.expected(fig)
        assert str(got) == want if isinstance(got, str) else got == Decimal(want), fig["id"]


def test_the_three_published_errors(ref):
    figs = {f["id"]: f for f in ref["narrative_figures"]}
    wrong = {i: (f["value"], f["corrected"]) for i, f in figs.items() if not f["correct"]}
    assert wrong == ERRORS
    for i, (printed, corrected) in ERRORS.items():
        got = figures.evaluate(ref, figs[i]["formula"])
        assert got == Decimal(corrected) != Decimal(printed), i
    # 119 % is 7.68 / 3.5 − 1: the 运行维护费 base instead of the “三公” base 4.18.
    assert figures.evaluate(ref, {"pct": [{"diff": ["t08.current.total", "t08.prior.car"]}, "t08.prior.car"]}) == 119
    # 第三部分 states 386 with 增幅 35 %; 784 would need a 2021 budget of 693, i.e. 113 %.
    assert figures.evaluate(ref, {"pct": ["n.p3_lottery_increase", "f.prior_year_budget.lottery"]}) == 35
    base_784 = {"diff": ["t05.lottery.total", "n.p2_lottery_increase"]}
    assert figures.evaluate(ref, {"pct": ["n.p2_lottery_increase", base_784]}, stated=True) == 113
    # 第七部分's two wrong amounts keep the right sum.
    assert Decimal(figs["p7_handling"]["value"]) + Decimal(figs["p7_general"]["value"]) == 3871 + 1480


def test_percentages_round_half_up(ref):
    # 3.50 / 4.18 = 83.73 %, 401 / 3,470 = 11.56 %, 47 / 503 = 9.34 %: whole numbers, half up.
    assert figures.evaluate(ref, {"pct": ["t08.change.total", "t08.prior.total"]}) == 84
    assert figures.evaluate(ref, {"pct": [{"sum": ["n.p3_handling_increase"]}, "f.prior_year_budget.handling"]}) == 12
    assert figures.evaluate(ref, {"pct": ["n.p8_admin_increase", "f.prior_year_budget.admin_cost"]}) == 9
    # Exact halves go up (banker's rounding would give 0 and 2): 1 / 200 = 0.5 %, 5 / 200 = 2.5 %.
    halves = json.loads(json.dumps(ref))
    halves["facts"]["prior_year_budget"]["total"] = "200"
    assert figures.evaluate(halves, {"pct": ["n.p5_new_car", "f.prior_year_budget.total"]}) == 1
    assert figures.evaluate(halves, {"pct": ["n.p3_handling_threshold", "f.prior_year_budget.total"]}) == 3


def test_reconstructed_tables_meet_the_stated_totals(ref):
    t04 = {r["key"]: r for r in ref["tables"]["t04"]["rows"]}
    assert {k: t04[k]["values"]["budget"] for k in ("total", "301", "302", "303")} == {
        "total": "6283", "301": "5524", "302": "550", "303": "209"}
    assert {r["source"] for r in t04.values()} == {"stated", "inferred", "residual"}
    t05 = {r["key"]: r["values"] for r in ref["tables"]["t05"]["rows"]}
    perf = sum(Decimal(v["gpb_perf"]) for k, v in t05.items() if k != "total")
    assert perf == 5633 and Decimal(t05["handling"]["carryover"]) + Decimal(t05["central"]["carryover"]) == 1764
    assert sum(Decimal(v["total"]) for k, v in t05.items() if k != "total") == 250606
