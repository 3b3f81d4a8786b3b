"""勾稽关系: the identities within and between the nine tables, as rules that name their cells.

Every rule instance compares two sides built from model Values. Published 万元 figures are
rounded independently of their parts, so a sum of n nonzero parts may differ from its printed
total by up to n × 0.005 万元: inside that bound the difference is reported as rounding info
with its residue, outside it as an error. Strict mode (the default for workbooks in 元) allows
no difference at all. Conditional identities — those that hold only without non-fiscal money —
are checked as equalities only when the data (or the 非财政拨款资金 setting) says they apply;
otherwise their always-true inequality is checked and the report says why the equality was not.
"""

from __future__ import annotations

from ...catalog import Catalog, load_catalog
from ...model import Disclosure, EconomicTable, ListTable, PairedTable, SingleRowTable, SubjectRow, amounts
from ...performance.checks import performance_findings
from ...rules import Engine, Finding, Report, Rule, terms
from .layouts import LAYOUTS, PERSONNEL_CLASSES, PUBLIC_CLASSES, classes_for
from .rules_cross import CrossRules

CROSS = "cross"


RULES: tuple[Rule, ...] = (
    Rule("T01-1", "t01", "本年收入合计 = 第1–8行之和", "income total = rows 1–8"),
    Rule("T01-2", "t01", "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
         "income grand total = income total + non-fiscal balance used + opening balance"),
    Rule("T01-3", "t01", "本年支出合计 = 各类支出之和", "expenditure total = sum of the classes"),
    Rule("T01-4", "t01", "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
         "expenditure grand total = expenditure total + distribution + closing balance"),
    Rule("T01-5", "t01", "收入总计 = 支出总计", "income grand total = expenditure grand total"),
    Rule("T02-1", "t02", "每行：本年收入合计 = 各来源之和", "each row: total = sum of sources"),
    Rule("T02-2", "t02", "合计 = 各类之和；类 = 所属款之和；款 = 所属项之和（每列）",
         "total = Σ classes; class = Σ sections; section = Σ items (each column)"),
    Rule("T03-1", "t03", "每行：本年支出合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助",
         "each row: total = basic + project + remitted + operating + subsidies"),
    Rule("T03-2", "t03", "科目层级合计（每列）", "subject hierarchy sums (each column)"),
    Rule("T04-1", "t04", "本年收入合计 = 第1–3行之和", "income total = rows 1–3"),
    Rule("T04-2", "t04", "年初财政拨款结转和结余 = 第29–31行之和", "opening balance = rows 29–31"),
    Rule("T04-3", "t04", "收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
         "income grand total = income total + opening balance"),
    Rule("T04-4", "t04", "每个支出行：合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
         "each expenditure row: total = three fund columns"),
    Rule("T04-5", "t04", "本年支出合计（每列）= 各类支出之和", "expenditure total (each column) = Σ classes"),
    Rule("T04-6", "t04", "总计（每列）= 本年支出合计 + 年末财政拨款结转和结余",
         "grand total (each column) = expenditure total + closing balance"),
    Rule("T04-7", "t04", "收入总计 = 支出总计", "income grand total = expenditure grand total"),
    Rule("T04-8", "t04", "每类资金：本年收入 + 年初结转结余 = 该列支出总计",
         "per fund: income + opening balance = that column's grand total"),
    Rule("T05-1", "t05", "每行：小计 = 基本支出 + 项目支出", "each row: subtotal = basic + project"),
    Rule("T05-2", "t05", "科目层级合计（每列）", "subject hierarchy sums (each column)"),
    Rule("T06-1", "t06", "每个款 = 所属项之和", "each economic class = Σ its items"),
    Rule("T06-2", "t06", "人员经费合计 = 301 + 303", "personnel total = 301 + 303"),
    Rule("T06-3", "t06", "公用经费合计 = 302 + 307 + 310 + 312 + 399", "public total = 302+307+310+312+399"),
    Rule("T07-1", "t07", "合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费（预算、决算）",
         "total = abroad + cars + reception (budget and actual)"),
    Rule("T07-2", "t07", "公务用车小计 = 购置费 + 运行费", "car subtotal = purchase + running"),
    Rule("T08-1", "t08", "每行：年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余",
         "each row: opening + income − expenditure = closing"),
    Rule("T08-2", "t08", "每行：本年支出小计 = 基本支出 + 项目支出", "each row: subtotal = basic + project"),
    Rule("T08-3", "t08", "科目层级合计（每列）", "subject hierarchy sums (each column)"),
    Rule("T09-1", "t09", "每行：本年支出合计 = 基本支出 + 项目支出", "each row: total = basic + project"),
    Rule("T09-2", "t09", "科目层级合计（每列）", "subject hierarchy sums (each column)"),
    Rule("T10-1", "t10", "每行：合计 = 纳入预算管理 + 纳入财政专户管理", "each row: total = budget + special account"),
    Rule("T10-2", "t10", "合计行 = 一至九行之和", "total row = rows 一 to 九"),
    Rule("X01-02", CROSS, "公开02合计 = 公开01本年收入（合计、财政拨款、各项收入）",
         "公开02 total = 公开01 income lines"),
    Rule("X01-03", CROSS, "公开03合计 = 公开01本年支出合计；公开01各类支出 = 公开03类行",
         "公开03 total and classes = 公开01 expenditure"),
    Rule("X01-04a", CROSS, "公开04第1–3行 = 公开01第1–3行", "公开04 rows 1–3 = 公开01 rows 1–3"),
    Rule("X01-04b", CROSS, "公开04年初财政拨款结转和结余 = 公开01年初结转和结余（无非财政拨款结转时）",
         "公开04 opening = 公开01 opening (no non-fiscal carry-over)"),
    Rule("X01-04c", CROSS, "公开04本年支出合计 = 公开01本年支出合计（全部为财政拨款支出时）",
         "公开04 expenditure = 公开01 expenditure (all spending fiscal)"),
    Rule("X01-04d", CROSS, "公开04年末 = 公开01年末结转和结余（无非财政拨款资金时）",
         "公开04 closing = 公开01 closing (no non-fiscal money)"),
    Rule("X01-04e", CROSS, "公开04总计 = 公开01总计（无非财政拨款资金时）",
         "公开04 grand total = 公开01 grand total (no non-fiscal money)"),
    Rule("X02-04", CROSS, "公开04本年收入合计 = 公开02合计财政拨款收入",
         "公开04 income total = 公开02 fiscal income"),
    Rule("X04-05a", CROSS, "公开05合计 = 公开04本年支出合计（一般公共预算列）",
         "公开05 total = 公开04 GPB expenditure"),
    Rule("X04-05b", CROSS, "公开04各类支出（一般公共预算列）= 公开05类行", "公开04 GPB classes = 公开05 classes"),
    Rule("X03-05", CROSS, "公开05合计基本支出 = 公开03合计基本支出（基本支出全部为一般公共预算时）",
         "公开05 basic = 公开03 basic (all basic spending GPB)"),
    Rule("X03-05r", CROSS, "公开05科目行 = 公开03同一科目行（该科目全部为一般公共预算时）",
         "公开05 row = 公开03 row (subject 100% GPB)"),
    Rule("X02-03", CROSS, "公开02合计 − 公开03合计 = （年末 + 结余分配）−（年初 + 使用非财政拨款结余）",
         "income − expenditure = change in carry-over"),
    Rule("X05-06", CROSS, "公开06人员经费 + 公用经费 = 公开05合计基本支出", "公开06 totals = 公开05 basic"),
    Rule("S06-05", CROSS, "经济分类项与对应功能分类项（基本支出）相等（提示）",
         "economic item = matching functional item (hint)", soft=True),
    Rule("X06-07", CROSS, "公开07决算各项 ≥ 公开06对应经济分类项", "公开07 actuals ≥ matching 公开06 items"),
    Rule("X04-08", CROSS, "公开08合计 = 公开04政府性基金（年初、收入、支出、年末）",
         "公开08 total = 公开04 government-fund figures"),
    Rule("X03-08", CROSS, "公开08科目本年支出 = 公开03同一科目（全部为政府性基金时）",
         "公开08 row = 公开03 row (subject all government-fund)"),
    Rule("X04-09", CROSS, "公开09合计 = 公开04本年支出合计（国有资本经营列）", "公开09 total = 公开04 SOC column"),
    Rule("N-5", "narrative", "国内接待费 + 国（境）外接待费 = 公开07 公务接待费决算", "reception split = 公开07",
         soft=True),
    Rule("N-10", "narrative", "各绩效项目执行数之和 = 项目支出（样式规定公开03或05；提示）",
         "Σ project actuals = project spending", soft=True),
    Rule("N-11", "narrative", "政府采购总额 = 货物 + 工程 + 服务", "procurement total = goods + works + services",
         soft=True),
    Rule("N-12", "narrative", "车辆总数 = 各类车辆之和", "vehicles total = Σ by type", soft=True),
    Rule("N-13", "narrative", "资产总额 = 流动资产 + 非流动资产", "assets = current + non-current", soft=True),
    Rule("N-16", "narrative", "预算数「合计」= 公开05各项预算之和", "budget total = Σ item budgets", soft=True),
    Rule("N-19", "narrative", "上年一般公共预算财政拨款支出 = 上年基本支出 + 上年项目支出",
         "prior-year GPB spending = prior basic + prior project", soft=True),
    Rule("P-1", "performance", "绩效自评表：各项分值之和 = 100", "weights sum to 100"),
    Rule("P-2", "performance", "绩效自评表：填报总分 = 各项填报得分之和", "typed total = Σ typed scores"),
    Rule("P-3", "performance", "绩效自评表：填报得分 = 按评分规则计算的得分", "typed score = computed score",
         soft=True),
    Rule("P-4", "performance", "绩效自评表：填报总分 = 计算总分", "typed total = computed total", soft=True),
    Rule("P-5", "performance", "绩效自评表：执行率 = 全年执行数 ÷ 全年预算数", "rate = actual / budget", soft=True),
    Rule("P-6", "performance", "绩效自评表：年度资金总额 = 各资金来源之和", "total = Σ sources"),
    Rule("P-7", "performance", "绩效自评表：金额单位一致", "one money unit"),
    Rule("P-8", "performance", "绩效自评表：定性指标填写得分，其余指标可按规则计算", "judged scores typed"),
    *(Rule(f"T{i:02d}-0", f"t{i:02d}", "表已填写（金额不全为空或0）", "the table holds some amount")
      for i in range(1, 7)),
    Rule("C-2", "catalog", "下级科目的上级科目应在表中", "a child subject's parent is present"),
    Rule("C-3", "catalog", "科目名称应与科目目录一致", "subject name matches the catalog", soft=True),
    Rule("C-4", "catalog", "科目编码应在科目目录中", "subject code is in the catalog", soft=True),
)
RULE = {r.id: r for r in RULES}
GROUP_TITLES = {**{t.id: f"{t.label} {t.title}" for t in LAYOUTS.values()},
                CROSS: "跨表勾稽", "narrative": "表与情况说明数据", "performance": "绩效自评表",
                "catalog": "科目与目录"}


