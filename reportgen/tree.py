"""The document tree every writer walks: parts, headings, paragraphs of runs, tables, figures.

Built once per document (reportgen.document) with every number already a finished string.
The HTML writer (and through it the PDF) and the DOCX writer each handle every node type here;
a writer meeting a type it does not know raises, it never drops content silently.
Page starts are explicit: a part is a sequence of `Sheet`s, each starting a new page in its
own orientation, so the PDF and the DOCX break pages in the same places.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnknownNode(TypeError):
    """A writer met a node type it has no rendering for: an error, never a silent drop."""


# -- inline runs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Placeholder:
    """A missing input shown as 【待补充：…】, red in every format."""

    text: str


Run = Text | Strong | Placeholder

# -- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1 part, 2 section or table title, 3 subsection
    text: str  # with its numbering, as printed
    id: str = ""  # anchor; headings with an id are 目录 entries when level <= 2
    toc: bool = True
    tighten: float = 0.0  # em of letter spacing taken away so no character stands alone on a line


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    role: str = "body"  # body | glossary | placeholder (a whole missing paragraph)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Cell:
    text: str
    role: str = ""  # head | label | num | line | code | total | text; may hold several words
    colspan: int = 1
    rowspan: int = 1

    def has(self, word: str) -> bool:
        return word in self.role.split()


@dataclass(frozen=True)
class Table:
    id: str
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # relative column widths, summing to 100
    title: Heading | None = None
    label: str = ""  # 公开0N表, printed right above the table
    meta: tuple[str, str] = ("", "")  # 部门：… | 单位：万元
    notes: tuple[str, ...] = ()
    empty_note: str = ""  # printed under the head when the body has no data rows
    orientation: str = "portrait"  # of the page it sits on
    size: float = 0.0  # pt of the cell text; 0: the style's size for the orientation
    keep_last: int = 3  # the last rows stay together (a total never stands alone)

    @property
    def ncols(self) -> int:
        return len(self.widths)


def kept_from(body: tuple[tuple[Cell, ...], ...], keep_last: int) -> int:
    """Where the body's kept-together tail starts: the last `keep_last` rows, and earlier if a
    merged cell above would otherwise reach into them (a rowspan cannot cross two row groups)."""
    start = len(body) - min(keep_last, len(body))
    while start > 0 and any(i + c.rowspan > start for i, row in enumerate(body[:start]) for c in row):
        start -= 1
    return start


@dataclass(frozen=True)
class Figure:
    slot: int  # 图N; the writers find charts/图N.svg / .png
    caption: str
    svg: str  # path relative to the output directory
    png: str


Block = Heading | Paragraph | Table | Figure


def grid_positions(rows):
    """(row, column, cell) of table rows, with colspan/rowspan resolved to grid positions."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            yield r, c, cell
            c += cell.colspan


@dataclass(frozen=True)
class Sheet:
    """Content that starts on a new page in one orientation."""

    blocks: tuple[Block, ...]
    orientation: str = "portrait"  # portrait | landscape
    title_page: bool = False  # a part's title alone on its page (第一部分 style)


@dataclass(frozen=True)
class Part:
    id: str
    heading: Heading
    sheets: tuple[Sheet, ...]  # the first holds the heading
    role: str = ""  # overview | tables | narrative | glossary | review

    @property
    def tables(self) -> list[Table]:
        return [b for sheet in self.sheets for b in sheet.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class Cover:
    year: str
    title: tuple[str, ...]
    lines: tuple[str, ...] = ()  # 公开时间, the draft notice
    draft_line: str = ""


@dataclass(frozen=True)
class TocEntry:
    level: int
    text: str
    target: str  # heading id


@dataclass(frozen=True)
class Document:
    title: str
    cover: Cover
    toc_title: str
    toc: tuple[TocEntry, ...]
    parts: tuple[Part, ...]
    headings: str = "一、"  # heading style of the profile: 一、 | 第一部分
    watermark: str = ""  # drafts: the diagonal mark on every page

    def blocks(self):
        """Every block in reading order, with the part and sheet it sits in."""
        for part in self.parts:
            for sheet in part.sheets:
                for block in sheet.blocks:
                    yield part, sheet, block


NODE_TYPES = (Text, Strong, Placeholder, Heading, Paragraph, Cell, Table, Figure, Sheet, Part,
              Cover, TocEntry, Document)
