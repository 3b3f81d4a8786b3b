"""Everything the 情况说明 and 名词解释 print, computed from the tables and the supplementary sheets.

The templates read this object: finished number strings, directions, lists and snippets.
A snippet or figure that is missing comes back as a visible 【待补充：…】 placeholder and is
recorded in `missing` with where to fill it, so nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup

from ...analysis import Comparison, Completion, Share, Style, compare, completion, shares
from ...catalog import Catalog, load_catalog
from ...model import Disclosure, EconomicTable, ListTable, PairedTable, SubjectRow, SubjectTable, Value
from ...money import ZERO
from ...narrative_inputs import NarrativeInputs
from ...placeholder import Placeholder
from ...profile import Profile, profile_for
from ...rules import Missing
from ...supplement import BUDGET_COLUMNS, GPB_TOTAL
from .. import ensure
from .later import LaterSections
from .layouts import LAYOUTS, PERSONNEL_CLASSES, PUBLIC_CLASSES
from .values import Figure, Lazy

INCOME_LINES = (("gpb+gf+soc", "财政拨款收入"), ("superior", "上级补助收入"), ("business", "事业收入"),
                ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入"))
SPENDING_LINES = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
# The tables each 情况说明 section draws its figures from: a section whose table is not filled
# in yet prints one placeholder instead of figures computed from blanks.
SECTION_TABLES = {"total": ("t01",), "income": ("t01",), "spending": ("t03",), "fiscal": ("t04",),
                  "gpb": ("t05",), "basic": ("t05", "t06")}



@dataclass
class Item:
    """One 项 paragraph: its path names, amount and completion against its budget."""

    code: str
    path: str  # 社会保障和就业支出（类）行政事业单位养老支出（款）…（项）
    actual: str
    completion: Completion | None
    reason: Markup | Placeholder
    against: dict[str, Completion] = field(default_factory=dict)  # every budget basis the unit gave


@dataclass
class Narrative(NarrativeInputs, LaterSections):
    d: Disclosure
    profile: Profile
    style: Style
    catalog: Catalog
    missing: list[Missing] = field(default_factory=list)
    figures: dict[int, Figure] = field(default_factory=dict)
    optional: list[str] = field(default_factory=list)  # inputs read but not required, by key

    # -- inputs -----------------------------------------------------------------------------

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
            else:  # printed when given: `init` still writes its row (reportgen.needs)
                self.optional.append(f"情况.{key}")
            return None
        return v.amount

    def fact_text(self, key: str, kind: str = "count") -> str | Placeholder:
        """A required fact as printed text, or a visible placeholder when it is missing."""
        v = self.fact(key)
        if v is None:
            return self.placeholder(key)
        return self.count(v) if kind == "count" else self.amount(v)

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
            "against": lambda: self.against(total, [GPB_TOTAL]) or self.against(total, [r.code for r in items]),
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
        return Item(r.code, self.path(r.code), self.amount(r.values[col]), c, reason,
                    self.against(r.values[col].amount, [r.code]))

    def against(self, actual: Decimal, codes: list[str]) -> dict[str, Completion]:
        """The figure against each budget (年初/调整/全年) the unit gave, as completion and growth
        (Completion.vs_budget): a profile's sentence may use any, so all are computed."""
        out = {}
        for basis in BUDGET_COLUMNS:
            budget = self.gpb_budget(codes, basis)
            if budget is not None:
                out[basis] = completion(actual, budget, self.style)
        return out

    @property
    def nontax(self) -> dict:
        """非税收入 (the optional table 10): the total, its two channels and each line's share."""
        t10 = self.d.tables.get("t10")
        if not isinstance(t10, ListTable) or not t10.rows:
            return {}
        total_row, lines = t10.rows[0], [r for r in t10.rows[1:] if r.values[0].amount != 0]
        total = total_row.values[0].amount
        return {"total": self.amount(total), "budget": self.amount(total_row.values[1]),
                "special": self.amount(total_row.values[2]),
                "lines": shares([(r.label, r.values[0].amount) for r in lines], total, self.style)}

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


def economic_list(t: EconomicTable, classes: tuple[str, ...]) -> list[str]:
    """主要包括: the nonzero 公开06 项 under these 款, in code order."""
    return [r.name for r in sorted(t.rows(), key=lambda r: r.code)
            if len(r.code) == 5 and r.code[:3] in classes and r.value.amount != 0]


def build_narrative(d: Disclosure, catalog: Catalog | None = None) -> Narrative:
    ensure("juesuan")
    profile = profile_for(d.settings)
    style = Style(profile.numbers, d.settings.money_unit)
    n = Narrative(d, profile, style, catalog or load_catalog(d.settings.year))
    for tid in d.unfilled():  # an unfilled table is missing input, whether or not a sentence uses it
        label = LAYOUTS[tid].label
        n.need(label, f"{label}未填写：在工作簿的「{label}」中填写金额")
    return n

