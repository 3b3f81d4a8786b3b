"""The 决算 rules between tables, with the narrative's inputs and with the subject catalog."""

from __future__ import annotations

from ...catalog import Catalog
from ...model import Disclosure, EconomicTable, PairedTable, SingleRowTable, SubjectRow, SubjectTable, Value
from ...money import ZERO
from ...performance.rules import rules_for
from ...rules import Engine, Finding, fmt, terms
from .layouts import LAYOUTS, classes_for


class CrossRules(Engine):
    """Identities between the tables; needs the Checker's tables (set in its __init__)."""

    d: Disclosure
    catalog: Catalog
    tables: dict
    t01: PairedTable | None
    t04: PairedTable | None

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def zero() -> Value:
        return Value(ZERO)

    def line(self, table: PairedTable, side: str, key: str, col: int = 0) -> Value:
        """The cell itself (so findings can name it), or a zero the workbook did not hold."""
        try:
            return table.get(side, key, col)
        except KeyError:
            return self.zero()

    def subject(self, tid: str) -> SubjectTable | None:
        t = self.tables.get(tid)
        return t if isinstance(t, SubjectTable) else None

    @staticmethod
    def rows_by_code(t: SubjectTable) -> dict[str, SubjectRow]:
        return {r.code: r for r in t.rows}

    def cell(self, t: SubjectTable | None, code: str, col: int) -> Value:
        if t is None:
            return self.zero()
        row = self.rows_by_code(t).get(code)
        return row.values[col] if row else self.zero()

    # -- between tables -----------------------------------------------------------------------

    def nonfiscal_reasons(self) -> list[str]:
        """Why the unit is taken to have non-fiscal money ([] when it is taken to have none)."""
        setting = self.d.settings.nonfiscal
        if setting == "有":
            return ["「单位信息」设置 非财政拨款资金 = 有"]
        if setting == "无" or self.t01 is None:
            return []
        reasons = []
        names = {"superior": "上级补助收入", "business": "事业收入", "operating": "经营收入",
                 "affiliated": "附属单位上缴收入", "other": "其他收入",
                 "nonfiscal_balance_used": "使用非财政拨款结余"}
        for key, name in names.items():
            v = self.line(self.t01, "income", key)
            if v.amount:
                reasons.append(f"公开01表 {name} {fmt(v.amount)}")
        if self.t04 is not None:
            a = self.line(self.t01, "income", "opening_balance").amount
            b = self.line(self.t04, "income", "opening_balance").amount
            if a - b > self.per_term:
                reasons.append(f"公开01表 年初结转和结余 {fmt(a)} 大于公开04表 年初财政拨款结转和结余 {fmt(b)}"
                               "（差额为非财政拨款结转结余）")
        return reasons

    def conditional(self, rule_id: str, where: str, part: Value, whole: Value, pname: str,
                    wname: str, reasons: list[str]) -> None:
        """part = whole without non-fiscal money; part ≤ whole always."""
        if reasons:
            self.skip(rule_id, "有非财政拨款资金，只检查不等式（财政拨款部分 ≤ 全部）：" + "；".join(reasons))
            self.equal(rule_id, where, part, whole, pname, wname, at_most=True)
        else:
            self.equal(rule_id, where, part, whole, pname, wname)

    def cross_rules(self) -> None:
        t01, t04 = self.t01, self.t04
        t02, t03, t05 = self.subject("t02"), self.subject("t03"), self.subject("t05")
        t08, t09 = self.subject("t08"), self.subject("t09")
        year = self.d.settings.year
        classes = [code for code, _ in classes_for(year)]
        reasons = self.nonfiscal_reasons()
        if t01 and t02:
            self.equal("X01-02", "公开02表合计「本年收入合计」", t02.total[0],
                       self.line(t01, "income", "income_total"), "公开02", "公开01本年收入合计")
            self.compare("X01-02", "公开02表合计「财政拨款收入」", terms(t02.total[1]),
                         terms(*(self.line(t01, "income", k) for k in ("gpb", "gf", "soc"))),
                         "公开02", "公开01第1–3行之和")
            for j, key in enumerate(("superior", "business", "operating", "affiliated", "other"), 2):
                col = LAYOUTS["t02"].columns[j].label
                self.equal("X01-02", f"公开02表合计「{col}」", t02.total[j], self.line(t01, "income", key),
                           "公开02", f"公开01{col}")
        if t01 and t03:
            self.equal("X01-03", "公开03表合计", t03.total[0], self.line(t01, "expenditure", "expenditure_total"),
                       "公开03合计", "公开01本年支出合计")
            for code, name in classes_for(year):
                self.equal("X01-03", f"{code} {name}", self.line(t01, "expenditure", code),
                           self.cell(t03, code, 0), "公开01", "公开03类行")
        if t01 and t04:
            for k, n in (("gpb", 1), ("gf", 2), ("soc", 3)):
                self.equal("X01-04a", f"第{n}行", self.line(t04, "income", k), self.line(t01, "income", k),
                           "公开04", "公开01")
            for rid, side4, key4, side1, key1, name in (
                ("X01-04b", "income", "opening_balance", "income", "opening_balance", "年初结转和结余"),
                ("X01-04c", "expenditure", "expenditure_total", "expenditure", "expenditure_total", "本年支出合计"),
                ("X01-04d", "expenditure", "closing_balance", "expenditure", "closing_balance", "年末结转和结余"),
                ("X01-04e", "income", "grand_total", "income", "grand_total", "总计"),
            ):
                self.conditional(rid, name, self.line(t04, side4, key4), self.line(t01, side1, key1),
                                 "公开04", "公开01", reasons)
        if t02 and t04:
            self.equal("X02-04", "本年收入合计", self.line(t04, "income", "income_total"), t02.total[1],
                       "公开04", "公开02合计财政拨款收入")
        if t04 and t05:
            self.equal("X04-05a", "一般公共预算本年支出", t05.total[0],
                       self.line(t04, "expenditure", "expenditure_total", 1), "公开05合计", "公开04一般公共预算列")
            for code in classes:
                self.equal("X04-05b", f"类 {code}", self.line(t04, "expenditure", code, 1),
                           self.cell(t05, code, 0), "公开04一般公共预算列", "公开05类行")
        if t03 and t05:
            self.conditional("X03-05", "合计基本支出", t05.total[1], t03.total[1], "公开05", "公开03", reasons)
            fund_codes = {r.code for t in (t08, t09) if t for r in t.rows if any(v.amount for v in r.values)}
            t03_rows = self.rows_by_code(t03)
            for r in t05.rows:
                other = t03_rows.get(r.code)
                for j, col in enumerate(("本年支出", "基本支出", "项目支出")):
                    whole = other.values[j] if other else self.zero()
                    where = f"{r.code} {r.name}「{col}」"
                    if reasons or r.code in fund_codes:
                        why = reasons or ["该科目在公开08/09表中另有政府性基金或国有资本经营支出"]
                        self.conditional("X03-05r", where, r.values[j], whole, "公开05", "公开03", why)
                    else:
                        self.equal("X03-05r", where, r.values[j], whole, "公开05", "公开03")
        if t01 and t02 and t03:
            self.compare("X02-03", "收支差额", terms(t02.total[0]) + terms(t03.total[0], sign=-1),
                         terms(*(self.line(t01, s, k) for s, k in (("expenditure", "closing_balance"),
                                                                    ("expenditure", "balance_distribution"))))
                         + terms(self.line(t01, "income", "opening_balance"),
                                 self.line(t01, "income", "nonfiscal_balance_used"), sign=-1),
                         "公开02合计 − 公开03合计", "结转结余变动", parts=6)
        t06 = self.tables.get("t06")
        if isinstance(t06, EconomicTable) and t05:
            self.compare("X05-06", "基本支出", terms(t06.personnel_total, t06.public_total),
                         terms(t05.total[1]), "公开06人员经费 + 公用经费", "公开05合计基本支出")
            econ = {r.code: r.value for r in t06.rows()}
            for e, f in (("30108", "2080505"), ("30109", "2080506"), ("30113", "2210201"),
                         ("30304", "2080801"), ("30309", "2100799")):
                if f not in self.rows_by_code(t05):
                    if econ.get(e, self.zero()).amount:
                        self.skip("S06-05", f"公开05表没有功能科目 {f}，不比较经济科目 {e}")
                    continue
                self.compare("S06-05", f"{e} ↔ {f}", terms(econ.get(e, self.zero())),
                             terms(self.cell(t05, f, 1)), f"公开06 {e}", f"公开05 {f} 基本支出", parts=2)
            t07 = self.tables.get("t07")
            if isinstance(t07, SingleRowTable):
                for e, j, name in (("30212", 7, "因公出国（境）费"), ("30217", 11, "公务接待费"),
                                   ("30231", 10, "公务用车运行费"), ("31013", 9, "公务用车购置费")):
                    self.equal("X06-07", name, econ.get(e, self.zero()), t07.values[j],
                               f"公开06 {e}", f"公开07决算{name}", at_most=True)
        if t04 and t08:
            for j, (side, key, col, name) in enumerate((
                ("income", "opening_gf", 0, "年初结转和结余"),
                ("income", "gf", 0, "本年收入"),
                ("expenditure", "expenditure_total", 2, "本年支出"),
            )):
                self.equal("X04-08", name, t08.total[[0, 1, 2][j]], self.line(t04, side, key, col),
                           "公开08合计", "公开04政府性基金")
            self.equal("X04-08", "年末结转和结余", t08.total[5],
                       self.line(t04, "expenditure", "closing_balance", 2), "公开08合计", "公开04政府性基金")
        if t03 and t08:
            t03_rows = self.rows_by_code(t03)
            for r in t08.rows:
                other = t03_rows.get(r.code)
                whole = other.values[0] if other else self.zero()
                self.conditional("X03-08", f"{r.code} {r.name}", r.values[2], whole, "公开08本年支出",
                                 "公开03本年支出合计", reasons)
        if t04 and t09:
            self.equal("X04-09", "本年支出", t09.total[0], self.line(t04, "expenditure", "expenditure_total", 3),
                       "公开09合计", "公开04国有资本经营列")

    # -- catalog ------------------------------------------------------------------------------

    def catalog_rules(self) -> None:
        seen: set[tuple[str, str]] = set()
        for tid in ("t02", "t03", "t05", "t08", "t09"):
            t = self.subject(tid)
            for r in t.rows if t else []:
                self.name_check(LAYOUTS[tid].label, r.code, r.name, r.ref, self.catalog.functional, seen)
        t06 = self.tables.get("t06")
        if isinstance(t06, EconomicTable):
            for r in t06.rows():
                self.name_check("公开06表", r.code, r.name, r.value.ref, self.catalog.economic, seen)

    def name_check(self, label: str, code: str, name: str, ref: str | None, entries: dict,
                   seen: set[tuple[str, str]]) -> None:
        if (code, name) in seen:
            return
        seen.add((code, name))
        where = f"{label} {code}"
        cells = [ref.rsplit("!", 1)[0]] if ref else []
        entry = entries.get(code)
        if entry is None:
            self.findings.append(Finding("C-4", "warning", "catalog", where,
                                         f"科目 {code}「{name}」不在{self.catalog.year}年科目目录中；"
                                         "如确为新增科目，可用 --catalog 补充", cells))
        elif entry.name != name:
            self.findings.append(Finding("C-3", "warning", "catalog", where,
                                         f"科目 {code} 名称为「{name}」，目录中为「{entry.name}」", cells))

    def narrative_rules(self) -> None:
        """Spec §3.3 identities between the tables and the narrative's own inputs."""
        from ...supplement import BUDGET_COLUMNS, GPB_TOTAL

        sup = self.d.supplement
        f = sup.facts

        def have(*keys: str) -> bool:
            return all(k in f for k in keys)

        if have("政府采购总额", "政府采购货物支出", "政府采购工程支出", "政府采购服务支出"):
            self.total("N-11", "政府采购", f["政府采购总额"],
                       [f[k] for k in ("政府采购货物支出", "政府采购工程支出", "政府采购服务支出")],
                       "政府采购总额", "货物 + 工程 + 服务")
        if have("资产总额", "流动资产", "非流动资产"):
            self.total("N-13", "国有资产", f["资产总额"], [f["流动资产"], f["非流动资产"]], "资产总额",
                       "流动资产 + 非流动资产")
        types = [k for k in ("领导干部用车", "一般公务用车", "一般执法执勤用车", "执法执勤用车", "机要通信用车",
                             "应急保障用车", "特种专业技术用车", "离退休干部用车", "其他用车") if k in f]
        if "车辆总数" in f and types:
            self.total("N-12", "车辆", f["车辆总数"], [f[k] for k in types], "车辆总数", "各类车辆之和")
        t07 = self.tables.get("t07")
        if have("国内接待费", "国（境）外接待费") and isinstance(t07, SingleRowTable):
            self.compare("N-5", "公务接待费", terms(f["国内接待费"], f["国（境）外接待费"]), terms(t07.values[11]),
                         "国内 + 国（境）外接待费", "公开07公务接待费决算")
        t05 = self.subject("t05")
        if t05 is not None and GPB_TOTAL in sup.budgets:
            items = [r.code for r in t05.rows if len(r.code) == 7 and any(v.amount for v in r.values)]
            for basis in BUDGET_COLUMNS:
                total = sup.budget(GPB_TOTAL, basis)
                parts = [sup.budget(c, basis) for c in items]
                if total is not None and parts and all(p is not None for p in parts):
                    self.total("N-16", f"一般公共预算{basis}", total, [p for p in parts if p is not None],
                               "预算数「合计」", "各项预算之和")
        prior = sup.prior
        keys = ("一般公共预算财政拨款支出", "一般公共预算财政拨款基本支出", "一般公共预算财政拨款项目支出")
        if all(k in prior for k in keys):
            self.total("N-19", "上年数", prior[keys[0]], [prior[keys[1]], prior[keys[2]]], "上年支出合计",
                       "上年基本支出 + 项目支出")
        actuals = [p.actual for p in sup.projects if p.actual is not None]
        basis = rules_for(self.d.settings).coverage  # the profile says which 项目支出 the projects cover
        covered = self.subject(basis)
        if actuals and covered is not None:
            self.total("N-10", "绩效项目执行数", covered.total[2], actuals, f"{LAYOUTS[basis].label}项目支出",
                       "各项目执行数之和")
