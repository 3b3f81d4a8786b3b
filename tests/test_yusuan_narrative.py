"""The 部门预算's 文字部分 from the reference (seed 003): every stated figure recomputed, the three
published slips corrected, and a blank input shown as a placeholder and listed as missing."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen import profile
from reportgen.analysis import Style
from reportgen.document import narrative_sections
from reportgen.kinds.yusuan.figures import expected
from reportgen.kinds.yusuan.inputs import SNIPPETS
from reportgen.kinds.yusuan.model import Budget
from reportgen.kinds.yusuan.narrative import Narrative, build_narrative, kind_config
from reportgen.kinds.yusuan.reference import budget_from
from reportgen.model import Settings
from reportgen.sections import narrative_blocks
from reportgen.tree import Heading, Paragraph, Placeholder, Table

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference" / "shenzhen-yibao-2022.json"
UNIT = "深圳市医疗保险基金管理中心"

# 「项目说明」 as 003 explains its projects (bases shortened), 上年预算数 from the reference's
# facts.prior_year_budget (区财政安排项目 has none: 003 does not compare it).
PROJECTS = (
    ("财政对医疗保障的补助", "subsidy", "根据《深圳市社会医疗保险办法》等规定，对符合条件的人群给予补助。",
     "增幅原因是居民补助人数增长、补助标准提高"),
    ("医疗保障经办管理", "handling", "该项目主要包括：少儿医保大学生医保协办费672万元等。", ""),
    ("区财政安排项目", None, "主要是各区医保经办机构为辖区开展医保业务服务所需的专项资金。", ""),
    ("医疗保障综合管理", "general", "保持员额队伍稳定，推进医保服务便民化。",
     "主要原因是2019年机构改革市医保中心成立后，部分开办费结转2021年使用"),
    ("福利彩票公益金项目", "lottery", "对符合条件的低收入群体进行资助。该项目用于低收入家庭购买综合医疗保险费支出。",
     "增加的原因是按照全覆盖的要求，补助人数和补助标准增长"),
    ("中央财政转移支付——医疗服务与保障能力提升补助资金", "central", "为医疗服务与保障能力提升补助资金的结转项目",
     "原因是该项目2022年的结转资金较2021年减少"),
    ("信息化系统运行维护", "it_ops", "确保平台在当地的正常运行。",
     "增加主要原因是国家医疗保障信息平台已于2021年上线，需要经费保障平台的后续运营"),
    ("社工服务项目", "social_work", "为医保业务量靠前的行政服务大厅配备社会工作者。",
     "主要用于调解医保相关医疗信访纠纷"),
    ("信息化新建项目（非政府投资项目）", "it_new", "深入推进“互联网+政务服务”。",
     "新增的主要原因是加大线上服务保障力度"),
    ("预算准备金", "reserve", "主要用于年度预算执行中临时增加工作所需支出", ""),
)
SNIPPET_TEXTS = {
    "人员支出": "主要包括：基本工资、津贴补贴、奖金、住房公积金、机关事业单位基本养老保险缴费等",
    "公用支出": "主要包括：物业管理费、办公费、其他交通费用、电费、工会经费等",
    "对个人和家庭的补助": "主要是离退休人员经费",
    "原因.三公": "主要是2022年拟新增公务车一辆，需要增加公务用车运行维护费",
    "三公.因公出国": "我市因公出国（境）经费完全按零基预算的原则动态调配使用",
    "三公.公务接待": "主要是用于国家、省部委、省内外医疗保障局等来深调研等",
    "三公.公务用车购置": "主要是市医保中心本年没有公务用车购置费",
    "三公.公务用车运行维护": "主要是2022年拟新增公车一辆，需要增加公务用车运行维护费",
    "原因.机关运行经费": "主要是由于市医保中心办公及业务场所使用面积增加，物业管理费有所增长。",
    "政府性基金用途": "用于低收入家庭购买综合医疗保险费支出",
    "上级专项转移支付说明": "为2021年结转资金，主要用于提升医疗服务与保障能力。",
}


def fake_inputs(ref: dict) -> dict:
    """The reference's `inputs` as 003 states them, for a reference that does not carry them yet."""
    u, prior = ref["unit"], ref["facts"]["prior_year_budget"]
    org = u["organisation"]
    organisation = (f"{UNIT}（以下简称“市医保中心”）{u['budget_scope']}本单位共设{org['units_total']}个内（下）设机构，"
                    f"其中内设机构{len(org['departments'])}个，分别是{'、'.join(org['departments'])}"
                    f"{len(org['departments'])}个部门；下设{'、'.join(org['branches'])}{len(org['branches'])}个"
                    f"{org['branch_kind']}。")
    staff, assets = u["staffing"], u["assets"]
    facts = {"上年预算收支总额": prior["total"], "上年机关运行经费": prior["admin_cost"], "货物采购": "28",
             "工程采购": "42", "服务采购": "4019", "编制总数": staff["authorised"], "实有在编人数": staff["actual"],
             "参公编制数": staff["civil_service_managed_authorised"],
             "参公实有人数": staff["civil_service_managed_actual"], "雇员人数": staff["employees_paid_from_basic"],
             "退休人数": staff["retired"], "车辆": assets["vehicles"], "通用设备": assets["general_equipment_over_50"],
             "专用设备": assets["special_equipment_over_100"], "计划新增车辆": assets["planned_2022"]["vehicles"],
             "计划新增通用设备": assets["planned_2022"]["general_equipment_over_50"],
             "计划新增专用设备": assets["planned_2022"]["special_equipment_over_100"], "上级专项转移支付": "966"}
    projects = [{"name": name, "prior": prior[key] if key else None,
                 "addition": prior["subsidy_addition"] if key == "subsidy" else None,
                 "basis": basis, "reason": reason, "target": f"{name}的绩效目标", "key": True}
                for name, key, basis, reason in PROJECTS]
    return {"snippets": {"职责": u["duties"], "机构设置": organisation, "工作目标": "\n".join(u["goals"]),
                         **SNIPPET_TEXTS},
            "projects": projects, "facts": {k: str(v) for k, v in facts.items()},
            "fact_texts": {"人员截止日期": "2021年12月31日", "资产截止日期": "2021年10月"}}


