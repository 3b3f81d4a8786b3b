"""The 附件 part: the 汇总表 and one 自评表 per 绩效-N sheet, each a tree Table on its own portrait page.

The grids come from reportgen.performance.forms (renderer-neutral); this module only maps their
cells onto tree cells, so the writers draw them like any other table. What is printed — the
layouts, the 汇总表, the 附件 numbers — is the profile's [performance] table.
"""

from __future__ import annotations

from .model import Disclosure
from .performance.derive import scored
from .performance.forms import Cell as FormCell
from .performance.forms import Form, layouts_for, project_form, summary_form
from .performance.rules import rules_for
from .tree import Cell, Heading, Sheet, Table
from .widths import fit_widths


def tree_cell(c: FormCell) -> Cell:
    """A form cell as a tree cell: header cells print bold and centred, amounts and scores right."""
    role = "head" if c.header else "num" if c.align == "right" else "text"
    if c.emphasis:
        role += " total"
    return Cell(c.text, role, c.colspan, c.rowspan)


def form_table(form: Form, fid: str, title: str) -> Table:
    body = tuple(tuple(tree_cell(c) for c in row) for row in form.rows)
    widths, size = fit_widths((), body, "portrait")
    return Table(id=fid, head=(), body=body, widths=widths, orientation="portrait", size=size,
                 title=Heading(2, title, fid), meta=("", form.unit_line), notes=form.notes, keep_last=2)


def attachment_sheets(d: Disclosure, heading: Heading) -> tuple[Sheet, ...]:
    """The part's pages: () when the workbook has no 绩效-N sheets (the part is then left out)."""
    s = d.settings
    projects = scored(d.supplement, s)
    if not projects:
        return ()
    rules = rules_for(s)
    layout, whole_layout = layouts_for(rules)
    tables = []
    if rules.summary and any(not sp.project.whole for sp in projects):
        form = summary_form(projects, s.unit_name, s.year)
        tables.append(form_table(form, "fj-0", form.title))
    n = 0
    # The 部门整体 form first (附件1-1 before 附件2-1 in seed 000), then the projects in sheet order.
    for sp in sorted(projects, key=lambda sp: not sp.project.whole):
        if sp.project.whole:
            form = project_form(sp, whole_layout, s.year)
            number = rules.whole_attachment
        else:
            n += 1
            form = project_form(sp, layout, s.year)
            number = rules.attachment.format(n=n)
        tables.append(form_table(form, f"fj-{len(tables)}", f"{number}{form.title}{form.subtitle}"))
    sheets = [Sheet((t,), "portrait") for t in tables]
    sheets[0] = Sheet((heading, *sheets[0].blocks), "portrait")
    return tuple(sheets)
