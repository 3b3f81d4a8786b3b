"""DOCX from the same HTML document the PDF comes from.

The HTML is semantic and small (cover, toc, part/h1, h2, p, table-block with thead/tbody,
colspan/rowspan, a few classes), so this is a walk over a known vocabulary. python-docx has
no API for repeated header rows, fields, East Asian font names or A4; those are raw XML here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import lxml.html
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

# Fonts a Windows Word user has; LibreOffice and the PDF fall back to Noto CJK.
FANG, SONG, HEI, KAI = "仿宋", "宋体", "黑体", "楷体"
LATIN = "Times New Roman"
PORTRAIT = {"width": Mm(210), "height": Mm(297), "top": Mm(37), "bottom": Mm(35),
            "left": Mm(28), "right": Mm(26)}
LANDSCAPE = {"width": Mm(297), "height": Mm(210), "top": Mm(15), "bottom": Mm(20),
             "left": Mm(30), "right": Mm(30)}
LINE = Pt(28.95)  # GB/T 9704: 22 lines on a 225 mm text area
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def set_east_asian(rpr_owner, font: str, latin: str = LATIN) -> None:
    """Name the font for Chinese text; a theme font on the same element would override it."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:cs"), latin)


def define_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(16)
    set_east_asian(normal.element, FANG)
    pf = normal.paragraph_format
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(32)
    for level, font in ((1, HEI), (2, KAI), (3, FANG)):
        st = styles[f"Heading {level}"]
        st.font.size = Pt(16)
        st.font.bold = False
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        set_east_asian(st.element, font)
        st.paragraph_format.first_line_indent = Pt(32)
        st.paragraph_format.space_before = Pt(0)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = LINE
    for name, size, font in (("表格文字", 9, SONG), ("表注", 10.5, SONG), ("表头信息", 10.5, SONG),
                             ("封面", 26, SONG), ("目录项", 14, FANG)):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size = Pt(size)
        set_east_asian(st.element, font)
        st.paragraph_format.first_line_indent = Pt(0)
        st.paragraph_format.line_spacing = 1.0
    doc.styles["封面"].font.bold = True
    doc.styles["目录项"].paragraph_format.line_spacing = Pt(26)


def page_setup(section, layout: dict, orient: WD_ORIENT) -> None:
    section.orientation = orient
    section.page_width = layout["width"]
    section.page_height = layout["height"]
    section.top_margin = layout["top"]
    section.bottom_margin = layout["bottom"]
    section.left_margin = layout["left"]
    section.right_margin = layout["right"]
    section.footer_distance = Mm(21)  # puts the number about 7 mm below a 35 mm margin's text


def add_field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, TOC…) with a cached result Word shows until it updates."""
    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    paragraph.add_run()._r.append(fld("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(fld("end"))


def page_footers(section, doc) -> None:
    """「— N —」 in 4号 宋体: odd pages right, even pages left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.first_line_indent = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        p.add_run("— ")
        add_field(p, "PAGE", "1")
        p.add_run(" —")
        for run in p.runs:
            run.font.size = Pt(14)
            set_east_asian(run._r, SONG)


WATERMARK_VML = (
    '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="reportgen-watermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;rotation:315;'
    'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#f2c4c4" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    '</v:shape></w:pict>'
)


def draft_headers(section, mark: str) -> None:
    """A draft carries Word's own diagonal watermark (a WordArt shape in every header) and
    says so in red at the top of every page."""
    from xml.sax.saxutils import escape as xml_escape

    from docx.oxml import parse_xml

    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(f"{mark} · 数据未经最终审核，不得公开")
        run.font.size = Pt(14)
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0, 0)
        set_east_asian(run._r, HEI)
        shape = p.add_run()
        shape._r.append(parse_xml(WATERMARK_VML.format(font=HEI, text=xml_escape(mark, {'"': "&quot;"}))))


def blank_footers(section) -> None:
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False