def reference() -> dict:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    fake, real = fake_inputs(ref), copy.deepcopy(ref.get("inputs") or {})
    # the reference's own inputs win; the fake fills what it does not carry (yet)
    ref["inputs"] = {k: ({**fake[k], **real.get(k, {})} if isinstance(fake[k], dict) else real.get(k) or fake[k])
                     for k in fake}
    return ref


def settings() -> Settings:
    return Settings(unit_name=UNIT, year=2022, who="部门", profile="深圳")


def sample() -> Budget:
    return budget_from(reference(), settings())


def render(d: Budget) -> tuple[Narrative, str, list[str]]:
    """The narrative, its sections as text (one line a block) and the cells of its tables."""
    n = build_narrative(d)
    sections = tuple((s["key"], s["heading"]) for s in kind_config()["sections"])
    blocks = narrative_blocks(n, narrative_sections(d.settings, sections), d.settings, "yusuan")
    lines, cells = [], []
    for b in blocks:
        if isinstance(b, Table):
            cells += [c.text for row in b.body for c in row]
        elif isinstance(b, Heading | Paragraph):
            lines.append(b.text)
    return n, "\n".join(lines), cells


@pytest.fixture(autouse=True, scope="module")
def kind_profiles():
    """build_narrative switches the active profiles to the 预算's: put the previous ones back, so a
    决算 test after these (which only activates profiles when none are) still finds its own."""
    saved = (list(profile._search), profile._default[0])
    yield
    if saved[0]:
        profile.activate(*saved)
    else:
        profile._search.clear()


@pytest.fixture(scope="module")
def rendered(kind_profiles) -> tuple[Narrative, str, list[str]]:
    return render(sample())


def printed(fig: dict, style: Style) -> str:
    """How the figure reads in the document's number style."""
    value, unit = expected(fig), fig["unit"]
    if unit == "万元":
        return style.amount(Decimal(value))
    if unit == "日期":
        y, m, d = value.split("-")
        return f"{y}年{int(m)}月{int(d)}日"
    if unit == "年月":
        y, m = value.split("-")
        return f"{y}年{int(m)}月"
    return value


def test_every_computed_figure_is_printed(rendered):
    n, text, cells = rendered
    flat = text.replace(" ", "")
    for fig in json.loads(REFERENCE.read_text(encoding="utf-8"))["narrative_figures"]:
        formula = fig["formula"]
        if formula is None or (isinstance(formula, str) and formula.startswith("n.")):
            continue  # stated inside a unit's own text (a basis, a date) or restating such a figure
        want = printed(fig, n.style)
        if fig["unit"] == "%":
            assert f"{want}%" in flat, fig["id"]
        elif fig["unit"] == "万元":
            assert f"{want}万元" in flat or want in cells, fig["id"]
        else:
            assert want in flat, fig["id"]


