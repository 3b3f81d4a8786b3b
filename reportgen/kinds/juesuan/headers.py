"""Header grids (merged cells and the 栏次 row) of every table.

The workbook writer merges the same spans in Excel that the renderer prints as colspan/rowspan.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Settings
from .layouts import LAYOUTS, Column, t07_labels


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


def _leaf_rows(columns: tuple[Column, ...]) -> tuple[list[HeadCell], list[HeadCell]]:
    """Two header rows for amount columns: grouped ones under their group, others spanning both."""
    top: list[HeadCell] = []
    bottom: list[HeadCell] = []
    i = 0
    while i < len(columns):
        group = columns[i].group
        if group is None:
            top.append(HeadCell(columns[i].label, rowspan=2))
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j].group == group:
            bottom.append(HeadCell(columns[j].label))
            j += 1
        top.append(HeadCell(group, colspan=j - i))
        i = j
    return top, bottom


def subject_head(table_id: str, settings: Settings) -> list[list[HeadCell]]:
    layout = LAYOUTS[table_id]
    columns = layout.columns
    if table_id == "t09":
        columns = (Column("c1", settings.t09_total_label, columns[0].group), *columns[1:])
    top, bottom = _leaf_rows(columns)
    code_header = "功能分类科目编码"
    return [
        [HeadCell("项目", colspan=2), *top],
        [HeadCell(code_header), HeadCell("科目名称"), *bottom],
        [HeadCell("栏次", colspan=2), *(HeadCell(str(i)) for i in range(1, len(columns) + 1))],
    ]


def paired_head(table_id: str) -> list[list[HeadCell]]:
    if table_id == "t01":
        return [
            [HeadCell("收入", colspan=3), HeadCell("支出", colspan=3)],
            [HeadCell("项目"), HeadCell("行次"), HeadCell("决算数")] * 2,
            [HeadCell("栏次"), HeadCell(""), HeadCell("1"), HeadCell("栏次"), HeadCell(""),
             HeadCell("2")],
        ]
    return [
        [HeadCell("收入", colspan=3), HeadCell("支出", colspan=6)],
        [HeadCell("项目"), HeadCell("行次"), HeadCell("金额"), HeadCell("项目"), HeadCell("行次"),
         HeadCell("合计"), HeadCell("一般公共预算财政拨款"), HeadCell("政府性基金预算财政拨款"),
         HeadCell("国有资本经营预算财政拨款")],
        [HeadCell("栏次"), HeadCell(""), HeadCell("1"), HeadCell("栏次"), HeadCell("")]
        + [HeadCell(str(i)) for i in range(2, 6)],
    ]


def economic_head(super_header: bool, groups: int = 3) -> list[list[HeadCell]]:
    rows: list[list[HeadCell]] = []
    if super_header:
        rows.append([HeadCell("人员经费", colspan=3), HeadCell("公用经费", colspan=3 * (groups - 1))])
    rows.append([HeadCell("经济分类科目编码"), HeadCell("科目名称"), HeadCell("决算数")] * groups)
    return rows


def t07_head(settings: Settings) -> list[list[HeadCell]]:
    lab = t07_labels(settings.car_running_label)
    half_top = [HeadCell(lab["total"], rowspan=2), HeadCell(lab["abroad"], rowspan=2),
                HeadCell(lab["car_group"], colspan=3), HeadCell(lab["reception"], rowspan=2)]
    half_mid = [HeadCell(lab["car"]), HeadCell(lab["car_purchase"]), HeadCell(lab["car_running"])]
    return [
        [HeadCell("预算数", colspan=6), HeadCell("决算数", colspan=6)],
        half_top * 2,
        half_mid * 2,
        [HeadCell(str(i)) for i in range(1, 13)],
    ]


def list_head(table_id: str) -> list[list[HeadCell]]:
    columns = LAYOUTS[table_id].columns
    return [
        [HeadCell("科目名称"), *(HeadCell(c.label) for c in columns)],
        [HeadCell("栏次"), *(HeadCell(str(i)) for i in range(1, len(columns) + 1))],
    ]


def table_head(table_id: str, settings: Settings, *, super_header: bool = False,
               groups: int = 3) -> list[list[HeadCell]]:
    shape = LAYOUTS[table_id].shape
    if shape == "paired":
        return paired_head(table_id)
    if shape == "subject":
        return subject_head(table_id, settings)
    if shape == "economic":
        return economic_head(super_header, groups)
    if shape == "single":
        return t07_head(settings)
    return list_head(table_id)


def width(head: list[list[HeadCell]]) -> int:
    return sum(c.colspan for c in head[-1]) if head else 0
