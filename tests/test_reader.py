"""The reader finds tables wherever a finance office's workbook has them, and reads them the same."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.model import Disclosure
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "yicheng-2020.xlsx"
FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def canonical(d: Disclosure) -> dict:
    """The model without cell references: what must not change when the layout moves."""
    def strip(obj):
        if isinstance(obj, dict):
            return {k: strip(v) for k, v in obj.items() if k != "ref"}
        if isinstance(obj, list):
            return [strip(v) for v in obj]
        return obj

    return strip({"settings": asdict(d.settings), "snippets": d.snippets,
                  "tables": {k: asdict(v) for k, v in d.tables.items()}})


@pytest.fixture(scope="module")
def baseline() -> dict:
    return canonical(read_workbook(SAMPLE))


def copy_sheet(src: Worksheet, dst: Worksheet, row_of, col_off: int) -> None:
    """Copy values and merged ranges; row_of maps a source row to its destination row."""
    for row in src.iter_rows():
        for cell in row:
            if cell.value is not None:
                dst.cell(row_of(cell.row), cell.column + col_off, cell.value)
    for rng in src.merged_cells.ranges:
        dst.merge_cells(start_row=row_of(rng.min_row), start_column=rng.min_col + col_off,
                        end_row=row_of(rng.max_row), end_column=rng.max_col + col_off)


def rewrite(tmp_path: Path, change) -> Path:
    wb = load_workbook(SAMPLE)
    change(wb)
    out = tmp_path / "changed.xlsx"
    wb.save(out)
    return out


def test_table_moved_to_another_sheet_at_an_offset(tmp_path, baseline):
    def change(wb):
        dst = wb.create_sheet("导出数据")
        dst["A1"] = "从决算软件导出"
        copy_sheet(wb["公开03表"], dst, lambda r: r + 6, 3)
        del wb["公开03表"]

    assert canonical(read_workbook(rewrite(tmp_path, change))) == baseline


def test_several_tables_stacked_on_one_sheet(tmp_path, baseline):
    def change(wb):
        dst = wb.create_sheet("全部")
        offset = 0
        for name in ("公开02表", "公开05表", "公开08表"):
            src = wb[name]
            copy_sheet(src, dst, lambda r, o=offset: r + o, 1)
            offset += src.max_row + 4
            del wb[name]

    assert canonical(read_workbook(rewrite(tmp_path, change))) == baseline


def test_blank_rows_inserted_in_the_data(tmp_path, baseline):
    def change(wb):
        for name in ("公开01表", "公开02表", "公开06表", "公开07表"):
            src = wb[name]
            dst = wb.create_sheet(name + "x")
            # A blank row after every third row, headers included.
            copy_sheet(src, dst, lambda r: r + r // 3, 0)
            del wb[name]

    assert canonical(read_workbook(rewrite(tmp_path, change))) == baseline


@pytest.mark.parametrize("style", ["commas", "fullwidth"])
def test_amounts_written_as_text(tmp_path, baseline, style):
    def change(wb):
        changed = 0
        for ws in wb.worksheets[2:]:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, (int, float)) and cell.number_format != "General":
                        text = f"{Decimal(repr(float(cell.value))):,.2f}"
                        cell.value = text.translate(FULLWIDTH) if style == "fullwidth" else text
                        changed += 1
        assert changed > 300

    changed = read_workbook(rewrite(tmp_path, change))
    assert canonical(changed) == baseline
    assert changed.tables["t01"].income[0].values[0].amount == Decimal("1566.22")


def test_codes_written_as_numbers(tmp_path, baseline):
    def change(wb):
        changed = 0
        for row in wb["公开02表"].iter_rows(min_col=1, max_col=1):
            if isinstance(row[0].value, str) and row[0].value.isdigit():
                row[0].value = int(row[0].value)
                changed += 1
        assert changed == 21

    assert canonical(read_workbook(rewrite(tmp_path, change))) == baseline


def test_header_wrapped_across_merged_cells(tmp_path, baseline):
    def change(wb):
        ws = wb["公开02表"]
        done = []
        # 上级补助收入 spans two header rows; split its text over them, and wrap another.
        for rng in list(ws.merged_cells.ranges):
            top = ws.cell(rng.min_row, rng.min_col)
            if top.value == "上级补助收入":
                ws.unmerge_cells(str(rng))
                top.value = "上级补"
                ws.cell(rng.min_row + 1, rng.min_col).value = "助收入"
                done.append(1)
            elif top.value == "附属单位上缴收入":
                top.value = "附属\n单位\n上缴 收入"
                done.append(2)
        assert done == [1, 2]

    assert canonical(read_workbook(rewrite(tmp_path, change))) == baseline


def test_cell_references_point_at_the_source(tmp_path):
    def change(wb):
        dst = wb.create_sheet("导出")
        copy_sheet(wb["公开07表"], dst, lambda r: r + 10, 2)
        del wb["公开07表"]

    d = read_workbook(rewrite(tmp_path, change))
    first = d.tables["t07"].values[0]
    assert first.ref == "导出!C18"
    wb = load_workbook(tmp_path / "changed.xlsx")
    assert Decimal(repr(wb["导出"]["C18"].value)) == first.amount


def test_settings_fall_back_to_the_table_header(tmp_path):
    def change(wb):
        ws = wb["单位信息"]
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == "单位名称":
                row[1].value = None

    d = read_workbook(rewrite(tmp_path, change))
    assert d.settings.unit_name == "峄城区医疗保障局（本级）"
