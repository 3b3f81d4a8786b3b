"""Everything the 情况说明 and 名词解释 print, computed from the tables and the supplementary sheets.

The templates read this object: finished number strings, directions, lists and snippets.
A snippet or figure that is missing comes back as a visible 【待补充：…】 placeholder and is
recorded in `missing` with where to fill it, so nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

from .analysis import Comparison, Completion, Share, Style, compare, completion, shares
from .catalog import Catalog, load_catalog
from .layouts import LAYOUTS, PERSONNEL_CLASSES, PUBLIC_CLASSES
from .model import Disclosure, EconomicTable, PairedTable, SingleRowTable, SubjectRow, SubjectTable, Value
from .money import ZERO
from .performance.rules import rules_for
from .placeholder import Placeholder
from .profile import Profile, profile_for
from .supplement import GPB_TOTAL

INCOME_LINES = (("gpb+gf+soc", "财政拨款收入"), ("superior", "上级补助收入"), ("business", "事业收入"),
                ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入"))
SPENDING_LINES = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
# The tables each 情况说明 section draws its figures from: a section whose table is not filled
# in yet prints one placeholder instead of figures computed from blanks.
SECTION_TABLES = {"total": ("t01",), "income": ("t01",), "spending": ("t03",), "fiscal": ("t04",),
                  "gpb": ("t05",), "basic": ("t05", "t06")}
CHART_TITLES = {
    1: "收、支决算总计变动情况图",
    2: "本年收入决算结构图",
    3: "本年支出决算结构图",
    4: "财政拨款收、支决算总计变动情况图",
    5: "一般公共预算财政拨款支出决算变动情况图",
    6: "一般公共预算财政拨款支出决算结构图",
    7: "“三公”经费财政拨款支出结构图",
}


class Lazy(dict):
    """A dict whose callable values run on first access, so an input is only required
    (and reported missing) when a template actually prints it."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if callable(value) and not isinstance(value, Markup):
            value = value()
            super().__setitem__(key, value)
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default


@dataclass
class Missing:
    key: str
    where: str  # the sheet (and column) to fill


@dataclass
class Item:
    """One 项 paragraph: its path names, amount and completion against its budget."""

    code: str
    path: str  # 社会保障和就业支出（类）行政事业单位养老支出（款）…（项）
    actual: str
    completion: Completion | None
    reason: Markup | Placeholder


@dataclass
class Figure:
    slot: int
    title: str
    src: str = ""  # set by the chart writer: charts/图N.svg
    png: str = ""


