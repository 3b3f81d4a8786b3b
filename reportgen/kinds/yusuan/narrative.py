"""Everything the 部门预算's 文字部分 prints, computed from the tables, 「项目说明」 and 「预算情况」.

The templates (templates/yusuan/sections/*.html.j2) read this object: finished number strings,
comparisons (reportgen.analysis) and snippets. A missing input comes back as a visible
【待补充：…】 placeholder and is recorded in `missing` with where to fill it; stated figures are
never copied, so a published slip (三公 119 %, 第七部分 3,829) cannot reach the page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup, escape

from ...analysis import Comparison, Style, compare
from ...catalog import Catalog
from ...narrative_inputs import NarrativeInputs
from ...placeholder import Placeholder
from ...profile import Profile, profile_for
from ...rules import Missing
from ...tree import Table
from .. import ensure
from .inputs import FACT_SHEET
from .layouts import TABLES
from .model import Budget, BudgetTable
from .narrative_projects import ProjectSections

# The tables each section draws on: a section whose table is not filled in prints one
# placeholder instead of sentences computed from blanks.
SECTION_TABLES = {"total": ("t01",), "spending": ("t03", "t04", "t05"), "procurement": ("t03",),
                  "performance": ("t05", "t11"), "key_projects": ("t05",), "other": ("t04",)}
# 第五部分's items: (表8 column, name, snippet key).
SANGONG_ITEMS = (("abroad", "因公出国（境）费", "三公.因公出国"), ("reception", "公务接待费", "三公.公务接待"),
                 ("car", "公务用车购置及运行维护费", ""), ("car_purchase", "公务用车购置费", "三公.公务用车购置"),
                 ("car_running", "公务用车运行维护费", "三公.公务用车运行维护"))
HERE = Path(__file__).resolve().parent
GOAL_NUMBER = re.compile(r"^\s*(?:\d+[.、．)]|[（(]\d+[）)]|[一二三四五六七八九十]+、)\s*")


@dataclass(frozen=True)
class BudgetWords:
    """The profile's words plus the 预算's own: a project's 增幅/减幅 beside the total's 增长."""

    increase: str
    growth: str
    decrease: str
    decline: str
    equal: str
    rise_rate: str = "增幅"
    fall_rate: str = "减幅"

    @classmethod
    def of(cls, p: Profile) -> BudgetWords:
        w = p.words
        return cls(w.increase, w.growth, w.decrease, w.decline, w.equal, w.rise_rate, w.fall_rate)


@dataclass
class Narrative(NarrativeInputs, ProjectSections):
    d: Budget
    profile: Profile
    style: Style
    missing: list[Missing] = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # a 预算 draws no charts
    tables: dict[int, Table] = field(default_factory=dict)  # <table slot="N">: built by the section
    optional: list[str] = field(default_factory=list)  # inputs read but not required, by key

    # -- inputs -----------------------------------------------------------------------------

    @property
    def unit(self) -> str:
        return self.d.settings.unit_name

    @property
    def words(self) -> BudgetWords:
        return BudgetWords.of(self.profile)

    @property
    def short(self) -> str:
        """The unit's short name: 简称, else the 机构设置's “以下简称”, else the full name."""
        own = self.d.snippets.get("简称", "").strip()
        found = re.search(r"以下简称[“\"「]([^”\"」]+)[”\"」]", self.d.snippets.get("机构设置", ""))
        return own or (found.group(1) if found else self.unit)

    def read_optional(self, key: str) -> None:
        """Record an input read but not required (`init` still lists it: reportgen.needs)."""
        if key not in self.optional:
            self.optional.append(key)

    def clause(self, key: str, required: bool, what: str) -> Markup | Placeholder | str:
        """A snippet printed inside a sentence (its closing 。 dropped), required only when
        `required` (a changed figure needs its reason); an optional blank one is ""."""
        value = self.d.snippets.get(key, "").strip().rstrip("。")
        if value:
            return escape(value)
        if required:
            self.need(key, f"「文字」表 键「{key}」：{what}")
            return Placeholder(what)
        self.read_optional(key)
        return ""

    def fact(self, key: str, required: bool = True) -> Decimal | None:
        v = self.d.facts.get(key)
        if v is None:
            if required:
                self.need(f"{FACT_SHEET}.{key}", f"「{FACT_SHEET}」表「{key}」")
            else:
                self.read_optional(f"{FACT_SHEET}.{key}")
            return None
        return v.amount

    def count_fact(self, key: str, required: bool = True) -> str | Placeholder | None:
        """A 人/辆/台 fact as printed; a required blank is a placeholder, an optional one None."""
        v = self.fact(key, required)
        if v is None:
            return Placeholder(key) if required else None
        return self.style.count(v)

    def fact_text(self, key: str) -> str | Placeholder:
        value = self.d.fact_texts.get(key, "").strip()
        if value:
            return value
        self.need(f"{FACT_SHEET}.{key}", f"「{FACT_SHEET}」表「{key}」")
        return Placeholder(key)

    def unfilled(self, section: str) -> Placeholder | None:
        """A placeholder naming the tables this section needs that are not filled in."""
        gaps = [TABLES[t].label for t in SECTION_TABLES.get(section, ()) if t in self.d.unfilled()]
        return Placeholder("、".join(gaps)) if gaps else None

    def figure(self, slot: int) -> None:
        return None  # the shared macros may ask; a 预算 has no charts

    # -- helpers ----------------------------------------------------------------------------

    def amount(self, v: Decimal) -> str:
        return self.style.amount(v)

    def table(self, tid: str) -> BudgetTable:
        return self.d.tables.get(tid) or BudgetTable(tid)

    def versus(self, current: Decimal, base: Decimal | None) -> Comparison | None:
        return None if base is None else compare(current, base, self.style)

    # -- 第一部分 ----------------------------------------------------------------------------

    @property
    def overview(self) -> dict:
        org = self.d.snippets.get("机构设置", "")
        paras = [escape(p.strip()) for p in org.splitlines() if p.strip()]
        if not paras:
            paras = [self.text("机构设置", "机构设置情况")]
        goals = [GOAL_NUMBER.sub("", g).strip() for g in self.d.snippets.get("工作目标", "").splitlines()]
        goals = [g for g in goals if g]
        staffing = {"as_of": self.fact_text("人员截止日期"),
                    **{k: self.count_fact(k) for k in ("编制总数", "实有在编人数")},
                    **{k: self.count_fact(k, False) for k in ("参公编制数", "参公实有人数", "雇员人数", "退休人数")}}
        return {"duties": self.text("职责", f"{self.who}职责"), "organisation": paras, "staffing": staffing,
                "goals": goals or [self.text("工作目标", f"{self.year}年主要工作目标")]}

    # -- 第二部分 ----------------------------------------------------------------------------

    @property
    def totals(self) -> dict:
        t01 = self.table("t01")
        income = t01.get("grand_total", side="income")
        spent = t01.get("grand_total", side="expenditure")
        prior = self.fact("上年预算收支总额")
        vs_income = self.versus(income, prior)
        return {"income": self.amount(income), "spent": self.amount(spent), "vs_income": vs_income,
                "vs_spent": self.versus(spent, prior), "reasons": self.reasons(vs_income)}

    # -- 第三部分 ----------------------------------------------------------------------------

    def economic_list(self, snippet: str, code: str) -> Markup | str:
        """主要包括：… — the unit's own words, else 表4's 款 under `code`."""
        own = self.d.snippets.get(snippet, "").strip()
        self.read_optional(snippet)
        if own:
            return escape(own.rstrip("。"))
        names = [r.label for r in sorted(self.table("t04").rows, key=lambda r: r.code)
                 if len(r.code) == 5 and r.code.startswith(code) and r.amount("budget") != 0
                 and not r.label.startswith("其余")]  # 表4's residual 款 has no name of its own
        return f"主要包括：{'、'.join(names)}等" if names else ""

    @property
    def spending(self) -> dict:
        t03, t04 = self.table("t03"), self.table("t04")
        lines = [(name, t04.get(code, "budget"), self.economic_list(snippet, code)) for name, code, snippet in
                 (("人员支出", "301", "人员支出"), ("公用支出", "302", "公用支出"),
                  ("对个人和家庭的补助支出", "303", "对个人和家庭的补助"))]
        return {"total": self.amount(t03.get("unit", "total")),
                "project": self.amount(t03.get("unit", "project")),
                "project_t05": self.amount(self.table("t05").get("total", "total")),
                "lines": [{"name": n, "amount": self.amount(v), "list": x} for n, v, x in lines],
                "projects": self.projects}

    # -- 第四部分 ----------------------------------------------------------------------------

    @property
    def procurement(self) -> dict:
        total = self.table("t03").get("unit", "procurement")
        parts = []
        if total:
            for key, label in (("货物采购", "货物采购"), ("工程采购", "工程采购"), ("服务采购", "服务采购")):
                v = self.fact(key)
                parts.append((label, self.amount(v) if v is not None else Placeholder(key)))
        return {"total": self.amount(total), "empty": total == 0, "parts": parts}

    # -- 第五部分 ----------------------------------------------------------------------------

    @property
    def sangong(self) -> dict:
        t08 = self.table("t08")
        cur = {k: t08.get("current", k) for k in ("total", *(i[0] for i in SANGONG_ITEMS))}
        pri = {k: t08.get("prior", k) for k in cur}
        vs = compare(cur["total"], pri["total"], self.style)
        items = {}
        for col, name, key in SANGONG_ITEMS:
            c = compare(cur[col], pri[col], self.style)
            items[col] = {"name": name, "amount": self.amount(cur[col]), "vs": c,
                          "reason": self.clause(key, c.direction != "equal", f"{name}的说明") if key else ""}
        return {"total": self.amount(cur["total"]), "vs": vs, "items": items,
                "empty": not any(cur.values()) and not any(pri.values()),
                "reason": self.clause("原因.三公", vs.direction != "equal", "“三公”经费预算比上年增减的原因")}

    # -- 第六部分 ----------------------------------------------------------------------------

    @property
    def performance(self) -> dict:
        return {"funds": self.amount(self.table("t11").get("total", "total")),
                "count": self.style.count(Decimal(len(self.project_rows())))}

    # -- 第八部分 ----------------------------------------------------------------------------

    @property
    def admin_cost(self) -> dict:
        amount = self.table("t04").get("302", "budget")
        vs = self.versus(amount, self.fact("上年机关运行经费"))
        changed = vs is None or vs.direction != "equal"
        return {"amount": self.amount(amount), "vs": vs,
                "reason": self.clause("原因.机关运行经费", changed, "机关运行经费比上年增减的原因")}

    @property
    def assets(self) -> dict:
        keys = ("车辆", "通用设备", "专用设备", "计划新增车辆", "计划新增通用设备", "计划新增专用设备")
        return {"as_of": self.fact_text("资产截止日期"), **{k: self.count_fact(k) for k in keys}}

    @property
    def funds(self) -> dict:
        """政府性基金 (表9, with the 表5 projects it pays for), 国有资本经营 (表10), 上级专项转移支付."""
        gf = self.table("t09").get("total", "total")
        names = [r.label for r in self.project_rows() if r.amount("gf") != 0]
        transfer = self.fact("上级专项转移支付")
        return {"gf": self.amount(gf), "gf_empty": gf == 0, "gf_projects": "、".join(names),
                "gf_use": self.clause("政府性基金用途", False, ""),
                "soc": self.amount(self.table("t10").get("total", "total")),
                "soc_empty": self.table("t10").get("total", "total") == 0,
                "transfer": self.amount(transfer) if transfer is not None else Placeholder("上级专项转移支付"),
                "transfer_empty": transfer == 0,
                "transfer_note": self.clause("上级专项转移支付说明", False, "")}

    # -- 第九部分 ----------------------------------------------------------------------------

    @property
    def glossary(self) -> list[tuple[str, str]]:
        """The profile's terms, a unit's 「文字」 名词解释.<术语> replacing or adding to them."""
        own = {k.removeprefix("名词解释."): v.strip() for k, v in self.d.snippets.items()
               if k.startswith("名词解释.") and v.strip()}
        out = [(term, own.pop(term, text)) for term, text in self.profile.glossary]
        return out + list(own.items())


def kind_config() -> dict:
    return tomllib.loads((HERE / "kind.toml").read_text(encoding="utf-8"))


def build_narrative(d: Budget, catalog: Catalog | None = None) -> Narrative:
    """The 文字部分's figures for `d` (the catalog is unused: a 预算 names no 科目 in its prose)."""
    ensure("yusuan")  # this kind's profiles, even when the process built a 决算 first
    profile = profile_for(d.settings)
    n = Narrative(d, profile, Style(profile.numbers, d.settings.money_unit))
    for tid in d.unfilled():  # an unfilled table is missing input, whether or not a sentence uses it
        label = TABLES[tid].label if tid in TABLES else tid
        n.need(label, f"{label}未填写：在工作簿的「{label}」中填写金额")
    return n
