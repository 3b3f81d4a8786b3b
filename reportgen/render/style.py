"""The one style source: page geometry, fonts, sizes and line pitch of every format.

The print CSS (templates/<kind>/style.css, a Jinja include that reads `st`) and the DOCX
styles (render.docx.styles) are both generated from these numbers, so the PDF and the DOCX
cannot drift apart. Page and text numbers follow GB/T 9704-2012 (see page.md in the design).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Font:
    """A font role: the Windows name Word users have, its English name (the font table's
    altName), and the open fonts the PDF and LibreOffice fall back to."""

    windows: str
    english: str
    open: tuple[str, ...]
    generic: str  # serif | sans-serif
    panose: str  # w:panose1 of the Windows font: lets Word/LibreOffice pick a look-alike

    @property
    def css(self) -> Markup:
        """A CSS font list; Markup, so the stylesheet template does not escape its quotes."""
        names = (self.english, self.windows, *self.open)
        return Markup(", ".join(f'"{n}"' for n in names) + f", {self.generic}")


FONTS = {
    "fang": Font("仿宋", "FangSong", ("FangSong_GB2312", "FandolFang", "Noto Serif CJK SC", "Noto Serif CJK"),
                 "serif", "02010609060101010101"),
    "song": Font("宋体", "SimSun", ("Noto Serif CJK SC", "Noto Serif CJK"), "serif", "02010600030101010101"),
    "hei": Font("黑体", "SimHei", ("Noto Sans CJK SC", "Noto Sans CJK"), "sans-serif", "02010609060101010101"),
    "kai": Font("楷体", "KaiTi", ("KaiTi_GB2312", "AR PL UKai CN", "Noto Serif CJK SC"), "serif",
                "02010609060101010101"),
}
LATIN = "Times New Roman"


@dataclass(frozen=True)
class Page:
    width: float  # mm
    height: float
    top: float
    right: float
    bottom: float
    left: float

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def css_margin(self) -> str:
        return f"{self.top}mm {self.right}mm {self.bottom}mm {self.left}mm"


PAGES = {
    "portrait": Page(210, 297, 37, 26, 35, 28),
    # Wide tables: the page turns; narrower margins give nine columns room.
    "landscape": Page(297, 210, 15, 30, 20, 30),
}
PAGE_NUMBER_GAP = 7  # mm below the text area (GB/T 9704)

BODY = 16.0  # pt, 3号
LINE = 28.95  # pt: 22 lines on the 225 mm text area
INDENT = 2  # em, first-line indent of body text and headings

# Headings by level and heading style: (font role, bold, centred).
HEADINGS = {
    "一、": {1: ("hei", False, False), 2: ("kai", False, False), 3: ("fang", True, False)},
    "第一部分": {1: ("hei", False, True), 2: ("hei", False, False), 3: ("kai", False, False)},
}
PART_AFTER = 14.0  # pt below a centred part heading
TITLE_PAGE = {"top": 80.0, "size": 22.0, "line": 40.0}  # mm above, pt, pt

COVER = {"year": 22.0, "year_line": 40.0, "title": 26.0, "title_line": 44.0, "top": 60.0, "line": 16.0}
TOC = {"title": 22.0, "title_line": 40.0, "entry": 16.0, "sub": 14.0, "line": 21.0}

# Tables: 宋体 small enough that nine columns fit, as the seeds print them. A table whose
# amounts would not fit at TABLE size gets a smaller size, never below TABLE_MIN.
TABLE = {"portrait": 9.0, "landscape": 8.5}
TABLE_MIN = 6.0
TABLE_LINE = 1.22  # line height as a multiple of the table text size
TABLE_PAD = 3.0  # pt, left/right cell padding
TABLE_VPAD = {"portrait": 1.0, "landscape": 0.5}  # pt, top/bottom cell padding
SMALL = 10.5  # pt: 表注, table label and meta lines, figure captions
SMALL_LINE = 16.0
TITLE = {"size": 16.0, "line": 24.0}  # a table's title (its heading)

PLACEHOLDER = "b00000"  # red of 【待补充】
PLACEHOLDER_FILL = "fff3b0"  # behind a missing paragraph in a draft
WATERMARK = {"size": 120.0, "colour": "f2c4c4"}


def table_size(orientation: str) -> float:
    return TABLE[orientation]
