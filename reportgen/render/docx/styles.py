"""DOCX styles and page geometry, generated from render.style (the print CSS's source too)."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt, RGBColor

from .. import style
from .oxml import child, set_fonts

# Paragraph styles this writer adds: name → (font role, size pt, exact line pitch pt or None).
EXTRA = {
    "表格文字": ("song", style.TABLE["portrait"], None),
    "表注": ("song", style.SMALL, style.SMALL_LINE),
    "表头信息": ("song", style.SMALL, style.SMALL_LINE),
    "封面": ("song", style.COVER["title"], style.COVER["title_line"]),
    "目录标题": ("hei", style.TOC["title"], style.TOC["title_line"]),
    "目录项": ("fang", style.TOC["entry"], style.TOC["line"]),
}


def exact(pf, points: float) -> None:
    pf.line_spacing = Pt(points)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def define_styles(doc, headings: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(style.BODY)
    set_fonts(normal.element, style.FONTS["fang"], lang=True)
    pf = normal.paragraph_format
    exact(pf, style.LINE)
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(style.INDENT * style.BODY)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = True
    # No extra space between Chinese and Latin text or digits: the PDF adds none, and
    # LibreOffice's default spacing costs a line every few paragraphs.
    ppr = normal.element.get_or_add_pPr()
    child(ppr, "w:autoSpaceDE", val="0")
    child(ppr, "w:autoSpaceDN", val="0")
    for level, (font, bold, centred) in style.HEADINGS[headings].items():
        st = styles[f"Heading {level}"]
        st.font.size = Pt(style.BODY)
        st.font.bold = bold
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(st.element, style.FONTS[font])
        hf = st.paragraph_format
        hf.first_line_indent = Pt(0 if centred else style.INDENT * style.BODY)
        hf.space_before = Pt(0)
        hf.space_after = Pt(style.PART_AFTER if centred else 0)
        hf.keep_with_next = True
        hf.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        exact(hf, style.LINE)
    for name, (font, size, line) in EXTRA.items():
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size = Pt(size)
        set_fonts(st.element, style.FONTS[font])
        st.paragraph_format.first_line_indent = Pt(0)
        if line:
            exact(st.paragraph_format, line)
        else:
            st.paragraph_format.line_spacing = 1.0
    styles["封面"].font.bold = True
    # Header and footer lines at their own size: at the body's pitch they would eat into
    # the text area of landscape pages (narrow margins) and move page breaks.
    for name in ("Header", "Footer"):
        exact(styles[name].paragraph_format, 14 * 1.2)
        styles[name].paragraph_format.first_line_indent = Pt(0)


def page_setup(section, orientation: str) -> None:
    page = style.PAGES[orientation]
    section.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width = Mm(page.width)
    section.page_height = Mm(page.height)
    section.top_margin = Mm(page.top)
    section.bottom_margin = Mm(page.bottom)
    section.left_margin = Mm(page.left)
    section.right_margin = Mm(page.right)
    # The number's line sits PAGE_NUMBER_GAP below the text area, as in the PDF.
    section.footer_distance = Mm(max(page.bottom - style.PAGE_NUMBER_GAP - 7, 5))
    section.header_distance = Mm(10)


def text_width(orientation: str):
    return Mm(style.PAGES[orientation].text_width)
