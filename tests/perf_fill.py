"""One 绩效-N sheet filled by hand, as a finance office does after `reportgen init`."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def fill_one_project(target: Path) -> None:
    """信息系统运维: budget 80, spent 60 (75 % × 10 = 7.5), three indicators, typed total 92.5."""
    wb = load_workbook(target)
    ws = wb["绩效-1"]
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(labels["项目名称"], 2).value = "信息系统运维"
    money = labels["年度资金总额"]
    for c, v in zip(range(2, 8), (100, 80, 60, 10, None, 7.5), strict=True):
        ws.cell(money, c).value = v
    ws.cell(money + 1, 2).value, ws.cell(money + 1, 3).value, ws.cell(money + 1, 4).value = 100, 80, 60
    first = labels["产出指标"]
    rows = [("产出指标", "数量指标", "系统数", "数量", "10套", "8套", 40, 35),
            (None, "质量指标", "可用率", "是否", "达标", "达标", 30, 30),
            ("效益指标", "满意度指标", "用户满意度", "满意度", "≥90%", "90%", 20, 20)]
    for k, row in enumerate(rows):
        for c, v in enumerate(row, start=1):
            ws.cell(first + k, c).value = v
    ws.cell(labels["总分"], 8).value = 92.5
    wb.save(target)
