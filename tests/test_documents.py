"""What a reader sees: page size, numbering, 目录, fonts, and the DOCX's Word structures."""

from __future__ import annotations

import re
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from conftest import ROOT, SAMPLES
from reportgen.build import build
from reportgen.model import ListRow, ListTable, Value
from reportgen.sources import read_workbook
from reportgen.workbook import save_workbook
from tables import is_form

A4 = (595.28, 841.89)  # points


def close(a: float, b: float) -> bool:
    return abs(a - b) < 1


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_pages_numbers_and_toc(built, name):
    with pdfplumber.open(built[name]["pdf"]) as pdf:
        pages = pdf.pages
        texts = [p.extract_text() or "" for p in pages]
        numbered = [bool(re.search(rf"—\s*{i}\s*—", t)) for i, t in enumerate(texts, 1)]
        body = numbered.index(True)
        # Cover and 目录 carry no number; every page after them does.
        assert 2 <= body <= 3 and all(numbered[body:]) and not any(numbered[:body])
        assert "目" in texts[1] and "录" in texts[1]
        label_page = {}
        for i, (page, text) in enumerate(zip(pages, texts, strict=True), 1):
            m = re.search(r"公开0(\d)表", text)
            if m and i > body and m.group(0) not in label_page:
                label_page[m.group(0)] = i
                wide = m.group(0) in ("公开04表", "公开06表", "公开07表")
                size = (page.width, page.height)
                assert close(size[0], A4[1] if wide else A4[0]), (m.group(0), size)
        assert len(label_page) == 9
        # The 目录 gives each table's page: 「…收入支出决算总表 …… N」.
        toc = "".join(texts[1:body]).replace(" ", "")
        for label, title in (("公开01表", "收入支出决算总表"), ("公开06表", "基本支出决算表")):
            m = re.search(rf"{title}[·.…]*(\d+)", toc)
            assert m and int(m.group(1)) == label_page[label], (label, toc)


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_fonts_are_embedded_subsets(built, name):
    from pdfplumber.pdf import PDF

    with PDF.open(built[name]["pdf"]) as pdf:
        fonts = set()
        for page in pdf.pages:
            for obj in page.chars[:2000]:
                fonts.add(obj["fontname"])
    assert fonts and all(re.match(r"^[A-Z]{6}\+", f) for f in fonts), fonts
    assert any("CJK" in f for f in fonts)


@pytest.mark.parametrize("name", SAMPLES)
def test_docx_word_structures(built, name):
    doc = Document(str(built[name]["docx"]))
    for s in doc.sections:
        long_side, short_side = max(s.page_width, s.page_height), min(s.page_width, s.page_height)
        assert abs(long_side - Mm(297)) < Mm(1) and abs(short_side - Mm(210)) < Mm(1)
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(landscape) >= 2  # 公开04 alone, then 公开06–07
    # Every table's header rows repeat (w:tblHeader) and its header has merged cells.
    public = [t for t in doc.tables if not is_form(t)]  # then the 附件's 绩效 forms: 8 in 深圳, 14 in 峄城
    assert len(public) == 9 and len(doc.tables) - 9 == {"shenzhen-2020": 8, "yicheng-2020": 14}[name]
    for t in public:
        first = t.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert t._tbl.xpath(".//w:gridSpan") or t._tbl.xpath(".//w:vMerge")
    # Outline: Heading 1 parts and Heading 2 sections and tables (Word's navigation pane).
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert len([h for h in heads if "决算表" in h]) >= 8
    # Fields: TOC in the body, PAGE in the footers (odd and even).
    body = doc.element.body.xml
    assert "TOC \\o" in body
    numbered = next(s for s in doc.sections if not s.footer.is_linked_to_previous
                    and "PAGE" in s.footer._element.xml)
    assert "PAGE" in numbered.even_page_footer._element.xml
    # East Asian font names on the styles, no theme font overriding them.
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋" and fonts.get(qn("w:eastAsiaTheme")) is None
    h1 = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert h1.get(qn("w:eastAsia")) == "黑体"


def test_optional_non_tax_table_is_read_and_rendered(tmp_path):
    d = read_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    d.tables["t10"] = ListTable([
        ListRow("合计", [Value(Decimal("12.50")), Value(Decimal("10.00")), Value(Decimal("2.50"))]),
        ListRow("三、行政事业性收费收入", [Value(Decimal("12.50")), Value(Decimal("10.00")),
                                      Value(Decimal("2.50"))]),
    ])
    src = tmp_path / "with-t10.xlsx"
    save_workbook(d, src)
    back = read_workbook(src)
    assert [r.label for r in back.tables["t10"].rows] == ["合计", "三、行政事业性收费收入"]
    result = build(src, tmp_path / "out", formats=("html", "docx"))
    html = next(p for p in result.files if p.suffix == ".html").read_text(encoding="utf-8")
    assert "非税收入征缴情况表" in html and "公开10表" in html
    doc = Document(str(next(p for p in result.files if p.suffix == ".docx")))
    assert len([t for t in doc.tables if not is_form(t)]) == 10
    assert [c.text for c in doc.tables[9].rows[-1].cells] == ["三、行政事业性收费收入", "12.50", "10.00", "2.50"]
    # Built without a PDF, the DOCX 目录 still carries the PDF layout's page numbers.
    toc = [p.text for p in doc.paragraphs if p.style.name == "目录项"]
    assert any(re.search(r"非税收入征缴情况表\t\d+$", t) for t in toc), toc


def test_subject_rows_print_nonzero_in_code_order(built):
    doc = Document(str(built["yicheng-2020"]["docx"]))
    t05 = doc.tables[4]
    codes = [r.cells[0].text for r in t05.rows if r.cells[0].text.isdigit()]
    assert codes == sorted(codes) and "229" not in codes  # 彩票公益金 is not GPB money
    assert codes[:3] == ["208", "20805", "2080505"]
