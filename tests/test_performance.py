"""绩效自评表: the seeds' forms scored from their rows, the published errors reported, one source
for the narrative, and a project filled by hand into an `init` workbook."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from perf_fill import fill_one_project
from reportgen.grid import read_grids
from reportgen.kinds.juesuan.narrative import build_narrative
from reportgen.kinds.juesuan.rules import validate
from reportgen.model import Disclosure, Settings, Value
from reportgen.performance.checks import performance_findings
from reportgen.performance.inputs import projects_from_data, read_project, write_project
from reportgen.performance.model import Indicator, MoneyRow, PerfProject
from reportgen.performance.rules import Rules, rules_for, rules_from
from reportgen.performance.scoring import execution_score, score_project
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
FIXTURES = {  # fixture → (profile, published totals in form order)
    ROOT / "data/reference/performance-shenzhen-2020.toml":
        ("深圳", ["96.6", "92.9", "88.7", "92.4", "89", "94.45", "84", "94.27"]),  # + 附件1-1 部门整体
    ROOT / "data/reference/performance-yicheng-2020.toml":
        ("峄城", ["99.91", "99.60", "100.00", "100.00", "100.00", "99.94", "100.00", "98.69", "100.00", "97.22",
                 "100", "100", "100"]),
    ROOT / "tests/data/performance/sichuan-002.toml": ("四川", ["86", "93.48", "99.18", "100"]),
}
# Spec §4.6 nos. 9 and 19: the only totals that do not follow from their own rows.
CORRECTED = {"劳务费": D("97.21"), "医疗保障能力建设": D("93.27")}


class Problems:
    def __init__(self):
        self.lines: list[tuple[str, str]] = []

    def problem(self, where: str, message: str) -> None:
        self.lines.append((where, message))


def round_trip(projects: list[PerfProject], tmp_path: Path) -> list[PerfProject]:
    """Write each project to a 绩效-N sheet and read it back, as a unit's workbook would be."""
    wb = Workbook()
    for i, p in enumerate(projects, start=1):
        write_project(wb, p.sheet if p.whole else f"绩效-{i}", p)
    path = tmp_path / "forms.xlsx"
    wb.save(path)
    problems = Problems()
    out = [read_project(g, problems, "万元") for g in read_grids(path) if g.title.startswith("绩效-")]
    assert problems.lines == []
    return [p for p in out if p is not None]


@pytest.mark.parametrize("path", list(FIXTURES), ids=[p.stem for p in FIXTURES])
def test_each_seed_form_scores_to_its_published_total(path, tmp_path):
    profile, published = FIXTURES[path]
    rules = rules_for(Settings(unit_name="x", year=2020, profile=profile))
    projects = round_trip(projects_from_data(tomllib.loads(path.read_text(encoding="utf-8"))), tmp_path)
    assert [p.total.amount for p in projects] == [D(x) for x in published]
    assert [p.whole for p in projects].count(True) == (1 if profile == "深圳" else 0)
    for p in projects:
        sp = score_project(p, rules)
        typed = sum((i.score.amount for i in p.indicators if i.score), D(0)) + (
            p.money[0].score.amount if p.money and p.money[0].score else D(0))
        if p.indicators:  # the printed scores add up to the printed total (Σ 得分 = 总分)
            assert typed == p.total.amount, p.name
            assert sp.weight_total == 100, p.name
        assert sp.total == CORRECTED.get(p.name, p.total.amount), p.name
        assert all(s.score is not None for s in sp.indicators)


def disclosure(path: Path, profile: str) -> Disclosure:
    d = Disclosure(Settings(unit_name="x", year=2020, profile=profile), {})
    d.supplement.performance = projects_from_data(tomllib.loads(path.read_text(encoding="utf-8")))
    for i, p in enumerate(d.supplement.performance, start=1):  # give every value a cell, as a read would
        p.money[0] = MoneyRow(p.money[0].label, p.money[0].initial, Value(p.money[0].budget.amount, f"绩效-{i}!C8"),
                              Value(p.money[0].actual.amount, f"绩效-{i}!D8"), p.money[0].weight, p.money[0].rate,
                              f"绩效-{i}!F8", p.money[0].score and Value(p.money[0].score.amount, f"绩效-{i}!G8"))
        for k, ind in enumerate(p.indicators):
            ind.score = ind.score and Value(ind.score.amount, f"绩效-{i}!H{17 + k}")
    return d


