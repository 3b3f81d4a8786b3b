"""Every amount of the reference JSON is printed in its row and column, in all three readers."""

from __future__ import annotations

import pytest

from conftest import SAMPLES
from tables import docx_tables, expected_cells, mismatches, pdf_tables


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_tables_match_reference(built, name):
    found = pdf_tables(built[name]["pdf"])
    assert len(expected_cells(name)) > 150
    assert mismatches(found, name) == []


@pytest.mark.parametrize("name", SAMPLES)
def test_docx_tables_match_reference(built, name):
    found = docx_tables(built[name]["docx"])
    assert sorted(found) == [f"t0{i}" for i in range(1, 10)]
    assert mismatches(found, name) == []


@pytest.mark.parametrize("name", SAMPLES)
def test_libreoffice_renders_the_same_tables(soffice_pdfs, name):
    found = pdf_tables(soffice_pdfs[name])
    assert mismatches(found, name) == []


def test_zero_cells_follow_the_unit_setting(built):
    sz = docx_tables(built["shenzhen-2020"]["docx"])
    yc = docx_tables(built["yicheng-2020"]["docx"])
    # 行次 2 (政府性基金) is zero in 深圳 (blank) and 35.26 in 峄城; 行次 3 is zero in both.
    assert sz["t01"][("L", 3)] == [""]
    assert yc["t01"][("L", 3)] == ["0.00"]
    assert sz["t09"]["合计"] == ["", "", ""]
    assert yc["t09"]["合计"] == ["0.00", "0.00", "0.00"]
