"""A tree Table as a Word table: repeated header rows, merges, widths, keep-together tail."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable

from ...tree import Cell, Table, grid_positions, kept_from
from .. import style
from .oxml import child

TWIPS_PER_PT = 20


def alignment(cell: Cell):
    if cell.has("head") or cell.has("line") or cell.has("total"):
        return WD_ALIGN_PARAGRAPH.CENTER
    if cell.has("num"):
        return WD_ALIGN_PARAGRAPH.RIGHT
    return WD_ALIGN_PARAGRAPH.LEFT


def write_table(doc, t: Table, width: int) -> DocxTable:
    """`width` is the text width (EMU) of the page the table sits on."""
    body = list(t.body)
    if t.empty_note:  # the 空表说明 as a last row across the table, as the HTML prints it
        body.append((Cell(t.empty_note, "text empty", colspan=t.ncols),))
    rows = (*t.head, *body)
    table = doc.add_table(rows=len(rows), cols=t.ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    # Word's default 1.9 mm side margins leave a 行次 column no room for two digits; all four
    # are the HTML's cell padding.
    margins = child(tbl_pr, "w:tblCellMar")
    vpad = style.TABLE_VPAD[t.orientation]
    # top, left, bottom, right: CT_TblCellMar's order, appended in that order.
    for side, value in (("top", vpad), ("left", style.TABLE_PAD), ("bottom", vpad), ("right", style.TABLE_PAD)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value * TWIPS_PER_PT)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    col_widths = [int(width * w / sum(t.widths)) for w in t.widths]
    for i, col in enumerate(table.columns):
        col.width = col_widths[i]
    grid = [list(r.cells) for r in table.rows]  # cells once: table.cell() is slow
    keep_from = len(t.head) + kept_from(tuple(body), t.keep_last)
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        child(tr_pr, "w:cantSplit")
        if r < len(t.head):
            child(tr_pr, "w:tblHeader")
        for c in range(t.ncols):
            grid[r][c].width = col_widths[c]
    size = t.size or style.table_size(t.orientation)
    style_id = doc.styles["表格文字"].style_id  # by id: a lookup by name scans every style
    merges = []
    for r, c, cell in grid_positions(rows):
        target = grid[r][c]
        p = target.paragraphs[0]
        p._p.style = style_id
        pf = p.paragraph_format
        pf.line_spacing = Pt(round(size * style.TABLE_LINE, 2))
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        # The last rows stay with each other (and so with the total): keep-with-next on
        # every row of the tail but the last.
        if r < len(t.head) or keep_from <= r < len(rows) - 1:
            pf.keep_with_next = True
        if cell.text:
            run = p.add_run(cell.text)
            run.font.size = Pt(size)
            if cell.has("total") and cell.has("label"):
                run.font.bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.has("empty") else alignment(cell)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if cell.colspan > 1 or cell.rowspan > 1:
            merges.append((r, c, r + cell.rowspan - 1, c + cell.colspan - 1))
    for r0, c0, r1, c1 in merges:
        grid[r0][c0].merge(grid[r1][c1])
    return table