def text_of(el: HtmlElement) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def classes(el: HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def grid_cells(rows: list[HtmlElement]) -> Iterator[tuple[int, int, HtmlElement]]:
    """(row, column, cell) with colspan/rowspan resolved to grid positions."""
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            while (r, c) in taken:
                c += 1
            cs, rs = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            yield r, c, cell
            c += cs


class DocxWriter:
    def __init__(self) -> None:
        self.doc = Document()
        define_styles(self.doc)
        self.section = self.doc.sections[0]
        page_setup(self.section, PORTRAIT, WD_ORIENT.PORTRAIT)
        blank_footers(self.section)
        self.orientation = "portrait"
        self.base: Path | None = None
        self.watermark = ""
        self.numbered = False
        self.break_next = False
        # Drop the template's empty first paragraph.
        body = self.doc.element.body
        for p in body.findall(qn("w:p")):
            body.remove(p)

    # -- flow ---------------------------------------------------------------------------------

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        p = self.doc.add_paragraph(text, style=style)
        if self.break_next:
            p.paragraph_format.page_break_before = True
            self.break_next = False
        return p

    def new_section(self, orientation: str) -> None:
        """Start a section (landscape for wide tables); page numbers start with the body."""
        self.section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        layout = LANDSCAPE if orientation == "landscape" else PORTRAIT
        orient = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
        page_setup(self.section, layout, orient)
        if not self.numbered:
            page_footers(self.section, self.doc)
            if self.watermark:
                draft_headers(self.section, self.watermark)
            self.numbered = True
        self.orientation = orientation
        self.break_next = False

    def page_break(self, orientation: str = "portrait") -> None:
        if orientation != self.orientation or not self.numbered:
            self.new_section(orientation)
        else:
            self.break_next = True

    # -- elements -----------------------------------------------------------------------------

    def cover(self, el: HtmlElement) -> None:
        for p_el in el.iter("p"):
            p = self.paragraph(text_of(p_el), "封面")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if "cover-year" in classes(p_el):
                p.paragraph_format.space_before = Pt(160)
                p.paragraph_format.space_after = Pt(24)
                p.runs[0].font.bold = False
                p.runs[0].font.size = Pt(22)

    def toc(self, el: HtmlElement) -> None:
        self.break_next = True
        title = self.paragraph(text_of(el.find_class("toc-title")[0]), "封面")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(12)
        entries = [(text_of(li), "toc2" in classes(li)) for li in el.iter("li")]
        # One TOC field whose cached result is the outline, so the list reads right before
        # Word updates it (settings ask Word to update fields on open).
        for i, (text, nested) in enumerate(entries):
            p = self.paragraph(style="目录项")
            if nested:
                p.paragraph_format.left_indent = Pt(28)
            if i == 0:
                run = p.add_run()
                for kind, instr in (("begin", None), (None, ' TOC \\o "1-2" \\h \\z \\u '),
                                    ("separate", None)):
                    if kind:
                        el_ = OxmlElement("w:fldChar")
                        el_.set(qn("w:fldCharType"), kind)
                        run._r.append(el_)
                    else:
                        it = OxmlElement("w:instrText")
                        it.set(qn("xml:space"), "preserve")
                        it.text = instr
                        run._r.append(it)
                    run = p.add_run()
            p.add_run(text)
            if i == len(entries) - 1:
                end = OxmlElement("w:fldChar")
                end.set(qn("w:fldCharType"), "end")
                p.add_run()._r.append(end)
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)

    def heading(self, el: HtmlElement, level: int) -> Paragraph:
        p = self.paragraph(text_of(el), f"Heading {level}")
        if self.centre_parts and level in (2, 3):
            # 第一部分 style: 一、 (level 2) in 黑体, （一） (level 3) in 楷体.
            for run in p.runs:
                set_east_asian(run._r, HEI if level == 2 else KAI)
                run.font.bold = False
        if level == 1 and self.centre_parts:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
        return p

    def body_paragraph(self, el: HtmlElement) -> None:
        p = self.paragraph()
        self.runs(p, el)
        if "placeholder" in classes(el):
            p.paragraph_format.first_line_indent = Pt(0)
            for run in p.runs:
                run.font.color.rgb = RGBColor(0xB0, 0, 0)

    def runs(self, p: Paragraph, el: HtmlElement, bold: bool = False, red: bool = False) -> None:
        """Inline content as runs: <strong> bold, placeholders red, white space folded."""
        def add(text: str | None) -> None:
            text = " ".join((text or "").split()) if text and text.strip() else ""
            if text:
                run = p.add_run(text)
                run.font.bold = bold or None
                if red:
                    run.font.color.rgb = RGBColor(0xB0, 0, 0)

        add(el.text)
        for child in el:
            cls = classes(child)
            self.runs(p, child, bold or child.tag in ("strong", "b"), red or "placeholder" in cls)
            add(child.tail)

    def figure(self, el: HtmlElement) -> None:
        img = el.find(".//img")
        if img is None or self.base is None:
            return
        png = self.base / str(img.get("src")).replace(".svg", ".png")
        p = self.paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        # An exact line pitch (the body's 28.95 pt) would clip the picture to one line.
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(str(png), width=Mm(140))
        caption = self.paragraph(text_of(el.find(".//figcaption")), "表注")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table_block(self, el: HtmlElement, first_in_part: bool) -> None:
        orientation = "landscape" if "landscape" in classes(el) else "portrait"
        if orientation != self.orientation:
            self.new_section(orientation)
        elif not first_in_part:
            self.break_next = True
        width = (LANDSCAPE if orientation == "landscape" else PORTRAIT)
        text_width = width["width"] - width["left"] - width["right"]
        for child in el:
            tag, cls = child.tag, classes(child)
            if tag == "h2":
                p = self.paragraph(text_of(child), "Heading 2")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.first_line_indent = Pt(0)
                for run in p.runs:
                    set_east_asian(run._r, HEI)
            elif "table-label" in cls:
                p = self.paragraph(text_of(child), "表头信息")
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif "table-meta" in cls:
                spans = child.findall("span")
                p = self.paragraph(text_of(spans[0]), "表头信息")
                p.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
                p.add_run("\t" + text_of(spans[1]))
            elif tag == "table":
                self.table(child, text_width)
            elif "note" in cls:
                p = self.paragraph(text_of(child), "表注")
                if not text_of(child).startswith("注"):
                    p.paragraph_format.left_indent = Pt(21)

    def table(self, el: HtmlElement, text_width: int) -> Table:
        head = el.findall("thead/tr")
        body = el.findall("tbody/tr")
        rows = head + body
        widths = [float(c.get("style", "width: 1%").split(":")[1].strip(" %;"))
                  for c in el.findall("colgroup/col")]
        ncols = len(widths)
        table = self.doc.add_table(rows=len(rows), cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # Word's default 1.9 mm cell margins leave a 行次 column no room for two digits.
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            m = OxmlElement(f"w:{side}")
            m.set(qn("w:w"), "0" if side in ("top", "bottom") else "57")
            m.set(qn("w:type"), "dxa")
            margins.append(m)
        table._tbl.tblPr.append(margins)
        total = sum(widths)
        col_widths = [int(text_width * w / total) for w in widths]
        for i, col in enumerate(table.columns):
            col.width = col_widths[i]
        grid = [list(r.cells) for r in table.rows]  # cells once: table.cell() is slow
        for r, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            if r < len(head):
                tr_pr.append(OxmlElement("w:tblHeader"))
            tr_pr.append(OxmlElement("w:cantSplit"))
            for c in range(ncols):
                grid[r][c].width = col_widths[c]
        merges = []
        # python-docx looks a style up by scanning every style; thousands of cells make that slow.
        style_id = self.doc.styles["表格文字"].style_id
        for r, c, cell in grid_cells(rows):
            target = grid[r][c]
            p = target.paragraphs[0]
            p._p.style = style_id
            text = text_of(cell)
            if text:
                run = p.add_run(text)
                if "total" in classes(cell) and "label" in classes(cell):
                    run.font.bold = True
            cls = classes(cell)
            if cell.tag == "th" or cls & {"line", "total"}:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif "num" in cls:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cs, rs = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            if cs > 1 or rs > 1:
                merges.append((r, c, r + rs - 1, c + cs - 1))
        for r0, c0, r1, c1 in merges:
            grid[r0][c0].merge(grid[r1][c1])
        return table

    # -- the document -------------------------------------------------------------------------

    def write(self, html: str) -> None:
        root = lxml.html.document_fromstring(html)
        body = root.body
        self.centre_parts = "headings-parts" in classes(body)
        self.watermark = text_of(body.find_class("watermark")[0]) if body.find_class("watermark") else ""
        for el in body:
            cls = classes(el)
            if "cover" in cls:
                self.cover(el)
            elif "toc" in cls:
                self.toc(el)
            elif "part" in cls:
                self.page_break("portrait")
                first_table = True
                for child in el:
                    if child.tag == "h1":
                        self.heading(child, 1)
                    elif child.tag in ("h2", "h3"):
                        self.heading(child, int(child.tag[1]))
                    elif child.tag == "p":
                        self.body_paragraph(child)
                    elif child.tag == "figure":
                        self.figure(child)
                    elif child.tag == "table":
                        self.table(child, PORTRAIT["width"] - PORTRAIT["left"] - PORTRAIT["right"])
                    elif "table-block" in classes(child):
                        self.table_block(child, first_table)
                        first_table = False

    def save(self, target: Path, when: datetime) -> None:
        props = self.doc.core_properties
        props.author = "reportgen"
        props.last_modified_by = "reportgen"
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        buf = io.BytesIO()
        self.doc.save(buf)
        target.write_bytes(stable_zip(buf.getvalue()))


def stable_zip(data: bytes) -> bytes:
    """The same parts with fixed entry times, so equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(html: str, target: Path, when: datetime, base: Path | None = None) -> None:
    """`base` is the folder the HTML's relative image paths start from."""
    writer = DocxWriter()
    writer.base = base
    writer.write(html)
    writer.save(target, when)
