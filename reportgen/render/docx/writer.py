"""The DOCX writer: a walk over the document tree (never the HTML), one method per node type.

Every `Sheet` of the tree starts a new page, as in the PDF; a change of orientation starts a
new Word section. A node type without a method here is an error (`UnknownNode`).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from ...tree import (
    Cover,
    Document,
    Figure,
    Heading,
    Paragraph,
    Placeholder,
    Sheet,
    Strong,
    Table,
    Text,
    UnknownNode,
)
from .. import style
from .oxml import add_field, child, fld_char, font_table, instr_text, set_fonts, stable_zip
from .styles import define_styles, exact, page_setup, text_width
from .tables import write_table

RED = RGBColor.from_string(style.PLACEHOLDER.upper())

WATERMARK_VML = (
    '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="reportgen-watermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;rotation:315;'
    'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#{colour}" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    '</v:shape></w:pict>'
)


class DocxWriter:
    def __init__(self, tree: Document, base: Path | None, pages: dict[str, int]) -> None:
        self.tree = tree
        self.base = base  # the folder chart paths start from
        self.pages = pages  # anchor → page number, from the PDF's layout
        self.doc = new_docx()
        define_styles(self.doc, tree.headings)
        font_table(self.doc)
        self.section = self.doc.sections[0]
        page_setup(self.section, "portrait")
        for footer in (self.section.footer, self.section.even_page_footer):
            footer.is_linked_to_previous = False
        self.orientation = "portrait"
        self.numbered = False
        self.break_next = False
        body = self.doc.element.body  # drop the template's empty first paragraph
        for p in body.findall(qn("w:p")):
            body.remove(p)

    # -- flow ---------------------------------------------------------------------------------

    def paragraph(self, text: str = "", style_name: str | None = None) -> DocxParagraph:
        p = self.doc.add_paragraph(text, style=style_name)
        if self.break_next:
            p.paragraph_format.page_break_before = True
            self.break_next = False
        return p

    def new_section(self, orientation: str) -> None:
        """A new Word section on a new page; page numbers start with the first body section."""
        self.section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        # add_section leaves the old section's properties in a paragraph of its own: make it
        # a hairline, so it can never push onto a page of its own.
        marker = self.doc.element.body.findall(qn("w:p"))[-1]
        ppr = marker.get_or_add_pPr()
        child(ppr, "w:spacing", line="20", lineRule="exact", before="0", after="0")
        child(child(ppr, "w:rPr"), "w:sz", val="2")
        page_setup(self.section, orientation)
        if not self.numbered:
            self.page_footers()
            if self.tree.watermark:
                self.draft_headers(self.tree.watermark)
            self.numbered = True
        self.orientation = orientation
        self.break_next = False

    def sheet(self, sheet: Sheet) -> None:
        if sheet.orientation != self.orientation or not self.numbered:
            self.new_section(sheet.orientation)
        else:
            self.break_next = True
        for block in sheet.blocks:
            self.block(block, sheet)

    def block(self, block, sheet: Sheet) -> None:
        method = getattr(self, f"write_{type(block).__name__.lower()}", None)
        if method is None:
            raise UnknownNode(f"DOCX writer: no rendering for {type(block).__name__}")
        method(block, sheet)

    # -- page furniture -----------------------------------------------------------------------

    def page_footers(self) -> None:
        """「— N —」 in 4号 宋体: odd pages right, even pages left, one character in."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((self.section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (self.section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            pf = p.paragraph_format
            pf.first_line_indent = Pt(0)
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                pf.right_indent = Pt(14)
            else:
                pf.left_indent = Pt(14)
            p.add_run("— ")
            add_field(p, "PAGE", "1")
            p.add_run(" —")
            for run in p.runs:
                run.font.size = Pt(14)
                set_fonts(run._r, style.FONTS["song"])

    def draft_headers(self, mark: str) -> None:
        """A draft carries Word's own diagonal watermark (a WordArt shape in every header) and
        says so in red at the top of every page."""
        for header in (self.section.header, self.section.even_page_header):
            header.is_linked_to_previous = False
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(f"{mark} · 数据未经最终审核，不得公开")
            run.font.size = Pt(14)
            run.font.bold = True
            run.font.color.rgb = RGBColor(0xC0, 0, 0)
            set_fonts(run._r, style.FONTS["hei"])
            p.add_run()._r.append(parse_xml(WATERMARK_VML.format(
                font=style.FONTS["hei"].windows, colour=style.WATERMARK["colour"],
                text=xml_escape(mark, {'"': "&quot;"}))))

    # -- front matter -------------------------------------------------------------------------

    def write_cover(self, cover: Cover) -> None:
        year = self.paragraph(cover.year, "封面")
        year.alignment = WD_ALIGN_PARAGRAPH.CENTER
        year.paragraph_format.space_before = Mm(style.COVER["top"])
        year.paragraph_format.space_after = Pt(18)
        exact(year.paragraph_format, style.COVER["year_line"])
        year.runs[0].font.bold = False
        year.runs[0].font.size = Pt(style.COVER["year"])
        for line in cover.title:
            self.paragraph(line, "封面").alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in (*cover.lines, cover.draft_line):
            if line:
                p = self.paragraph(line, "表头信息")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.space_before = Pt(24)
                p.runs[0].font.size = Pt(style.BODY)
                if line == cover.draft_line:
                    p.runs[0].font.color.rgb = RED

    def write_toc(self) -> None:
        """One TOC field whose cached result is the outline with the PDF's page numbers, so
        LibreOffice and WPS show a finished 目录 without updating fields; Word offers to
        update it on open."""
        self.break_next = True
        title = self.paragraph(self.tree.toc_title, "目录标题")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(12)
        width = text_width("portrait")
        entries = self.tree.toc
        for i, e in enumerate(entries):
            p = self.paragraph(style_name="目录项")
            pf = p.paragraph_format
            pf.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.MIDDLE_DOT)
            if e.level > 1:
                pf.left_indent = Pt(2 * style.TOC["sub"])
            if i == 0:
                p.add_run()._r.append(fld_char("begin"))
                p.add_run()._r.append(instr_text('TOC \\o "1-2" \\h \\z \\u'))
                p.add_run()._r.append(fld_char("separate"))
            run = p.add_run(e.text)
            number = self.pages.get(e.target)
            if number is not None:
                p.add_run(f"\t{number}")
            if e.level > 1:
                for r in p.runs:
                    r.font.size = Pt(style.TOC["sub"])
            else:
                set_fonts(run._r, style.FONTS["hei"])
            if i == len(entries) - 1:
                p.add_run()._r.append(fld_char("end"))
        settings = self.doc.settings.element
        child(settings, "w:updateFields", **{"val": "true"})

    # -- blocks -------------------------------------------------------------------------------

    def tightened(self, p: DocxParagraph, h: Heading, size: float) -> None:
        if h.tighten:  # w:spacing is in twentieths of a point
            for run in p.runs:
                child(run._r.get_or_add_rPr(), "w:spacing", val=str(round(h.tighten * size * 20)))

    def write_heading(self, h: Heading, sheet: Sheet) -> None:
        p = self.paragraph(h.text, f"Heading {h.level}")
        title_page = sheet.title_page and h.level == 1
        self.tightened(p, h, style.TITLE_PAGE["size"] if title_page else style.BODY)
        if sheet.title_page and h.level == 1:
            pf = p.paragraph_format
            pf.space_before = Mm(style.TITLE_PAGE["top"])
            exact(pf, style.TITLE_PAGE["line"])
            for run in p.runs:
                run.font.size = Pt(style.TITLE_PAGE["size"])

    def write_paragraph(self, para: Paragraph, sheet: Sheet) -> None:
        p = self.paragraph()
        if para.role == "placeholder":  # a whole missing paragraph: boxed, as the HTML shows it
            p.paragraph_format.first_line_indent = Pt(0)
            ppr = p._p.get_or_add_pPr()
            borders = child(ppr, "w:pBdr")
            for side in ("top", "left", "bottom", "right"):  # CT_PBdr's order
                child(borders, f"w:{side}", val="dashed", sz="4", space="4", color=style.PLACEHOLDER)
            child(ppr, "w:shd", val="clear", color="auto", fill=style.PLACEHOLDER_FILL)
        for r in para.runs:
            run = p.add_run(r.text)
            if isinstance(r, Strong):
                run.font.bold = True
            elif isinstance(r, Placeholder):
                run.font.color.rgb = RED
            elif not isinstance(r, Text):
                raise UnknownNode(f"DOCX writer: no rendering for run {type(r).__name__}")

    def write_figure(self, f: Figure, sheet: Sheet) -> None:
        if self.base is None:
            raise ValueError("DOCX writer: charts need the output folder they were written to")
        p = self.paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing = 1.0  # an exact pitch would clip the picture to one line
        pf.keep_with_next = True
        pf.space_before = Pt(8)
        p.add_run().add_picture(str(self.base / f.png), width=Mm(140))
        caption = self.paragraph(f.caption, "表注")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_after = Pt(10)

    def after_table(self) -> bool:
        """The body's last block (its closing sectPr aside) is a table."""
        last = [e for e in self.doc.element.body if not e.tag.endswith("}sectPr")][-1:]
        return bool(last) and last[0].tag.endswith("}tbl")

    def write_table(self, t: Table, sheet: Sheet) -> None:
        width = text_width(t.orientation)
        if t.title:
            p = self.paragraph(t.title.text, "Heading 2")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf = p.paragraph_format
            pf.first_line_indent = Pt(0)
            pf.space_after = Pt(2)
            exact(pf, style.TITLE["line"])
            for run in p.runs:
                set_fonts(run._r, style.FONTS["hei"])
                run.font.bold = False
            self.tightened(p, t.title, style.TITLE["size"])
        if t.label:
            p = self.paragraph(t.label, "表头信息")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_with_next = True
        if any(t.meta):
            p = self.paragraph(t.meta[0], "表头信息")
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.space_after = Pt(3)
            p.add_run("\t" + t.meta[1])
        if self.break_next or self.after_table():
            # A sheet that opens with a bare table breaks on an empty line; a table right after
            # another needs one too, or Word and LibreOffice join the two into one table.
            self.paragraph(style_name="表注")
        write_table(self.doc, t, width)
        for i, note in enumerate(t.notes):
            p = self.paragraph(("注：" if i == 0 else "") + note, "表注")
            p.paragraph_format.space_before = Pt(4 if i == 0 else 0)
            if i:
                p.paragraph_format.left_indent = Pt(2 * style.SMALL)

    # -- the document -------------------------------------------------------------------------

    def write(self) -> None:
        self.write_cover(self.tree.cover)
        self.write_toc()
        for part in self.tree.parts:
            for sheet in part.sheets:
                self.sheet(sheet)

    def save(self, target: Path, when: datetime) -> None:
        props = self.doc.core_properties
        props.author = "reportgen"
        props.last_modified_by = "reportgen"
        props.title = self.tree.title
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        buf = io.BytesIO()
        self.doc.save(buf)
        target.write_bytes(stable_zip(buf.getvalue()))


def write_docx(tree: Document, target: Path, when: datetime, base: Path | None = None,
               pages: dict[str, int] | None = None) -> None:
    """`base` is the folder the charts' paths start from; `pages` gives the 目录's numbers."""
    writer = DocxWriter(tree, base, pages or {})
    writer.write()
    writer.save(target, when)