class Checker(CrossRules, Engine):
    rules = RULE

    def __init__(self, d: Disclosure, catalog: Catalog, strict: bool):
        super().__init__(d.settings.money_unit, strict)
        self.d = d
        self.catalog = catalog
        # A table not filled in yet takes part in no rule: its blanks are not zeros to reason with.
        self.unfilled = d.unfilled()
        self.tables = {tid: t for tid, t in d.tables.items() if tid not in self.unfilled}
        t = self.tables
        self.t01: PairedTable | None = t.get("t01")  # type: ignore[assignment]
        self.t04: PairedTable | None = t.get("t04")  # type: ignore[assignment]

    # -- within tables ------------------------------------------------------------------------

    def subject_table(self, tid: str, row_rule: str, hier_rule: str) -> None:
        t = self.subject(tid)
        if t is None:
            return
        label = LAYOUTS[tid].label
        cols = [c.label for c in LAYOUTS[tid].columns]
        rows = [("合计", t.total)] + [(f"{r.code} {r.name}", r.values) for r in t.rows]
        for name, vals in rows:
            where = f"{label} {name}"
            if tid == "t08":
                self.compare(row_rule, where, terms(vals[0], vals[1]) + terms(vals[2], sign=-1),
                             terms(vals[5]), "年初 + 收入 − 支出", "年末结转和结余")
                self.total("T08-2", where, vals[2], vals[3:5], "本年支出小计", "基本 + 项目")
            else:
                self.total(row_rule, where, vals[0], vals[1:], cols[0], "各分列之和")
        codes = self.rows_by_code(t)
        for r in t.rows:
            if r.parent and r.parent not in codes:
                self.findings.append(Finding(
                    "C-2", "error", "catalog", f"{label} {r.code} {r.name}",
                    f"{label}有{r.code}「{r.name}」却没有其上级科目 {r.parent}", [r.ref] if r.ref else []))
        tops = [r for r in t.rows if len(r.code) == 3]
        # Children grouped once, so the check stays linear in rows (not rows² per column).
        children: dict[str, list[SubjectRow]] = {}
        for k in t.rows:
            if k.parent:
                children.setdefault(k.parent, []).append(k)
        for j, col in enumerate(cols):
            self.total(hier_rule, f"{label} 合计「{col}」", t.total[j], [r.values[j] for r in tops],
                       "合计", "各类之和")
            for r in t.rows:
                kids = children.get(r.code, [])
                if kids and len(r.code) < 7:
                    self.total(hier_rule, f"{label} {r.code} {r.name}「{col}」", r.values[j],
                               [k.values[j] for k in kids], r.code, "下级科目之和")

    def t01_rules(self) -> None:
        t = self.t01
        if t is None:
            return
        inc = [self.line(t, "income", k) for k in
               ("gpb", "gf", "soc", "superior", "business", "operating", "affiliated", "other")]
        L = "公开01表"
        self.total("T01-1", L, self.line(t, "income", "income_total"), inc, "本年收入合计", "第1–8行之和")
        self.total("T01-2", L, self.line(t, "income", "grand_total"),
                   [self.line(t, "income", k) for k in
                    ("income_total", "nonfiscal_balance_used", "opening_balance")],
                   "收入总计", "本年收入合计 + 使用非财政拨款结余 + 年初结转和结余")
        classes = [self.line(t, "expenditure", code) for code, _ in classes_for(self.d.settings.year)]
        self.total("T01-3", L, self.line(t, "expenditure", "expenditure_total"), classes,
                   "本年支出合计", "各类支出之和")
        self.total("T01-4", L, self.line(t, "expenditure", "grand_total"),
                   [self.line(t, "expenditure", k) for k in
                    ("expenditure_total", "balance_distribution", "closing_balance")],
                   "支出总计", "本年支出合计 + 结余分配 + 年末结转和结余")
        self.equal("T01-5", L, self.line(t, "income", "grand_total"),
                   self.line(t, "expenditure", "grand_total"), "收入总计", "支出总计")

    def t04_rules(self) -> None:
        t = self.t04
        if t is None:
            return
        L = "公开04表"
        funds = ("gpb", "gf", "soc")
        fund_names = ("一般公共预算", "政府性基金", "国有资本经营")
        self.total("T04-1", L, self.line(t, "income", "income_total"),
                   [self.line(t, "income", k) for k in funds], "本年收入合计", "第1–3行之和")
        self.total("T04-2", L, self.line(t, "income", "opening_balance"),
                   [self.line(t, "income", f"opening_{k}") for k in funds],
                   "年初财政拨款结转和结余", "第29–31行之和")
        self.total("T04-3", L, self.line(t, "income", "grand_total"),
                   [self.line(t, "income", "income_total"), self.line(t, "income", "opening_balance")],
                   "收入总计", "本年收入合计 + 年初结转和结余")
        codes = [code for code, _ in classes_for(self.d.settings.year)]
        for row in t.expenditure:
            if row.key:
                self.total("T04-4", f"{L} 第{row.line}行 {row.label}", row.values[0], row.values[1:],
                           "合计", "三类资金之和")
        cols = ("合计", *fund_names)
        for j, col in enumerate(cols):
            self.total("T04-5", f"{L}「{col}」列", self.line(t, "expenditure", "expenditure_total", j),
                       [self.line(t, "expenditure", c, j) for c in codes], "本年支出合计", "各类支出之和")
            self.total("T04-6", f"{L}「{col}」列", self.line(t, "expenditure", "grand_total", j),
                       [self.line(t, "expenditure", "expenditure_total", j),
                        self.line(t, "expenditure", "closing_balance", j)],
                       "总计", "本年支出合计 + 年末结转和结余")
        self.equal("T04-7", L, self.line(t, "income", "grand_total"),
                   self.line(t, "expenditure", "grand_total"), "收入总计", "支出总计")
        for j, (k, name) in enumerate(zip(funds, fund_names, strict=True), 1):
            self.compare("T04-8", f"{L} {name}",
                         terms(self.line(t, "income", k), self.line(t, "income", f"opening_{k}")),
                         terms(self.line(t, "expenditure", "grand_total", j)),
                         "本年收入 + 年初结转和结余", f"「{name}」列总计")

    def t06_rules(self) -> None:
        t = self.tables.get("t06")
        if not isinstance(t, EconomicTable):
            return
        rows = t.rows()
        by_code = {r.code: r.value for r in rows}
        L = "公开06表"
        for r in rows:
            if len(r.code) == 3:
                items = [x.value for x in rows if len(x.code) == 5 and x.code.startswith(r.code)]
                self.total("T06-1", f"{L} {r.code} {r.name}", r.value, items, r.code, "所属项之和")
        self.total("T06-2", L, t.personnel_total, [by_code.get(c, self.zero()) for c in PERSONNEL_CLASSES],
                   "人员经费合计", "301 + 303")
        self.total("T06-3", L, t.public_total, [by_code.get(c, self.zero()) for c in PUBLIC_CLASSES],
                   "公用经费合计", "302 + 307 + 310 + 312 + 399")

    def t07_rules(self) -> None:
        t = self.tables.get("t07")
        if not isinstance(t, SingleRowTable):
            return
        v = t.values
        for half, o in (("预算数", 0), ("决算数", 6)):
            where = f"公开07表 {half}"
            self.total("T07-1", where, v[o], [v[o + 1], v[o + 2], v[o + 5]], "合计", "出国 + 公务用车 + 接待")
            self.total("T07-2", where, v[o + 2], [v[o + 3], v[o + 4]], "公务用车小计", "购置费 + 运行费")

    def t10_rules(self) -> None:
        t = self.tables.get("t10")
        if not isinstance(t, ListTable):
            return
        for r in t.rows:
            self.total("T10-1", f"公开10表 {r.label}", r.values[0], r.values[1:], "合计", "两列之和")
        top = [r for r in t.rows if r.label[:2] in {f"{c}、" for c in "一二三四五六七八九"}]
        total = next((r for r in t.rows if r.label == "合计"), None)
        if total:
            for j in range(3):
                self.total("T10-2", f"公开10表 合计 第{j + 1}栏", total.values[j],
                           [r.values[j] for r in top], "合计", "一至九行之和")

    def performance_rules(self) -> None:
        findings, checked = performance_findings(self.d)
        self.findings += findings
        self.checked += checked
        for f in findings:
            self.touched.update(f.cells)

    def unfilled_notices(self) -> None:
        for tid in self.unfilled:
            label = LAYOUTS[tid].label
            sheets = list(dict.fromkeys(v.ref.rsplit("!", 1)[0] for v in amounts(self.d.tables[tid]) if v.ref))
            self.findings.append(Finding(
                f"T{tid[1:]}-0", "warning", tid, label,
                f"{label}未填写（金额全部为空或0）：涉及该表的勾稽关系未检查，"
                "也不据此判断是否有非财政拨款资金", sheets[:1]))

    def run(self) -> Report:
        self.unfilled_notices()
        for tid, row_rule, hier in (("t02", "T02-1", "T02-2"), ("t03", "T03-1", "T03-2"),
                                    ("t05", "T05-1", "T05-2"), ("t08", "T08-1", "T08-3"),
                                    ("t09", "T09-1", "T09-2")):
            self.subject_table(tid, row_rule, hier)
        self.t01_rules()
        self.t04_rules()
        self.t06_rules()
        self.t07_rules()
        self.t10_rules()
        self.cross_rules()
        self.narrative_rules()
        self.performance_rules()
        self.catalog_rules()
        return Report(self.d.source, self.strict, self.unit, self.findings, self.skipped,
                      self.checked, self.touched, RULE, GROUP_TITLES)


def validate(d: Disclosure, *, strict: bool | None = None, catalog: Catalog | None = None) -> Report:
    """Run every rule; strict defaults to on for workbooks in 元."""
    if strict is None:
        strict = d.settings.money_unit == "元"
    return Checker(d, catalog or load_catalog(d.settings.year), strict).run()