def test_published_slips_are_corrected(rendered):
    _, text, cells = rendered
    for right in ("256,890万元", "11,530万元，增长5%", "福利彩票公益金项目增加386万元", "增长84%",
                  "增加47万元，增长9%"):
        assert right in text
    assert "3,871" in cells and "1,480" in cells
    for wrong in ("119%", "784万元", "3,829", "1,522"):
        assert wrong not in text and wrong not in cells


def test_sections_read_as_the_seed(rendered):
    n, text, _ = rendered
    assert "第一部分 部门概况" in text and "第九部分 名词解释" in text
    assert ("截至2021年12月31日，编制总数141人，实有在编人数137人，"
            "其中参照公务员法管理事业编制数119人，实有在编人数118人；") in text
    assert "8. 加强医保基金运行风险防控。" in text
    # 第二部分 names the three largest explained increases, in 「项目说明」 order
    assert "一是财政对医疗保障的补助增加4,396万元" in text
    assert "二是福利彩票公益金项目增加386万元" in text and "三是信息化系统运行维护增加800万元" in text
    assert "较2021年预算减少55,104万元，减幅19%，主要原因是2021年财政年中追加资金59,500万元。" in text
    assert "剔除年中追加部分，实际预算增加4,396万元，增幅2%，增幅原因是" in text
    assert "医疗保障综合管理预算1,480万元" in text and "较2021年预算减少1,054万元，减幅42%" in text
    assert "为2022年新增项目" in text and "与2021年预算保持一致。" in text
    assert "比2021年预算数增加3.5万元，主要是2022年拟新增公车一辆" in text  # 三公 items: the change only, no rate
    assert "区财政安排项目预算2,234万元，主要是各区医保经办机构为辖区开展医保业务服务所需的专项资金。" in text
    assert "共计4,089万元，其中货物采购28万元、工程采购42万元、服务采购4,019万元。" in text
    assert "本单位无国有资本经营支出预算。" in text
    assert "本单位政府性基金支出预算为1,477万元，为福利彩票公益金项目" in text
    assert "一、一般公共预算拨款收入：指本级财政当年拨付的一般公共预算资金。" in text
    assert "九、机关运行经费：" in text
    assert "【待补充" not in text and not n.missing
    assert n.figures == {} and set(n.tables) == {1}


def test_blank_inputs_are_placeholders_and_missing():
    d = sample()
    del d.facts["编制总数"], d.facts["上年预算收支总额"], d.facts["雇员人数"]
    d.snippets.pop("原因.机关运行经费")
    d.projects[1].basis = ""
    n, text, _ = render(d)
    keys = {m.key for m in n.missing}
    assert {"预算情况.编制总数", "预算情况.上年预算收支总额", "原因.机关运行经费",
            "项目说明.医疗保障经办管理.依据和主要内容"} <= keys
    assert "编制总数【待补充：编制总数】人" in text
    assert "雇员" not in text  # an optional clause left blank is left out, not a placeholder
    assert "【待补充：机关运行经费比上年增减的原因】" in text
    assert "【待补充：医疗保障经办管理的依据和主要内容】" in text
    assert "预算情况.雇员人数" not in keys


def test_an_unfilled_table_replaces_its_sections():
    d = sample()
    for row in d.tables["t03"].rows:
        row.values = dict.fromkeys(row.values)
    n, text, _ = render(d)
    assert "第四部分 政府采购预算情况\n【待补充：表3】" in text
    assert any(m.key == "表3" for m in n.missing)


def test_placeholders_are_runs():
    d = sample()
    d.snippets.pop("职责")
    n = build_narrative(d)
    sections = (("overview", "部门概况"),)
    blocks = narrative_blocks(n, narrative_sections(d.settings, sections), d.settings, "yusuan")
    runs = [r for b in blocks if isinstance(b, Paragraph) for r in b.runs]
    assert any(isinstance(r, Placeholder) and "部门职责" in r.text for r in runs)
    assert any(m.key == "职责" for m in n.missing)


def test_snippet_keys_are_listed():
    keys = [k for k, _ in SNIPPETS]
    assert len(keys) == len(set(keys)) and all(h for _, h in SNIPPETS)
    assert {"职责", "机构设置", "工作目标", "原因.三公", "原因.机关运行经费"} <= set(keys)
