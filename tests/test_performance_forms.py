"""The 自评表 as a renderer-neutral grid: every layout's rows cover the same grid columns (proved
through a tiny HTML adapter), and the printed text follows each locality's form."""

from __future__ import annotations

import tomllib
from html import escape
from pathlib import Path

import pytest

from reportgen.model import Settings
from reportgen.performance.forms import LAYOUTS, Form, project_form, summary_form
from reportgen.performance.inputs import projects_from_data
from reportgen.performance.rules import rules_for
from reportgen.performance.scoring import score_project

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {"shenzhen": ("data/reference/performance-shenzhen-2020.toml", "深圳"),
         "yicheng": ("data/reference/performance-yicheng-2020.toml", "峄城"),
         "sichuan": ("tests/data/performance/sichuan-002.toml", "四川")}


def scored(key: str):
    path, profile = SEEDS[key]
    rules = rules_for(Settings(unit_name="x", year=2020, profile=profile))
    data = tomllib.loads((ROOT / path).read_text(encoding="utf-8"))
    return [score_project(p, rules) for p in projects_from_data(data)]


def to_html(form: Form) -> str:
    """The adapter a renderer would write: one <tr> per row, spans as attributes."""
    out = ["<table>"]
    for row in form.rows:
        cells = []
        for c in row:
            tag = "th" if c.header else "td"
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            cells.append(f"<{tag}{span}>{escape(c.text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def grid_widths(html: str) -> list[int]:
    """How many grid columns each <tr> covers, counting cells that reach down from rows above."""
    import re

    rows = re.findall(r"<tr>(.*?)</tr>", html)
    carry: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    widths = []
    for row in rows:
        col, width = 0, 0
        for attrs in re.findall(r"<t[hd]([^>]*)>", row):
            while carry.get(col, 0) > 0:
                carry[col] -= 1
                col, width = col + 1, width + 1
            rs = int(m.group(1)) if (m := re.search(r'rowspan="(\d+)"', attrs)) else 1
            cs = int(m.group(1)) if (m := re.search(r'colspan="(\d+)"', attrs)) else 1
            for k in range(cs):
                if rs > 1:
                    carry[col + k] = rs - 1
            col, width = col + cs, width + cs
        while carry.get(col, 0) > 0:  # covered cells at the end of the row
            carry[col] -= 1
            col, width = col + 1, width + 1
        widths.append(width)
    assert all(v == 0 for v in carry.values()), "a rowspan runs past the table"
    return widths


@pytest.mark.parametrize(("seed", "layout"), [("shenzhen", "yuan"), ("yicheng", "weighted"),
                                              ("sichuan", "no-scores"), ("sichuan", "score-sheet"),
                                              ("yicheng", "completion-rate")])
def test_every_row_covers_the_same_number_of_grid_columns(seed, layout):
    for sp in scored(seed):
        if sp.project.whole:
            layout = "framework"
        form = project_form(sp, LAYOUTS[layout], 2020)
        assert set(grid_widths(to_html(form))) == {form.ncols}, (layout, sp.project.name)
        assert len(form.widths) == form.ncols


def texts(form: Form) -> list[str]:
    return [c.text for row in form.rows for c in row]


def test_shenzhen_form_prints_yuan_whole_percent_rates_and_its_scores():
    form = project_form(scored("shenzhen")[0], LAYOUTS["yuan"], 2020)
    t = texts(form)
    assert form.unit_line == "单位：元" and "项目资金（元）" in t
    assert {"36330200.00", "47469915.45", "38277693.12", "81%", "8.1", "13.5", "96.6", "—"} <= set(t)
    assert t[-3:] == ["100", "96.6", ""]  # 总分 | 100 | 96.6


def test_yicheng_form_prints_the_computed_values_not_the_published_ones():
    labour = next(sp for sp in scored("yicheng") if sp.project.name == "劳务费")
    form = project_form(labour, LAYOUTS["weighted"], 2020)
    t = texts(form)
    assert {"72.06%", "7.21", "97.21", "年度绩效指标（90分）", "项目产出（50分）", "项目效益（30分）",
            "满意度指标（10分）", "6.8", "4.9"} <= set(t)
    assert not {"72.21%", "7.22", "97.22"} & set(t)
    assert form.subtitle == "（2020年度）"


def test_sichuan_forms_one_decimal_without_scores_and_the_scoring_sheet():
    sp = scored("sichuan")[1]
    form = project_form(sp, LAYOUTS["no-scores"], 2020)
    t = texts(form)
    assert {"139.5", "114.0", "预算数", "执行数", "预期指标值"} <= set(t) and "分值" not in t
    sheet = project_form(sp, LAYOUTS["score-sheet"], 2020)
    st = texts(sheet)
    assert sheet.title == "部门预算项目自评打分表" and sheet.subtitle == "（医疗保障能力建设）"
    assert {"评分标准", "自评得分", "3.27", "93.27", "合计"} <= set(st) and "3.48" not in st


def test_guangzhou_levels_are_shifted():
    form = project_form(scored("yicheng")[0], LAYOUTS["completion-rate"], 2020)
    assert {"指标类别", "一级指标", "二级指标", "年度预算数", "预算完成数", "预算完成率"} <= set(texts(form))
    assert "三级指标" not in texts(form)


def test_summary_table_lists_each_project_with_its_computed_score_and_grade():
    sps = scored("yicheng")
    form = summary_form(sps, "枣庄市峄城区医疗保障局本级", 2020)
    assert form.title == "2020年度项目支出绩效自评情况汇总表"
    rows = [[c.text for c in r] for r in form.rows]
    assert rows[0] == ["序号", "项目名称", "自评得分", "自评等级"]
    assert rows[1] == ["1", "医疗救助（含扶贫医疗）", "99.91", "优"]
    assert rows[10] == ["10", "劳务费", "97.21", "优"]
    assert len(rows) == 14 and all(r[3] == "优" for r in rows[1:])
    assert set(grid_widths(to_html(form))) == {4}


def test_whole_department_framework_prints_its_scores_and_grade():
    whole = next(sp for sp in scored("shenzhen") if sp.project.whole)
    form = project_form(whole, LAYOUTS["framework"], 2020)
    t = texts(form)
    assert form.title == "部门整体支出绩效评价共性指标体系框架" and form.ncols == 6
    assert {"部门决策", "部门绩效", "1.83", "3.84", "5.6", "94.27", "评分等级", "优"} <= set(t)
    assert set(grid_widths(to_html(form))) == {6}
    assert "部门整体支出绩效评价" not in [c.text for r in summary_form(scored("shenzhen"), "x", 2020).rows for c in r]
