"""Issue 10, 四川 as data: the 四川 profile (TOML + templates only) builds seed 002's outline and
prints every figure of spec §4.5 marked ✓ for 002's narrative."""

from __future__ import annotations

import html
import re

import pytest
from test_narrative import pdf_text

from fixture_002 import sichuan_2020
from reportgen.build import write_outputs

OUTLINE = [
    "第一部分 部门概况",
    "第二部分 2020年度部门决算情况说明",
    "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
    "六、一般公共预算财政拨款基本支出决算情况说明", "七、“三公”经费财政拨款支出决算情况说明",
    "八、政府性基金预算支出决算情况说明", "九、国有资本经营预算支出决算情况说明",
    "十、其他重要事项的情况说明",
    "第三部分 名词解释",
    "第四部分 附表",
]
OTHER_MATTERS = ["（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况",
                 "（四）预算绩效管理情况"]

# Spec §4.5, 002, every ✓ sentence of the narrative, as 002 prints it (2 places, trailing zeros
# stripped, no thousands separators). §4.6 no. 10: 收支总计 rises by 1272.24, 财政拨款 by 1272.35.
FIGURES = {
    "收支总计 vs 2019": "收、支总计各增加1272.24万元，增长23.46%",
    "财政拨款收支总计 vs 2019": "财政拨款收、支总计各增加1272.35万元，增长23.46%",
    "一般公共预算 vs 2019; 占本年支出合计": "一般公共预算财政拨款支出6696.34万元，占本年支出合计的100%。"
                                      "与2019年度相比，一般公共预算财政拨款支出增加1272.35万元，增长23.46%",
    "收入 share": "财政拨款收入6696.34万元，占100%",
    "基本 / 项目 share": "基本支出2710.11万元，占40.47%；项目支出3986.23万元，占59.53%",
    "class shares": "一般公共服务（类）支出3.9万元，占0.06%；教育（类）支出24.3万元，占0.36%；"
                    "社会保障和就业（类）支出245.88万元，占3.67%；卫生健康（类）支出6204.7万元，占92.66%；"
                    "住房保障（类）支出217.56万元，占3.25%",
    "三公 shares": "公务用车购置及运行费36.34万元，占95.28%；公务接待费1.8万元，占4.72%",
    "出国 vs 2019": "减少28.91万元，下降100%",
    "车 vs 2019": "增加4.01万元，增长12.4%",
    "接待 vs 2019": "减少0.97万元，下降35.02%",
    "机关运行经费 vs 2019": "机关运行经费支出526.25万元，比2019年减少213.62万元，下降28.87%",
    "中小 / 小微 share": "授予中小企业合同金额8.62万元，占政府采购支出总额的0.65%，"
                       "其中：授予小微企业合同金额8.62万元，占政府采购支出总额的0.65%",
    "项目 能力建设": "执行数114万元，完成预算的81.72%",
    "项目 异地": "执行数130.19万元，完成预算的79.38%",
    "项目 机房": "执行数131.6万元，完成预算的100%",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[str, str]:
    """(the HTML, its text with one line per element) of the 002 fixture built with 四川."""
    out = tmp_path_factory.mktemp("sichuan")
    files = write_outputs(sichuan_2020(), out, ("html",))
    markup = next(p for p in files if p.suffix == ".html").read_text(encoding="utf-8")
    body = markup[markup.index("<body"):]
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    return markup, "\n".join(line.strip() for line in text.splitlines() if line.strip())


def headings(markup: str, levels: str) -> list[str]:
    found = re.findall(rf"<h[{levels}][^>]*>(.*?)</h[{levels}]>", markup, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in found]


def test_parts_and_narrative_sections_follow_002(page):
    markup, _ = page
    got = [h for h in headings(markup, "12") if h.startswith("第") or h in OUTLINE]
    assert got == OUTLINE
    body = markup[markup.index('id="part2"'):]
    subs = headings(body[body.index("十、其他重要事项的情况说明"):body.index('id="part3"')], "3")
    assert subs == OTHER_MATTERS  # 绩效 is 十（四）, not a section of its own


def test_tables_are_the_last_part_as_attached_tables(page):
    markup, text = page
    assert markup.index('id="part4"') > markup.index('id="part3"')
    tables = text[text.rindex("第四部分 附表"):]
    assert "收入支出决算总表" in tables and "名词解释" not in tables


@pytest.mark.parametrize("what", FIGURES)
def test_every_checked_figure_of_002_is_in_the_narrative(page, what):
    _, text = page
    narrative = text[text.rindex("第二部分 2020年度部门决算情况说明"):text.rindex("第三部分 名词解释")]
    assert FIGURES[what] in narrative.replace("\n", "")


def test_pdf_prints_the_same_outline_and_figures(tmp_path):
    files = write_outputs(sichuan_2020(), tmp_path, ("pdf",))
    text = pdf_text(next(p for p in files if p.suffix == ".pdf"))
    body = text[text.index("第一部分部门概况一、"):]  # after the 目录
    at = [body.index(h.replace(" ", "")) for h in OUTLINE]
    assert at == sorted(at)
    other, performance = body.index("十、其他重要事项的情况说明"), body.index("（四）预算绩效管理情况")
    assert other < performance < body.index("第三部分名词解释")
    for figure in FIGURES.values():
        assert figure in body
