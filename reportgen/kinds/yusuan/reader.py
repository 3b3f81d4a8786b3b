"""Read a 部门预算 workbook (reportgen/kinds/yusuan/workbook.py writes its layout) into a Budget.

Tables are found by sheet name (表N) or by their title on any sheet; the 单位信息 and 文字 sheets are
shared with the 决算; 项目说明 and 预算情况 carry what only the 文字部分 uses. Every problem is
collected, named by its cell, and raised together as one InputError.
"""

from __future__ import annotations

from pathlib import Path

from ... import limits
from ... import profile as profiles
from ...catalog import Catalog, load_catalog
from ...errors import InputError, Problem
from ...grid import Grid, clean, read_grids
from ...limits import AMOUNT_RANGE
from ...model import Value
from ...money import normalise_text, parse_amount
from ...settings import SETTINGS_SHEET, SNIPPETS_SHEET, read_settings, read_snippets
from ...workbook_files import SAVE_AS
from .inputs import FACT_KEYS, FACT_SHEET, PROJECT_COLUMNS, PROJECT_SHEET, TEXT_FACTS
from .layouts import TABLES
from .model import Budget, BudgetTable, ProjectNote
from .reader_tables import Region, TableReaders, cell_text, locate
from .sheets import year_label

KIND_WORD = "预算"
# 表1/表6 find a blank 科目编码 by name in these (read first).
SUBJECT_TABLES = ("t07", "t09", "t10")
_YES = {"是": True, "否": False, "": False}


