"""The document tree: every node type reaches the DOCX, the section markup, and tables that fit."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from markupsafe import Markup

from conftest import ROOT, SAMPLES
from reportgen import tree
from reportgen.document import build_document
from reportgen.markup import MarkupError, blocks, plain_runs
from reportgen.model import SubjectRow, SubjectTable, Value
from reportgen.render.docx import write_docx
from reportgen.render.html import render_html
from reportgen.render.pdf import write_pdf
from reportgen.sources import read_workbook
from reportgen.tree import (
    Cell,
    Cover,
    Document,
    Figure,
    Heading,
    Paragraph,
    Part,
    Placeholder,
    Sheet,
    Strong,
    Table,
    Text,
    TocEntry,
)


def every_node_document() -> Document:
    """A small document holding one of every node type the tree module defines."""
    table = Table("t1", (( Cell("项目", "head"), Cell("金额", "head")),),
                  ((Cell("合计", "label total"), Cell("1.00", "num")),), (50, 50),
                  title=Heading(2, "（一）表", "t1"), label="公开01表", meta=("部门：甲", "单位：万元"),
                  notes=("本表注。",), empty_note="")
    body = (Heading(1, "一、第一部分", "p1"), Heading(3, "1. 小节"),
            Paragraph((Text("正文"), Strong("加粗"), Placeholder("【待补充：某项】"))),
            Paragraph((Placeholder("【待补充：整段】"),), "placeholder"),
            Figure(1, "图1：示例", "charts/图1.svg", "charts/图1.png"), table)
    return Document("标题", Cover("2020年度", ("某局", "部门决算")), "目　录",
                    (TocEntry(1, "一、第一部分", "p1"),),
                    (Part("p1", body[0], (Sheet(body[:5]), Sheet((table,), "landscape", False)), "x"),))


def walk(node):
    yield node
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                if isinstance(item, tuple):
                    for sub in item:
                        yield from walk(sub)
                elif dataclasses.is_dataclass(item):
                    yield from walk(item)


def png(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots(figsize=(2, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def test_docx_writer_handles_every_node_type(tmp_path):
    doc = every_node_document()
    defined = {c for c in vars(tree).values()
               if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == tree.__name__}
    # A node type added to the tree must appear here, and then the writers must render it.
    assert {type(n) for n in walk(doc)} == defined
    png(tmp_path / "charts" / "图1.png")
    write_docx(doc, tmp_path / "a.docx", datetime(2021, 1, 1), tmp_path, pages={"p1": 3})
    d = open_docx(str(tmp_path / "a.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    for words in ("2020年度", "一、第一部分\t3", "1. 小节", "正文加粗【待补充：某项】", "图1：示例", "注：本表注。"):
        assert words in text
    runs = {r.text: r for p in d.paragraphs for r in p.runs}
    assert runs["加粗"].bold and runs["【待补充：某项】"].font.color.rgb is not None
    boxed = next(p for p in d.paragraphs if p.text == "【待补充：整段】")
    assert boxed._p.pPr.find(qn("w:pBdr")) is not None and boxed._p.pPr.find(qn("w:shd")) is not None
    assert len(d.inline_shapes) == 1 and len(d.tables) == 1
    assert any(s.page_width > s.page_height for s in d.sections)
    html = render_html(doc)
    assert '<span class="placeholder">【待补充：某项】</span>' in html and "<strong>加粗</strong>" in html


def test_an_unknown_node_is_an_error_not_a_silent_drop(tmp_path):
    @dataclasses.dataclass(frozen=True)
    class Novel:
        text: str

    doc = every_node_document()
    odd = dataclasses.replace(doc, parts=(Part("p", Heading(1, "x"), (Sheet((Novel("?"),)),)),))
    with pytest.raises(tree.UnknownNode):
        write_docx(odd, tmp_path / "a.docx", datetime(2021, 1, 1), tmp_path)
    with pytest.raises(tree.UnknownNode):
        render_html(odd)


def test_tables_carry_cell_margins_before_tbllook_and_cantsplit_before_tblheader(tmp_path):
    png(tmp_path / "charts" / "图1.png")
    write_docx(every_node_document(), tmp_path / "a.docx", datetime(2021, 1, 1), tmp_path)
    xml = open_docx(str(tmp_path / "a.docx")).tables[0]._tbl.xml
    tbl_pr = xml[xml.index("<w:tblPr>"):xml.index("</w:tblPr>")]
    assert tbl_pr.index("<w:tblCellMar>") < tbl_pr.index("<w:tblLook")
    tr_pr = xml[xml.index("<w:trPr>"):xml.index("</w:trPr>")]
    assert tr_pr.index("<w:cantSplit/>") < tr_pr.index("<w:tblHeader/>")


def test_section_markup_is_a_closed_vocabulary():
    out = blocks('<h2 id="s1">一、标题</h2>\n<p>甲&lt;乙 <strong>丙</strong>'
                 '<span class="placeholder">【待补充：丁】</span></p>\n<figure slot="2"></figure>',
                 lambda slot: Figure(slot, f"图{slot}", "", ""))
    assert out[0] == Heading(2, "一、标题", "s1")
    assert out[1].runs == (Text("甲<乙 "), Strong("丙"), Placeholder("【待补充：丁】"))
    assert out[2].slot == 2
    for bad in ("<p>a<em>b</em></p>", "loose text", "<table></table>"):
        with pytest.raises(MarkupError):
            blocks(bad, lambda slot: None)
    # A placeholder that was stringified upstream still prints as a placeholder, not as markup.
    assert plain_runs('见<span class="placeholder">【待补充：2101504 的解释】</span>') == (
        Text("见"), Placeholder("【待补充：2101504 的解释】"))
    assert plain_runs(Markup("a &amp; b")) == (Text("a & b"),)


def test_empty_tables_print_the_profiles_note(built):
    d = open_docx(str(built["shenzhen-2020"]["docx"]))
    for t in d.tables[7:9]:  # 公开08/09: no data in 深圳
        assert t.rows[-1].cells[0].text == "本表无数据。"
    html = built["shenzhen-2020"]["html"].read_text(encoding="utf-8")
    assert html.count('class="text empty"') == 2


# -- PDF and DOCX paginate alike ----------------------------------------------------------------

def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return out.split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_and_libreoffice_docx_paginate_alike(built, soffice_pdfs, name):
    ours, theirs = page_texts(built[name]["pdf"]), page_texts(soffice_pdfs[name])
    assert abs(len(ours) - len(theirs)) <= 0.1 * len(ours), (len(ours), len(theirs))
    d = read_workbook(ROOT / "data" / f"{name}.xlsx")
    doc = build_document(d)
    starts = [next(b for b in s.blocks) for p in doc.parts for s in p.sheets]
    heads = [squash(b.title.text if isinstance(b, Table) else b.text) for b in starts]
    for texts in (ours, theirs):
        tops = [squash(t)[:60] for t in texts]
        for h in heads:  # every sheet of the tree opens a page in both
            assert any(top.startswith(h) for top in tops), (name, h)


@pytest.mark.parametrize("name", SAMPLES)
def test_libreoffice_shows_the_docx_toc_with_page_numbers(built, soffice_pdfs, name):
    ours = page_texts(built[name]["pdf"])
    label_page = next(i for i, t in enumerate(ours, 1) if "公开06表" in t and i > 2)
    toc = squash(page_texts(soffice_pdfs[name])[1])
    assert "目录" in toc
    m = re.search(r"基本支出决算表[·.…]*(\d+)", toc)
    assert m and int(m.group(1)) == label_page, toc


# -- a province-scale table ------------------------------------------------------------------------

def province_table(d, ncols: int) -> SubjectTable:
    rows = []
    for i in range(84):
        code = f"2{i // 28 + 1:02d}{(i % 28) // 7 + 1:02d}{i % 7 + 1:02d}"
        values = [Value(Decimal("9999999.99") - Decimal(i * 1111 + j) / 100) for j in range(ncols)]
        rows.append(SubjectRow(code, "其他社会保障和就业支出项目" if i % 2 else "行政运行", values))
    total = [Value(Decimal("9999999.99")) for _ in range(ncols)]
    return SubjectTable(total, rows)


def test_province_scale_amounts_each_in_their_own_column(tmp_path):
    d = read_workbook(ROOT / "data" / "shenzhen-2020.xlsx")
    for tid in ("t02", "t03", "t05"):
        d.tables[tid] = province_table(d, len(d.tables[tid].total))
    doc = build_document(d)
    tables = [t for t in doc.parts[1].tables if t.id in ("t02", "t03", "t05")]
    assert tables[0].size < 9  # seven amounts of 9,999,999.99 need a smaller size than 9 pt
    small = Document(doc.title, doc.cover, doc.toc_title, (), (Part("p", tables[0].title, tuple(
        Sheet((t,), t.orientation) for t in tables)),))
    pdf = tmp_path / "p.pdf"
    write_pdf(render_html(small), pdf)
    expected = {t.id: {r[0].text: [c.text for c in r[2:]] for r in t.body if r[0].text.isdigit()} for t in tables}
    found: dict[str, dict[str, list[str]]] = {}
    with pdfplumber.open(pdf) as doc_pdf:
        current = None
        for page in doc_pdf.pages:
            m = re.search(r"公开0(\d)表", page.extract_text() or "")
            current = f"t0{m.group(1)}" if m else current
            for rows in page.extract_tables():
                for row in rows:
                    cells = [squash(c or "") for c in row]
                    if cells and cells[0].isdigit():
                        found.setdefault(current, {})[cells[0]] = cells[2:]
    for tid, rows in expected.items():
        assert len(rows) == 84
        assert found[tid] == rows, tid


@pytest.mark.parametrize("name", SAMPLES)
def test_libreoffice_falls_back_to_noto_cjk_not_kai(soffice_pdfs, name):
    with pdfplumber.open(soffice_pdfs[name]) as pdf:
        fonts = {c["fontname"] for page in pdf.pages[2:5] for c in page.chars if ord(c["text"]) > 0x3000}
    # The DOCX names 仿宋/黑体; without them LibreOffice must pick Noto CJK (not AR PL UKai, a 楷体).
    assert fonts and all("NotoS" in f for f in fonts), fonts


def test_a_heading_never_ends_with_one_character_alone(built, soffice_pdfs):
    from reportgen.widths import tighten

    assert tighten("一" * 26, 16, 442.2, 2) < 0  # 25.6 em on the first line: one left over
    assert tighten("一" * 20, 16, 442.2, 2) == 0
    d = read_workbook(ROOT / "data" / "shenzhen-2020.xlsx")
    pulled = [b.text for _, _, b in build_document(d).blocks() if isinstance(b, Heading) and b.tighten]
    assert pulled  # 深圳's 三、…情况说明 would leave 「明」 alone
    for pdf in (built["shenzhen-2020"]["pdf"], soffice_pdfs["shenzhen-2020"]):
        lines = {squash(line) for page in page_texts(pdf) for line in page.splitlines()}
        for text in pulled:
            assert squash(text) in lines, (pdf.name, text)


def test_html_is_one_file_that_reads_on_a_phone(built):
    html = built["yicheng-2020"]["html"].read_text(encoding="utf-8")
    assert 'name="viewport"' in html and "<style>" in html and "<link" not in html
    style = html[html.index("<style>"):html.index("</style>")]
    assert "&#34;" not in style and '"Noto Serif CJK SC"' in style  # font lists reach the browser unescaped
    charts = re.findall(r'<img src="([^"]*)"', html)
    assert len(charts) == 3 and all(src.startswith("data:image/svg+xml;base64,") for src in charts)
    forms = html.count('<table class="data fj-')  # the 附件's 汇总表 and 自评表
    assert forms == 14 and html.count('<div class="table-scroll">') == 9 + forms and "overflow-x: auto" in html


@pytest.mark.parametrize("name", SAMPLES)
def test_wide_tables_are_landscape_in_both(built, soffice_pdfs, name):
    for pdf in (built[name]["pdf"], soffice_pdfs[name]):
        with pdfplumber.open(pdf) as doc:
            seen = {}
            for page in doc.pages[2:]:
                m = re.search(r"公开\s*0(\d)\s*表", page.extract_text() or "")
                if m and m.group(1) not in seen:
                    seen[m.group(1)] = page.width > page.height
        assert seen == {str(i): i in (4, 6, 7) for i in range(1, 10)}, (pdf.name, seen)
