"""The 部门预算's project sentences: 表5's projects matched to their 「项目说明」 rows, each compared
with its prior budget (第三部分), the largest changes behind the total (第二部分) and the
重点项目 table (第七部分). A mixin of Narrative, which supplies the inputs and helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

from ...analysis import Comparison, compare
from ...placeholder import Placeholder
from ...tree import Cell, Table
from ...widths import fit_widths
from .inputs import PROJECT_SHEET
from .model import ProjectNote, Row

KEY_TABLE_SLOT = 1  # 第七部分's table: <table slot="1"> in sections/key_projects.html.j2
CLOSED = ("。", "；", "！", "？")  # a basis ending so: the comparison starts its own sentence


def name_key(name: str) -> str:
    """A project name as matched: 表5 and 「项目说明」 may differ in bracket width and spaces."""
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


@dataclass
class ProjectLine:
    """One 表5 project as 第三部分 prints it."""

    number: int
    name: str
    amount: str | Placeholder
    value: Decimal
    basis: Markup | Placeholder
    basis_closed: bool  # the basis ends a sentence (。): the comparison starts a new one
    kind: str  # new | equal | change | addition | none (no prior given: no comparison)
    vs_prior: Comparison | None = None  # against the whole prior budget
    net: Comparison | None = None  # against the prior budget less its 年中追加 (kind "addition")
    addition: str = ""
    reason: Markup | Placeholder | str = ""
    target: str | Placeholder = ""
    key: bool = False
    change: Decimal | None = None  # signed, against the comparable base; None without a prior


@dataclass
class Reason:
    """One 第二部分 reason: 一是{name}增加{change}万元，{reason}."""

    ordinal: int
    name: str
    direction: str  # up | down
    change: str
    reason: Markup | Placeholder


@dataclass
class Reasons:
    direction: str  # the total's: up | down | equal
    items: list[Reason] = field(default_factory=list)


class ProjectSections:
    """第二部分's reasons, 第三部分's project paragraphs and 第七部分's table."""

    def project_rows(self) -> list[Row]:
        t05 = self.d.tables.get("t05")
        return [r for r in (t05.rows if t05 else []) if r.key != "total"]

    def project_pairs(self) -> list[tuple[ProjectNote | None, Row | None]]:
        """(note, 表5 row) in 「项目说明」 order, then the 表5 projects it does not explain."""
        rows = {name_key(r.label): r for r in self.project_rows()}
        out: list[tuple[ProjectNote | None, Row | None]] = []
        for note in self.d.projects:
            out.append((note, rows.pop(name_key(note.name), None)))
        out += [(None, r) for r in rows.values()]
        return out

    def _project(self, number: int, note: ProjectNote | None, row: Row | None) -> ProjectLine:
        name = note.name if note else row.label if row else ""
        where = f"「{PROJECT_SHEET}」表「{name}」行"
        if row is None:
            self.need(f"表5.{name}", f"表5「支出项目类别」中没有「{name}」：表5与「{PROJECT_SHEET}」表的项目名称应一致")
            value, amount = Decimal(0), Placeholder(f"表5 {name} 的预算数")
        else:
            value = row.amount("total")
            amount = self.amount(value)
        basis_text = (note.basis if note else "").strip()
        if basis_text:
            basis: Markup | Placeholder = escape(basis_text)
        else:
            self.need(f"{PROJECT_SHEET}.{name}.依据和主要内容", f"{where}「依据和主要内容」")
            basis = Placeholder(f"{name}的依据和主要内容")
        line = ProjectLine(number, name, amount, value, basis, basis_text.endswith(CLOSED), "none",
                           key=bool(note and note.key))
        if note is not None and note.reason.strip():
            line.reason = escape(note.reason.strip().rstrip("。"))
        if note is None or note.prior is None:
            self.read_optional(f"{PROJECT_SHEET}.{name}.上年预算数")  # not compared, as 003's 区财政安排项目
            return line
        prior = note.prior.amount
        addition = note.addition.amount if note.addition is not None else Decimal(0)
        line.vs_prior = compare(value, prior, self.style)
        line.change = value - (prior - addition)
        if addition:
            line.kind, line.addition = "addition", self.amount(addition)
            line.net = compare(value, prior - addition, self.style)
        elif prior == 0:
            line.kind = "new" if value else "equal"
        else:
            line.kind = "equal" if value == prior else "change"
        return line

    @property
    def projects(self) -> list[ProjectLine]:
        """Every project, numbered in 「项目说明」 order (computed once: `need` records gaps)."""
        cached = self.__dict__.get("_projects")
        if cached is None:
            cached = [self._project(i, note, row) for i, (note, row) in enumerate(self.project_pairs(), 1)]
            self.__dict__["_projects"] = cached
        return cached

    def reasons(self, total: Comparison | None) -> Reasons:
        """第二部分's 主要原因: the projects that moved most in the total's direction, among those
        whose change is explained (a bare number explains nothing), in 「项目说明」 order."""
        if total is None or total.direction == "equal":
            return Reasons(total.direction if total else "equal")
        sign = 1 if total.direction == "up" else -1
        moved = [p for p in self.projects if p.change is not None and p.change * sign > 0]
        explained = [p for p in moved if p.reason]
        chosen = sorted(explained, key=lambda p: -abs(p.change or 0))[: self.reason_count]
        out = Reasons(total.direction)
        for i, p in enumerate(sorted(chosen, key=lambda p: p.number), 1):
            out.items.append(Reason(i, p.name, total.direction, self.amount(abs(p.change or 0)), p.reason))
        if not out.items:
            key = "原因.收支总额"
            self.need(key, f"「{PROJECT_SHEET}」表各项目的「增减原因」：预算收支总额比上年变动的原因")
            out.items.append(Reason(1, "", total.direction, "", Placeholder("预算收支总额变动的主要原因")))
        return out

    @property
    def reason_count(self) -> int:
        """How many projects 第二部分 names (003 names three)."""
        return 3

    # -- 第七部分 -------------------------------------------------------------------------------

    @property
    def key_projects(self) -> dict:
        """重点项目: the flagged projects' amounts (from 表5, never typed) and targets, as a Table."""
        lines = [p for p in self.projects if p.key]
        for p in lines:
            note = next((x for x in self.d.projects if x.name == p.name), None)
            if note is not None and note.target.strip():
                p.target = note.target.strip()
            else:
                self.need(f"{PROJECT_SHEET}.{p.name}.绩效目标", f"「{PROJECT_SHEET}」表「{p.name}」行「绩效目标」")
                p.target = Placeholder(f"{p.name}的绩效目标")
        if lines:
            self.tables[KEY_TABLE_SLOT] = key_table(lines)
        note = self.d.snippets.get("重点项目备注", "").strip()
        return {"slot": KEY_TABLE_SLOT if lines else None, "projects": lines, "note": note or "无"}


def key_table(lines: list[ProjectLine]) -> Table:
    """项目名称 | 预算数（万元） | 绩效目标, one row per 重点项目."""
    head = ((Cell("项目名称", "head"), Cell("预算数（万元）", "head"), Cell("绩效目标", "head")),)
    body = tuple((Cell(p.name, "label"), Cell(str(p.amount), "num"), Cell(str(p.target), "text")) for p in lines)
    widths, size = fit_widths(head, body)
    return Table("yusuan-key-projects", head, body, widths, size=size, keep_last=1)