class BudgetReader(TableReaders):
    def __init__(self, path: Path):
        self.path = path
        self.file = str(path)
        self.problems: list[Problem] = []
        self.dropped = 0
        self.year = 0
        self.unit_name = ""
        self._catalog: Catalog | None = None

    def problem(self, where: str, message: str) -> None:
        # Capped: a hostile workbook must not print a million lines.
        if len(self.problems) < limits.PROBLEMS.value:
            self.problems.append(Problem(self.file, where, message))
        else:
            self.dropped += 1

    def catalog(self) -> Catalog | None:
        if self._catalog is None:
            try:
                self._catalog = load_catalog(self.year or 2020)
            except InputError:  # the shipped catalog is ours; a failure here is not the user's
                return None
        return self._catalog

    def grids(self) -> list[Grid]:
        try:
            return read_grids(self.path)
        except InputError:
            raise
        except Exception as exc:  # openpyxl, xlrd and lxml raise many types for a damaged file
            # Only the exception's type: its text can quote the file's bytes into the terminal.
            raise InputError([Problem(self.file, "", f"工作簿已损坏，无法读取（{type(exc).__name__}）。"
                                      f"{SAVE_AS}")]) from exc

    def read(self) -> Budget:
        grids = self.grids()
        by_title = {g.title: g for g in grids}
        _activate()  # 「样式」 is checked against this kind's profiles
        settings, explicit = read_settings(by_title.get(SETTINGS_SHEET), self)
        if "kind" in explicit and settings.kind != KIND_WORD:
            self.problem(SETTINGS_SHEET, f"「文档类型」读到「{settings.kind}」，"
                         f"应为{KIND_WORD}（这是部门预算的工作簿）")
        settings.kind = KIND_WORD
        if not self.problems and _has_profile(settings.profile):
            profiles.apply_profile(settings, explicit)
        self.year, self.unit_name = settings.year, settings.unit_name
        snippets = read_snippets(by_title.get(SNIPPETS_SHEET), self)
        lines: dict[str, str] = {}
        tables = self.read_tables(grids, lines)
        settings.competent = settings.competent or lines.get("主管部门", "")
        if not settings.unit_name:
            settings.unit_name = self.unit_from_tables(grids)
        if not settings.unit_name:
            self.problem(SETTINGS_SHEET, "单位名称为空，应在「单位信息」表填写「单位名称」")
        if not settings.year and not any(p.message.startswith("年度应为") for p in self.problems):
            self.problem(SETTINGS_SHEET, "年度为空，应在「单位信息」表填写「年度」（如 2022）")
        projects = self.read_projects(by_title.get(PROJECT_SHEET), tables.get("t05"))
        fact_texts: dict[str, str] = {}
        facts = self.read_facts(by_title.get(FACT_SHEET), fact_texts)
        if self.dropped:
            self.problems.append(Problem(self.file, "", f"另有 {self.dropped} 处问题未列出（{limits.PROBLEMS}）"))
        if self.problems:
            raise InputError(self.problems)
        return Budget(settings, dict(tables), snippets, self.file, projects=projects, facts=facts,
                      fact_texts=fact_texts)

    # -- tables ----------------------------------------------------------------------------------

    def find(self, grids: list[Grid], tid: str) -> Grid | None:
        """The sheet named 表N, else the one sheet showing the table's title."""
        layout = TABLES[tid]
        named = [g for g in grids if clean(g.title) == layout.label]
        if named:
            return named[0]
        title = clean(year_label(layout.title, self.year))
        for g in grids:
            if clean(g.title) in (SETTINGS_SHEET, SNIPPETS_SHEET, PROJECT_SHEET, FACT_SHEET):
                continue
            if any(text == title for r in range(1, min(g.nrows, 10) + 1) for _, text in g.row_texts(r)):
                return g
        return None

    def read_tables(self, grids: list[Grid], lines: dict[str, str]) -> dict[str, BudgetTable]:
        regions: dict[str, Region] = {}
        for tid, layout in TABLES.items():
            g = self.find(grids, tid)
            if g is None:
                self.problem("", f"没有{layout.label}（{layout.title}），应有名为「{layout.label}」的工作表")
                continue
            reg = locate(g, tid, self.year)
            if reg is None:
                first = year_label(layout.columns[0].label, self.year) if layout.shape != "paired" else "收入"
                self.problem(g.title, f"{layout.label}没有表头，应有一行表头以「{first}」开始")
                continue
            regions[tid] = reg
        tables: dict[str, BudgetTable] = {}
        for tid in (*SUBJECT_TABLES, *(t for t in TABLES if t not in SUBJECT_TABLES)):
            reg = regions.get(tid)
            if reg is None:
                continue
            shape = TABLES[tid].shape
            if shape == "paired":
                subjects: dict[str, list[str]] = {}
                for s in SUBJECT_TABLES:
                    for row in tables[s].rows if s in tables else []:
                        if row.code:
                            subjects.setdefault(clean(row.label), []).append(row.code)
                tables[tid] = self.read_paired(tid, reg, subjects)
            elif shape == "tasks":
                tables[tid] = self.read_tasks(reg, lines)
            else:
                tables[tid] = self.read_rows(tid, reg)
        if "t05" in tables and "t11" in tables:
            link_tasks(tables["t05"], tables["t11"])
        return {tid: tables[tid] for tid in TABLES if tid in tables}

    def unit_from_tables(self, grids: list[Grid]) -> str:
        """The unit's name from a 「部门名称：…」 line when 单位信息 leaves it out."""
        for g in grids:
            for r in range(1, min(g.nrows, 5) + 1):
                for _, text in g.row_texts(r):
                    if text.startswith("部门名称：") and len(text) > 5:
                        return text.removeprefix("部门名称：")
        return ""

    # -- 项目说明 and 预算情况 -----------------------------------------------------------------------

    def read_projects(self, g: Grid | None, t05: BudgetTable | None) -> list[ProjectNote]:
        if g is None:
            return []
        head = next(((r, c) for r in range(1, min(g.nrows, 10) + 1) for c, t in g.row_texts(r)
                     if t == clean(PROJECT_COLUMNS[0])), None)
        if head is None:
            self.problem(g.title, f"项目说明没有表头，应有一行表头：{'、'.join(PROJECT_COLUMNS)}")
            return []
        hr = head[0]
        cols = {t: c for c, t in g.row_texts(hr)}
        missing = [name for name in PROJECT_COLUMNS if clean(name) not in cols]
        if missing:
            self.problem(g.ref(hr, head[1]), f"项目说明表头缺少「{'、'.join(missing)}」，"
                         f"应有列：{'、'.join(PROJECT_COLUMNS)}")
            return []
        col = [cols[clean(name)] for name in PROJECT_COLUMNS]
        in_t05 = {clean(r.label) for r in (t05.rows if t05 else []) if r.key != "total"}
        seen: dict[str, str] = {}
        out: list[ProjectNote] = []
        for r in range(hr + 1, g.nrows + 1):
            if not any(g.text(r, c) for c in col):
                continue
            name, ref = cell_text(g, r, col[0]), g.ref(r, col[0])
            if not name:
                self.problem(ref, "项目名称为空，应填写与表5「支出项目类别」一致的项目名称")
                continue
            if clean(name) in seen:
                self.problem(ref, f"项目「{name[:40]}」重复（另见 {seen[clean(name)]}），应每个项目一行")
                continue
            seen[clean(name)] = ref
            if t05 is not None and clean(name) not in in_t05:
                self.problem(ref, f"项目「{name[:40]}」不在表5中，应与表5「支出项目类别」中的名称一致")
            key = clean(g.value(r, col[6]))
            if key not in _YES:
                self.problem(g.ref(r, col[6]), f"重点项目读到「{key[:20]}」，应为「是」或留空")
            out.append(ProjectNote(name, self.amount(g, r, col[1]), self.amount(g, r, col[2]),
                                   cell_text(g, r, col[3]), cell_text(g, r, col[4]), cell_text(g, r, col[5]),
                                   _YES.get(key, False), ref))
        return out

    def read_facts(self, g: Grid | None, texts: dict[str, str]) -> dict[str, Value]:
        facts: dict[str, Value] = {}
        if g is None:
            return facts
        numbers = {clean(k): k for k, _, _ in FACT_KEYS}
        words = {clean(k): k for k, _ in TEXT_FACTS}
        for r in range(1, g.nrows + 1):
            label = g.text(r, 1)
            if not label or label == "项目":
                continue
            raw, ref = g.value(r, 2), g.ref(r, 2)
            if label in words:
                if text := cell_text(g, r, 2):
                    texts[words[label]] = text
            elif label in numbers:
                if not g.text(r, 2):
                    continue
                value = parse_amount(raw)
                if value is None:
                    self.problem(ref, f"「{numbers[label]}」读到「{normalise_text(str(raw))[:40]}」，"
                                 f"应为数字（{AMOUNT_RANGE}），没有则留空")
                else:
                    facts[numbers[label]] = Value(value, ref)
            else:
                known = "、".join(f"「{k}」" for k in [k for k, _, _ in FACT_KEYS] + [k for k, _ in TEXT_FACTS])
                self.problem(g.ref(r, 1), f"项目读到「{cell_text(g, r, 1)[:40]}」，应为{known}之一")
        return facts


