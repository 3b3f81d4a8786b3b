"""情况说明 sections from “三公” on: 政府性基金, 国有资本经营, 机关运行经费, 政府采购, 国有资产, 绩效,
figures and 名词解释. A mixin of Narrative, which supplies its inputs and helpers.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ...analysis import Completion, compare, completion, shares
from ...model import SingleRowTable
from ...money import ZERO
from ...performance.rules import rules_for
from ...placeholder import Placeholder
from .values import CHART_TITLES, Figure, Lazy


class LaterSections:
    """The later sections' figures; every method reads the Narrative's inputs."""

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
        """The vehicle classes the 国有资产 sentence lists, in the profile's order."""
        return list(self.profile.vehicles)

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
        gpb_projects = t05.total[2].amount if t05 else ZERO  # 一般公共预算 项目支出
        all_projects = t03.total[2].amount if t03 else ZERO  # every 项目支出
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
        return Lazy({
            # required where a template prints it; count_given where a sentence may leave it out.
            # 绩效自评项目数 is counted from the 绩效-N forms (performance.derive); a unit that states
            # its 一级/二级 project counts prints those instead of a second total
            "count": lambda: self.fact_text("绩效自评项目数"),
            "count_given": None if level1 is not None else self.count(self.fact("绩效自评项目数", required=False)),
            "level1": self.count(level1),
            "level2": self.count(self.fact("绩效二级项目数", required=False)),
            "funds": self.amount(funds) if funds is not None else self.placeholder("绩效涉及资金"),
            "share": None if funds is None else shares([("项目支出", funds)], all_projects, self.style)[0],
            "share_gpb": None if funds is None else shares([("项目支出", funds)], gpb_projects, self.style)[0],
            "grades": {g: self.count(self.fact(f"自评等级{g}", required=False) or ZERO) for g in "优良中差"},
            # a profile whose forms go to an annex lists no project paragraphs ([performance] list_projects)
            "projects": projects if rules_for(self.d.settings).list_projects else [],
            "intro": self.d.snippets.get("绩效说明", ""),
            "key": self.key_evaluations(),
        })

    def key_evaluations(self) -> dict:
        """重点绩效评价 (the 重点评价 sheet): how many, the money they covered, each result."""
        rows = self.d.supplement.key_evaluations
        covered = [k.amount.amount for k in rows if k.amount is not None]
        return {"count": self.count(Decimal(len(rows))), "funds": self.amount(sum(covered, ZERO)),
                "items": [{"name": k.name, "amount": self.amount(k.amount) if k.amount is not None else None,
                           "score": self.count(k.score.amount) if k.score is not None else None,
                           "grade": k.grade, "evaluator": k.evaluator, "conclusion": k.conclusion}
                          for k in rows]}

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