def test_002_published_execution_score_is_reported_with_the_corrected_value():
    d = disclosure(ROOT / "tests/data/performance/sichuan-002.toml", "四川")
    findings, _ = performance_findings(d)
    got = {(f.rule, f.where, str(f.left), str(f.right)) for f in findings}
    assert got == {
        ("P-3", "绩效-2「医疗保障能力建设」 预算执行率", "3.48", "3.27"),
        ("P-4", "绩效-2「医疗保障能力建设」", "93.48", "93.27"),
    }
    p3 = next(f for f in findings if f.rule == "P-3")
    assert p3.severity == "warning" and p3.cells == ["绩效-2!H21"]
    assert "按「执行率」规则计算为 3.27" in p3.message


def test_001_labour_cost_rate_is_reported_with_the_corrected_value():
    report = validate(read_workbook(ROOT / "data/yicheng-2020.xlsx"))
    assert report.count("error") == 0
    found = {(f.rule, f.where, str(f.left), str(f.right)) for f in report.findings if f.table == "performance"
             and f.severity == "warning"}
    assert found == {
        ("P-3", "绩效-10「劳务费」 年度资金总额", "7.22", "7.21"),
        ("P-4", "绩效-10「劳务费」", "97.22", "97.21"),
        ("P-5", "绩效-10「劳务费」 执行率", "72.21", "72.06"),
        # the first central-subsidy form prints 99.96 % for 7.99 ÷ 8
        ("P-5", "绩效-11「医疗保障与服务能力提升专项补助资金（医疗保障能力建设部分）」 执行率", "99.96", "99.88"),
    }
    p5 = next(f for f in report.findings if f.rule == "P-5" and "劳务费" in f.where)
    assert p5.cells == ["绩效-10!F8", "绩效-10!C8", "绩效-10!D8"]
    assert "4.9 ÷ 全年预算数 6.8 = 72.06%" in p5.message


# -- the rules ---------------------------------------------------------------------------------


def money_project(budget: str, actual: str, weight: str = "10") -> PerfProject:
    p = PerfProject("绩效-1", "p", "绩效-1!B2")
    p.money.append(MoneyRow("年度资金总额", None, Value(D(budget)), Value(D(actual)), Value(D(weight))))
    return p


@pytest.mark.parametrize(("profile", "budget", "actual", "score"), [
    ("深圳", "47469915.45", "38277693.12", "8.10"),  # 80.64 % → 81 % first → 8.1
    ("深圳", "16416200.00", "1227139.30", "0.70"),  # 7.48 % → 7 % → 0.7
    ("峄城", "6.8", "4.9", "7.21"),  # 72.06 % × 10
    ("峄城", "1361.11", "1348.2", "9.91"),
    ("四川", "139.5", "114.0", "3.27"),  # ×4 (分值 4) below 90 %
    ("四川", "164.0", "130.19", "3.18"),
    ("四川", "100", "91", "4.00"),  # full at ≥ 90 %
    ("四川", "100", "0", "0.00"),
])
def test_execution_score_per_profile(profile, budget, actual, score):
    weight = "4" if profile == "四川" else "10"
    sp = score_project(money_project(budget, actual, weight), rules_for(Settings(unit_name="x", year=2020,
                                                                                  profile=profile)))
    assert str(sp.execution_score) == score


def test_deduct_rule_of_004_one_point_per_point_below_100():
    rules = rules_from({"execution": {"method": "deduct", "rate_places": 0, "per_point": 1}})
    assert execution_score(D(95), D(20), rules) == D("15.00")
    assert execution_score(D(100), D(20), rules) == D("20.00")
    assert execution_score(D(50), D(20), rules) == D("0.00")  # never below zero


def ind(method: str, target: str, actual: str, weight: str = "10") -> Indicator:
    return Indicator("产出指标", "数量指标", "x", method, target, actual, Value(D(weight)), None, "", "绩效-1!C17")


SZ_RULES = rules_for(Settings(unit_name="x", year=2020, profile="深圳"))
SC_RULES = rules_for(Settings(unit_name="x", year=2020, profile="四川"))