@dataclass
class Narrative:
    d: Disclosure
    profile: Profile
    style: Style
    catalog: Catalog
    missing: list[Missing] = field(default_factory=list)
    figures: dict[int, Figure] = field(default_factory=dict)

    # -- inputs -----------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.d.settings.year

    @property
    def prev(self) -> int:
        return self.d.settings.year - 1

    @property
    def who(self) -> str:
        return self.d.settings.who

    def text(self, key: str, what: str) -> Markup | Placeholder:
        """A snippet from the 文字 sheet, or a visible placeholder naming where to add it."""
        value = self.d.snippets.get(key)
        if value:
            return escape(value.strip())
        self.need(key, f"「文字」表 键「{key}」：{what}")
        return Placeholder(what)

    def need(self, key: str, where: str) -> None:
        if not any(m.key == key for m in self.missing):
            self.missing.append(Missing(key, where))

    def prior(self, key: str) -> Decimal | None:
        v = self.d.supplement.prior.get(key)
        if v is None:
            self.need(f"上年数.{key}", f"「上年数」表「{key}」（或用 --prior 指定上年工作簿）")
            return None
        return v.amount

    def fact(self, key: str, required: bool = True) -> Decimal | None:
        v = self.d.supplement.facts.get(key)
        if v is None:
            if required:
                self.need(f"情况.{key}", f"「情况」表「{key}」")
            return None
        return v.amount

    def fact_text(self, key: str, kind: str = "count") -> str | Placeholder:
        """A required fact as printed text, or a visible placeholder when it is missing."""
        v = self.fact(key)
        if v is None:
            return self.placeholder(key)
        return self.count(v) if kind == "count" else self.amount(v)

    @staticmethod
    def placeholder(what: str) -> Placeholder:
        return Placeholder(what)

    def unfilled(self, section: str) -> Placeholder | None:
        """A placeholder naming the tables this section needs that are not filled in."""
        gaps = [LAYOUTS[t].label for t in SECTION_TABLES.get(section, ()) if t in self.d.unfilled()]
        return Placeholder("、".join(gaps)) if gaps else None

    # -- helpers ----------------------------------------------------------------------------

    def amount(self, v: Decimal | Value | None) -> str:
        if v is None:
            return ""
        return self.style.amount(v.amount if isinstance(v, Value) else v)

    def count(self, v: Decimal | None) -> str:
        return "" if v is None else self.style.count(v)

    def compare(self, current: Decimal, prior_key: str) -> Comparison | None:
        base = self.prior(prior_key)
        return None if base is None else compare(current, base, self.style)

    def line(self, side: str, key: str, col: int = 0, table: str = "t01") -> Decimal:
        t = self.d.tables.get(table)
        return t.sum(side, key, col) if isinstance(t, PairedTable) else ZERO

    def subject(self, tid: str) -> SubjectTable | None:
        t = self.d.tables.get(tid)
        return t if isinstance(t, SubjectTable) else None

    def path(self, code: str, short_class: bool = False) -> str:
        """{类}（类）{款}（款）{项}（项） from the catalog, falling back to the table's names."""
        names = {}
        for tid in ("t05", "t03", "t08", "t09", "t02"):
            t = self.subject(tid)
            for r in t.rows if t else []:
                names.setdefault(r.code, r.name)
        parts = []
        for length, level in ((3, "类"), (5, "款"), (7, "项")):
            c = code[:length]
            if len(code) < length:
                break
            entry = self.catalog.functional.get(c)
            name = entry.name if entry else names.get(c, c)
            if short_class and level == "类":
                name = name.removesuffix("支出")
            parts.append(f"{name}（{level}）")
        return "".join(parts)

    # -- sections ----------------------------------------------------------------------------

    @property
    def totals(self) -> dict:
        income_total = self.line("income", "income_total")
        grand = self.line("income", "grand_total")
        spent = self.line("expenditure", "expenditure_total")
        return Lazy({
            "grand": self.amount(grand),
            "income_total": self.amount(income_total),
            "opening": self.amount(self.line("income", "opening_balance")),
            "spent": self.amount(spent),
            "closing": self.amount(self.line("expenditure", "closing_balance")),
            "grand_vs_prior": lambda: self.compare(grand, "收支总计"),
            "spent_vs_prior": lambda: self.compare(spent, "本年支出合计"),
            "income_lines": self.income_lines(),
            "reason": lambda: self.text("原因.收支总计", "收支总计变动的主要原因"),
        })

    def income_lines(self) -> list[Lazy]:
        items = [(name, self.line("income", key)) for key, name in INCOME_LINES]
        return self.category_lines(items, self.line("income", "income_total"))

    def category_lines(self, items: list[tuple[str, Decimal]], whole: Decimal) -> list[Lazy]:
        """Each income or spending category with its share (zero ones only where the profile
        lists them) and, on demand, its comparison with last year and the reason."""
        return [self.line_entry(share) for share in shares(items, whole, self.style)
                if self.profile.zero_lines or share.value != 0]

    def line_entry(self, share: Share) -> Lazy:
        return Lazy({"share": share, "vs_prior": lambda: self.compare(share.value, share.name),
                     "reason": lambda: self.text(f"原因.{share.name}", f"{share.name}变动的主要原因")
                     if self.changed(share.value, share.name) else Markup("")})

    def changed(self, current: Decimal, prior_key: str) -> bool:
        v = self.d.supplement.prior.get(prior_key)
        return v is None or v.amount != current

    def spending_lines(self) -> list[Lazy]:
        t03 = self.subject("t03")
        items = [(name, t03.total[i + 1].amount if t03 else ZERO) for i, name in enumerate(SPENDING_LINES)]
        return self.category_lines(items, t03.total[0].amount if t03 else ZERO)

    @property
    def spending(self) -> dict:
        t03 = self.subject("t03")
        return {"total": self.amount(t03.total[0] if t03 else None), "lines": self.spending_lines()}

    @property
    def fiscal(self) -> dict:
        grand = self.line("income", "grand_total", table="t04")
        spent = self.line("expenditure", "expenditure_total", table="t04")
        return Lazy({
            "grand": self.amount(grand),
            "income": self.amount(self.line("income", "income_total", table="t04")),
            "gpb": self.amount(self.line("income", "gpb", table="t04")),
            "gf": self.amount(self.line("income", "gf", table="t04")),
            "opening": self.amount(self.line("income", "opening_balance", table="t04")),
            "spent": self.amount(spent),
            "spent_gpb": self.amount(self.line("expenditure", "expenditure_total", 1, table="t04")),
            "spent_gf": self.amount(self.line("expenditure", "expenditure_total", 2, table="t04")),
            "closing": self.amount(self.line("expenditure", "closing_balance", table="t04")),
            "grand_vs_prior": lambda: self.compare(grand, "财政拨款收支总计"),
            "spent_vs_prior": lambda: self.compare(spent, "财政拨款支出"),
            "reason": lambda: self.text("原因.财政拨款收支总计", "财政拨款收支变动的主要原因"),
        })

    def gpb_budget(self, codes: list[str], basis: str) -> Decimal | None:
        """The budget of the 合计 row, or the sum of these 项 when every one has a budget."""
        if codes == [GPB_TOTAL]:
            v = self.d.supplement.budget(GPB_TOTAL, basis)
            return None if v is None else v.amount
        values = [self.d.supplement.budget(c, basis) for c in codes]
        if values and all(v is not None for v in values):
            return sum((v.amount for v in values if v is not None), ZERO)
        return None

    @property
    def gpb(self) -> dict:
        t05 = self.subject("t05")
        if t05 is None:
            return {}
        total = t05.total[0].amount
        basis = self.profile.budget.gpb_basis
        items = [r for r in t05.nonzero_rows() if len(r.code) == 7]
        budget = self.gpb_budget([GPB_TOTAL], basis)
        if budget is None:
            budget = self.gpb_budget([r.code for r in items], basis)
        if budget is None:
            self.need(f"预算数.{GPB_TOTAL}", f"「预算数」表「合计」行或各项的「{basis}」")
        classes = [r for r in t05.nonzero_rows() if len(r.code) == 3]
        class_shares = shares([(r.name, r.values[0].amount) for r in classes], total, self.style)
        class_rows = []
        for r, share in zip(classes, class_shares, strict=True):
            kids = [i.code for i in items if i.code.startswith(r.code)]
            b = self.d.supplement.budget(r.code, basis)
            b_value = b.amount if b is not None else self.gpb_budget(kids, basis)
            class_rows.append({"code": r.code, "name": r.name, "short": self.path(r.code, True), "share": share,
                               "completion": None if b_value is None else completion(r.values[0].amount,
                                                                                      b_value, self.style)})
        t03 = self.subject("t03")
        whole = t03.total[0].amount if t03 else ZERO
        share_of_spending = shares([("一般公共预算", total)], whole, self.style)[0]
        initial = self.gpb_budget([GPB_TOTAL], "年初预算数")
        if initial is None:
            initial = self.gpb_budget([r.code for r in items], "年初预算数")
        adjusted = self.gpb_budget([GPB_TOTAL], "调整预算数")
        return Lazy({
            "total": self.amount(total),
            "basic": self.amount(t05.total[1]),
            "project": self.amount(t05.total[2]),
            "share_of_spending": share_of_spending,
            "vs_prior": lambda: self.compare(total, "一般公共预算财政拨款支出"),
            "prior_basic": lambda: self.amount(self.prior("一般公共预算财政拨款基本支出")),
            "prior_project": lambda: self.amount(self.prior("一般公共预算财政拨款项目支出")),
            "reason": lambda: self.text("原因.一般公共预算财政拨款支出", "一般公共预算财政拨款支出变动的主要原因"),
            "basis": basis,
            "initial": self.amount(initial) if initial is not None else None,
            "adjusted": self.amount(adjusted) if adjusted is not None else None,
            "completion": None if budget is None else completion(total, budget, self.style),
            "completion_reason": lambda: self.text("原因.一般公共预算完成",
                                                   f"一般公共预算财政拨款支出决算数与{basis}差异的主要原因"),
            "classes": class_rows,
            "items": lambda: [self.item(r, basis, "项") for r in items],
        })

    def item(self, r: SubjectRow, basis: str, kind: str, col: int = 0) -> Item:
        b = self.d.supplement.budget(r.code, basis)
        if b is None:
            self.need(f"预算数.{r.code}", f"「预算数」表 {r.code}「{basis}」")
        c = None if b is None else completion(r.values[col].amount, b.amount, self.style)
        key = f"原因.{kind}.{r.code}"
        reason = Markup("") if c is not None and c.direction == "equal" else self.text(
            key, f"{r.code} {r.name} 决算数与{basis}差异的主要原因")
        return Item(r.code, self.path(r.code), self.amount(r.values[col]), c, reason)

    @property
    def basic(self) -> dict:
        t05 = self.subject("t05")
        t06 = self.d.tables.get("t06")
        out = Lazy({"total": self.amount(t05.total[1] if t05 else None)})
        if t05:
            basic = t05.total[1].amount
            out["vs_prior"] = lambda: self.compare(basic, "一般公共预算财政拨款基本支出")
            out["reason"] = lambda: self.text("原因.基本支出", "基本支出变动的主要原因")
        if isinstance(t06, EconomicTable):
            out["personnel"] = self.amount(t06.personnel_total)
            out["public"] = self.amount(t06.public_total)
            out["personnel_list"] = economic_list(t06, PERSONNEL_CLASSES)
            out["public_list"] = economic_list(t06, PUBLIC_CLASSES)
        out["tail"] = self.profile.words.list_tail
        return out

    @property
    def sangong(self) -> dict:
        t07 = self.d.tables.get("t07")
        if not isinstance(t07, SingleRowTable):
            return {}
        v = [x.amount for x in t07.values]
        names = ("合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费")
        prior_keys = ("“三公”经费", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费",
                      "公务接待费")
        basis = self.d.settings.sangong_basis
        rows = {}
        for i, (name, pk) in enumerate(zip(names, prior_keys, strict=True)):
            rows[name] = Lazy({
                "name": name,
                "budget": self.amount(v[i]),
                "actual": self.amount(v[6 + i]),
                "completion": completion(v[6 + i], v[i], self.style),
                "vs_prior": self.sangong_prior(v[6 + i], pk),
            })
        keys = {"合计": "三公", "因公出国（境）费": "三公.出国", "公务用车购置及运行费": "三公.公务用车",
                "公务用车购置费": "三公.购置", "公务用车运行费": "三公.运行", "公务接待费": "三公.接待"}
        for name, row in rows.items():
            row["reason"] = self.sangong_reason(row, name, keys[name])
        item_shares = shares([(names[1], v[7]), (names[2], v[8]), (names[5], v[11])], v[6], self.style)
        facts = Lazy({k: (lambda k=k: self.fact_text(k)) for k in (
            "因公出国团组数", "因公出国人次", "公务用车购置数", "公务用车保有量", "国内公务接待批次",
            "国内公务接待人次")})
        for k in ("外事接待批次", "外事接待人次", "国（境）外接待批次", "国（境）外接待人次"):
            facts[k] = self.count(self.fact(k, required=False) or ZERO)
        for k in ("国内接待费", "国（境）外接待费"):
            f = self.fact(k, required=False)
            facts[k] = self.amount(f if f is not None else (v[11] if k == "国内接待费" else ZERO))
        return {"rows": rows, "basis": basis, "shares": item_shares, "facts": facts,
                "car_label": self.d.settings.car_running_label}

    def sangong_prior(self, current: Decimal, key: str):
        """The 上年 comparison of a “三公” figure, required only where a template prints it."""
        return lambda: self.compare(current, key)

    def sangong_reason(self, row: Lazy, name: str, key: str):
        def reason() -> Markup | Placeholder:
            c: Completion = row["completion"]
            p = self.d.supplement.prior.get({"三公": "“三公”经费"}.get(key, name))
            changed = p is not None and p.amount != c.actual_value
            if c.direction != "equal" or changed:
                return self.text(f"原因.{key}", f"{name}决算与预算或上年差异的主要原因")
            return Markup("")
        return reason

    @property
    def fund(self) -> dict:
        t08 = self.subject("t08")
        if t08 is None or t08.is_empty():
            return {"empty": True}
        return Lazy({
            "empty": False,
            "opening": self.amount(t08.total[0]),
            "income": self.amount(t08.total[1]),
            "spent": self.amount(t08.total[2]),
            "closing": self.amount(t08.total[5]),
            "items": lambda: [self.item(r, "年初预算数", "政府性基金", col=2) for r in t08.nonzero_rows()
                              if len(r.code) == 7],
        })

    @property
    def capital(self) -> dict:
        t09 = self.subject("t09")
        return {"empty": t09 is None or t09.is_empty(), "total": self.amount(t09.total[0] if t09 else None)}

    @property
    def admin_cost(self) -> dict:
        amount = self.fact("机关运行经费")
        base_kind = self.profile.budget.admin_cost_base
        if base_kind == "年初预算":
            base = self.fact("机关运行经费年初预算")
        else:
            base = self.prior("机关运行经费")
        cmp_ = None if amount is None or base is None else compare(amount, base, self.style)
        return {"amount": self.amount(amount) if amount is not None else None, "base_kind": base_kind,
                "vs": cmp_, "reason": self.text("原因.机关运行经费", "机关运行经费变动的主要原因")
                if cmp_ is None or cmp_.direction != "equal" else Markup("")}

    @property
    def procurement(self) -> dict:
        total = self.fact("政府采购总额")
        parts = {k: self.fact(k) for k in ("政府采购货物支出", "政府采购工程支出", "政府采购服务支出")}
        sme = self.fact("授予中小企业合同金额", required=False)
        small = self.fact("授予小微企业合同金额", required=False)
        return {"total": self.fact_text("政府采购总额", "amount"),
                "parts": {k: self.fact_text(k, "amount") for k in parts},
                "sme": None if sme is None else shares([("中小企业", sme)], total or ZERO, self.style)[0],
                "small": None if small is None else shares([("小微企业", small)], total or ZERO, self.style)[0],
                "uses": {k: self.d.snippets.get(f"用途.{k}", "") for k in parts}}

    def vehicle_types(self) -> list[str]:
        if self.profile.style == "shenzhen":
            return ["领导干部用车", "一般公务用车", "一般执法执勤用车", "机要通信用车", "应急保障用车", "其他用车"]
        return ["领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部用车",
                "其他用车"]

    @property
    def assets(self) -> dict:
        total = self.fact("资产总额", required=False)
        current = self.fact("流动资产", required=False)
        noncurrent = self.fact("非流动资产", required=False)
        vehicles = [(k, self.fact_text(k)) for k in self.vehicle_types()]
        out = {"vehicles_total": self.fact_text("车辆总数"), "vehicles": vehicles,
               "general": self.fact_text("单价50万元以上通用设备"),
               "special": self.fact_text("单价100万元以上专用设备"),
               "total": None, "note": self.d.snippets.get("国有资产说明", "")}
        if total is not None and current is not None and noncurrent is not None:
            out["total"] = self.amount(total)
            out["split"] = shares([("流动资产", current), ("非流动资产", noncurrent)], total, self.style)
        return out

    @property
    def performance(self) -> dict:
        t05 = self.subject("t05")
        t03 = self.subject("t03")
        project_total = (t05.total[2].amount if self.profile.style == "shenzhen" and t05
                         else t03.total[2].amount if t03 else ZERO)
        funds = self.fact("绩效涉及资金")
        projects = []
        for p in self.d.supplement.projects:
            # texts keyed 绩效.<项目>.<键> may come from the .md file, merged after the workbook was read
            stem = f"绩效.{p.name}."
            p.outcome = p.outcome or self.d.snippets.get(stem + "绩效目标完成情况", "")
            p.problems = p.problems or self.d.snippets.get(stem + "主要问题", "")
            p.measures = p.measures or self.d.snippets.get(stem + "改进措施", "")
            c = None if p.budget is None or p.actual is None else completion(p.actual.amount, p.budget.amount,
                                                                             self.style)
            projects.append({"p": p, "budget": self.amount(p.budget), "actual": self.amount(p.actual),
                             "completion": c})
        level1 = self.fact("绩效一级项目数", required=False)
        return {
            # 绩效自评项目数 is counted from the 绩效-N forms (performance.derive); a unit that states
            # its 一级/二级 project counts prints those instead of a second total
            "count": (None if level1 is not None else self.count(self.fact("绩效自评项目数", required=False)))
            if self.profile.style == "shenzhen" else self.fact_text("绩效自评项目数"),
            "level1": self.count(level1),
            "level2": self.count(self.fact("绩效二级项目数", required=False)),
            "funds": self.amount(funds) if funds is not None else self.placeholder("绩效涉及资金"),
            "share": None if funds is None else shares([("项目支出", funds)], project_total, self.style)[0],
            "grades": {g: self.count(self.fact(f"自评等级{g}", required=False) or ZERO) for g in "优良中差"},
            # a profile whose forms go to an annex lists no project paragraphs ([performance] list_projects)
            "projects": projects if rules_for(self.d.settings).list_projects else [],
            "intro": self.d.snippets.get("绩效说明", ""),
        }

    # -- figures -----------------------------------------------------------------------------

    def figure(self, slot: int) -> Figure | None:
        if slot not in self.profile.charts:
            return None
        return self.figures.setdefault(slot, Figure(slot, f"图{slot}：{CHART_TITLES[slot]}",
                                                    f"charts/图{slot}.svg", f"charts/图{slot}.png"))

    # -- 名词解释 -----------------------------------------------------------------------------

    @property
    def glossary(self) -> list[tuple[str, str | Placeholder]]:
        own = self.d.supplement.glossary
        generic = [(term, own.get(term, text)) for term, text in self.profile.glossary]
        known = {t for t, _ in generic}
        out: list[tuple[str, str | Placeholder]] = list(generic)
        for code in self.glossary_codes():
            entry = self.catalog.functional.get(code)
            note = own.get(code) or (entry.note if entry else "")
            if not note:
                self.need(f"名词解释.{code}", f"「名词解释」表 {code} 的解释（科目目录中没有说明）")
                note = Placeholder(f"{code} 的解释")
            if self.profile.glossary_subjects == "类":
                term = entry.name if entry else code
            else:
                term = self.path(code)
            out.append((term, note))
        out += [(t, x) for t, x in own.items() if t not in known and not t.isdigit()]
        return out

    def glossary_codes(self) -> list[str]:
        level = 3 if self.profile.glossary_subjects == "类" else 7
        t03 = self.subject("t03")
        return sorted({r.code for r in (t03.nonzero_rows() if t03 else []) if len(r.code) == level})


def economic_list(t: EconomicTable, classes: tuple[str, ...]) -> list[str]:
    """主要包括: the nonzero 公开06 项 under these 款, in code order."""
    return [r.name for r in sorted(t.rows(), key=lambda r: r.code)
            if len(r.code) == 5 and r.code[:3] in classes and r.value.amount != 0]


def build_narrative(d: Disclosure, catalog: Catalog | None = None) -> Narrative:
    profile = profile_for(d.settings)
    style = Style(profile.numbers, d.settings.money_unit)
    n = Narrative(d, profile, style, catalog or load_catalog(d.settings.year))
    for tid in d.unfilled():  # an unfilled table is missing input, whether or not a sentence uses it
        label = LAYOUTS[tid].label
        n.need(label, f"{label}未填写：在工作簿的「{label}」中填写金额")
    return n