def _has_profile(name: str) -> bool:
    """Whether the profile (or, unnamed, the default) is on the active search path."""
    try:
        return (name or profiles.default_profile()) in profiles.profiles()
    except InputError:
        return False


def _activate() -> None:
    """The 预算 kind's profiles (a process may have read a 决算 first)."""
    from .. import ensure

    ensure("yusuan")


def link_tasks(t05: BudgetTable, t11: BudgetTable) -> None:
    """表11 tasks named as a 表5 project (after （）/() are made alike) get its key."""
    by_name = {clean(r.label): r.key for r in t05.rows if r.key != "total"}
    for row in t11.rows:
        row.project = by_name.get(clean(row.label), "")


def read_budget(path: Path | str, prior: Path | str | None = None) -> Budget:
    """Read a 部门预算 workbook. With `prior` (last year's), projects' 上年预算数 and 上年预算收支总额
    the workbook leaves blank come from that year's 表5 and 表1."""
    d = BudgetReader(Path(path)).read()
    if prior is not None:
        before = BudgetReader(Path(prior)).read()
        fill_from_prior(d, before)
    return d


def fill_from_prior(d: Budget, before: Budget) -> None:
    t01, t05 = before.tables.get("t01"), before.tables.get("t05")
    if t01 is not None and "上年预算收支总额" not in d.facts:
        row = t01.row("grand_total", "income")
        if row is not None and row.values.get("amount") is not None:
            d.facts["上年预算收支总额"] = row.values["amount"]  # type: ignore[assignment]
    if t05 is not None:
        totals = {clean(r.label): r.values.get("total") for r in t05.rows if r.key != "total"}
        for p in d.projects:
            if p.prior is None:
                p.prior = totals.get(clean(p.name))