@pytest.mark.parametrize(("rules", "indicator", "score"), [
    (SZ_RULES, ind("数量", "75人", "73人", "15"), "14.60"),  # actual ÷ target × 分值
    (SZ_RULES, ind("数量", "384633人", "361741人", "15"), "14.11"),
    (SZ_RULES, ind("数量", "4500人", "10987人", "15"), "15.00"),  # full when over
    (SZ_RULES, ind("数量", "≤2 次", "0"), "10.00"),  # a ceiling met
    (SZ_RULES, ind("数量", "少于6天", "6天", "5"), "0.00"),  # a strict ceiling missed
    (SZ_RULES, ind("是否", "是", "否"), "0.00"),  # all or nothing
    (SZ_RULES, ind("是否", "按时", "按时"), "10.00"),
    (SZ_RULES, ind("分档：固定资产利用率", "", "80%", "1"), "0.70"),  # 附件1-1 tiers
    (SZ_RULES, ind("分档：固定资产利用率", "", "59%", "1"), "0.00"),
    (SZ_RULES, ind("分档：控制率", "", "89.9%", "3"), "3.00"),
    (SZ_RULES, ind("分档：控制率", "", "100%", "3"), "2.00"),
    (SZ_RULES, ind("分档：控制率", "", "100.1%", "3"), "0.00"),
    (SZ_RULES, ind("分档：满意度", "", "92%", "6"), "4.00"),
    (SZ_RULES, ind("满意度", "≥90%", "85%"), "9.44"),  # target rule: 85 ÷ 90 × 10
    (SC_RULES, ind("满意度", "≥80%", "70%"), "8.00"),  # 60 + 40 × (70 − 60) / 20 = 80 %
    (SC_RULES, ind("满意度", "≥80%", "55%"), "3.00"),  # 60 − 60 × (60 − 55) / 10 = 30 %
    (SC_RULES, ind("满意度", "≥80%", "50%"), "0.00"),
    (SC_RULES, ind("满意度", "≥90%", "60%"), "6.00"),
])
def test_indicator_rules(rules: Rules, indicator: Indicator, score: str):
    p = PerfProject("绩效-1", "p", "绩效-1!B2", indicators=[indicator])
    sp = score_project(p, rules)
    assert sp.indicators[0].computed and str(sp.indicators[0].score) == score


def test_judged_score_is_kept_and_a_missing_one_is_an_error():
    judged = ind("定性", "提高", "提高", "15")
    judged.score = Value(D("13.5"), "绩效-1!H17")
    blank = ind("定性", "提高", "提高", "85")
    d = Disclosure(Settings(unit_name="x", year=2020, profile="深圳"), {})
    d.supplement.performance = [PerfProject("绩效-1", "p", "绩效-1!B2", indicators=[judged, blank])]
    sp = score_project(d.supplement.performance[0], SZ_RULES)
    assert sp.indicators[0].score == D("13.5") and not sp.indicators[0].computed
    findings, _ = performance_findings(d)
    assert [(f.rule, f.severity, f.cells) for f in findings] == [("P-8", "error", ["绩效-1!C17"])]
    assert findings[0].message == "定性指标需填写得分"


def test_grades_are_profile_data_and_a_profile_may_override_them():
    assert [SZ_RULES.grade(D(x)) for x in ("90", "89.99", "80", "60", "59.9")] == ["优", "良", "良", "中", "差"]
    strict = rules_from({"grades": [[95, "优"], [85, "良"], [70, "中"], [0, "差"]]})
    assert strict.grade(D("94.45")) == "良"


# -- one source: the narrative's 绩效 figures ---------------------------------------------------


def test_narrative_figures_come_from_the_forms():
    d = read_workbook(ROOT / "data/yicheng-2020.xlsx")
    pf = build_narrative(d).performance
    assert pf["count"] == "13" and pf["funds"] == "1,417.06" and pf["share"].percent == "100"
    assert {g: pf["grades"][g] for g in "优良中"} == {"优": "13", "良": "0", "中": "0"}
    assert pf["projects"] == []  # 峄城 prints its forms in the annex, no paragraph per project
    labour = next(p for p in d.supplement.projects if p.name == "劳务费")
    assert (labour.score, labour.grade, labour.budget.amount, labour.actual.amount) == ("97.21", "优", D("6.8"),
                                                                                      D("4.9"))
    assert labour.budget.ref == "绩效-10!C8"  # the figure remembers its form cell
    sz = build_narrative(read_workbook(ROOT / "data/shenzhen-2020.xlsx")).performance
    # the 深圳 template prints count_given (kinds: "count" is the figure a template requires)
    assert (sz["count_given"], sz["level1"], sz["funds"]) == (None, "7", "5,318.86")  # Σ 执行数 of the 7 forms
    first = sz["projects"][0]
    assert (first["p"].name, first["budget"], first["actual"], first["p"].score) == (
        "医疗保障综合管理", "4,746.99", "3,827.77", "96.6")


# -- init, fill one project by hand, validate ---------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_init_then_a_project_filled_by_hand_is_scored_and_checked(tmp_path):
    target = tmp_path / "unit.xlsx"
    assert run("init", "--year", "2021", "--unit", "某某局", str(target), cwd=tmp_path).returncode == 0
    fill_one_project(target)
    d = read_workbook(target)
    (p,) = d.supplement.performance
    assert p.name == "信息系统运维" and p.money[0].budget.ref == "绩效-1!C8"
    report = validate(d)
    perf = {(f.rule, f.severity, f.where, str(f.right)) for f in report.findings if f.table == "performance"}
    assert perf == {  # the 执行率 score 60 ÷ 80 = 75 % × 10 = 7.5 agrees with the typed one
        ("P-3", "warning", "绩效-1「信息系统运维」 系统数", "32.00"),  # 8 ÷ 10 × 40, typed 35
        ("P-4", "warning", "绩效-1「信息系统运维」", "89.50"),
    }
    # the narrative counts this project with its computed score
    pf = build_narrative(d).performance
    assert (pf["count"], pf["funds"], pf["grades"]["良"], pf["grades"]["优"]) == ("1", "60", "1", "0")
    (proj,) = d.supplement.projects
    assert (proj.score, proj.grade, proj.actual.amount) == ("89.5", "良", D(60))
    out = run("validate", str(target), cwd=tmp_path).stdout
    assert "[警告] P-4 绩效-1「信息系统运维」：总分填报为 92.5，计算为 89.5（等级良）；表中印计算值" in out
    assert "绩效-1「信息系统运维」：总分 89.5（填报 92.5），等级良，执行率 75.00%" in out


def test_a_bad_value_in_a_form_is_one_problem_line_naming_the_cell(tmp_path):
    src = ROOT / "data/yicheng-2020.xlsx"
    wb = load_workbook(src)
    wb["绩效-3"]["G17"] = "十五"
    wb["绩效-3"]["D17"] = "按比例"
    wb["绩效-3"]["G18"] = 150
    wb["绩效-3"]["C8"] = 1e40  # hostile: would overflow every Decimal result
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    proc = run("validate", str(bad), cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert any("[绩效-3!G17]：数值无法识别：读到「十五」，应为数字" in x for x in lines), lines
    assert any("[绩效-3!D17]：评分方法应为数量、比率、是否、满意度、执行率、定性或「分档：名称」，读到「按比例」" in x
               for x in lines), lines
    assert any("[绩效-3!G18]：分值、得分应在 0 到 100 之间" in x for x in lines), lines
    assert any("[绩效-3!C8]：数值无法识别：读到「1e+40」，应为数字（绝对值小于 10 万亿）" in x for x in lines), lines
    assert "Traceback" not in proc.stderr


def test_texts_from_the_md_file_reach_the_narrative_and_the_form():
    from reportgen.performance.inputs import apply_texts

    d = read_workbook(ROOT / "data/shenzhen-2020.xlsx")
    d.snippets["绩效.其他项目.绩效目标完成情况"] = "产出指标和效益指标完成较好。"  # as build merges <workbook>.md
    other = next(x for x in build_narrative(d).performance["projects"] if x["p"].name == "其他项目")
    assert other["p"].outcome == "产出指标和效益指标完成较好。"
    p = next(p for p in d.supplement.performance if p.name == "其他项目")
    ind = next(i for i in p.indicators if i.level3 == "员工满意度")
    apply_texts(p, {"绩效.其他项目.偏差原因.员工满意度": "无偏差"})
    assert ind.reason == "无偏差"
