"""`reportgen batch`: many units in one run, each built exactly as `reportgen build` builds it.

First every workbook (and every workbook of `--prior-dir`) is identified from its 单位信息 —
unit, year, archive directory — in the workers; two workbooks bound for one directory stop the
batch before anything is built. Then each unit whose archive already records the same inputs
(sha256), options and reportgen version is skipped (`--force` rebuilds), so an interrupted batch
resumes where it stopped; the others are built in parallel. One unit's failure, even a crashed
worker, never stops the others.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .archive import MANIFEST, sha256
from .archive_dir import plain_name, recover_root
from .errors import InputError, Problem
from .executors import Executor, WorkerCrashed

FINAL, DRAFT, REFUSED, UNREADABLE = "正式", "仅草稿", "校验错误", "无法读取"
SKIPPED, INTERNAL = "已跳过(未变)", "内部错误"
PUBLISHED = (FINAL, SKIPPED)  # a skipped unit's archive is a final one
SETTINGS = "单位信息"
LEFTOVER_AGE = 15 * 60  # seconds: a batch's input folder untouched this long belongs to a dead run


@dataclass(frozen=True)
class Options:
    output: str
    formats: tuple[str, ...]
    draft: bool = False
    strict: bool | None = None
    catalog: str | None = None


@dataclass(frozen=True)
class Identity:
    workbook: str
    unit: str = ""
    year: int = 0
    directory: str = ""  # the unit's folder name under the output root
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    workbook: str
    prior: str | None
    options: Options


@dataclass
class UnitResult:
    workbook: str
    unit: str
    year: int
    status: str
    pages: int | None = None
    warnings: int = 0
    seconds: float = 0.0
    directory: str = ""
    messages: list[str] = field(default_factory=list)


def unit_directory(unit: str) -> str:
    """The folder `build()` gives a unit: one function, so collisions are found before building."""
    return plain_name(unit)


# -- in the workers --------------------------------------------------------------------------

def identify(workbook: str) -> Identity:
    """Unit and year from the 单位信息 sheet (the whole workbook only when the sheet lacks them)."""
    from .grid import read_grids
    from .settings import SETTINGS_SHEET, read_settings
    from .sources import Reader, read_workbook

    path = Path(workbook)
    try:
        reader = Reader(path)
        grids = read_grids(path)
        settings, _ = read_settings({g.title: g for g in grids}.get(SETTINGS_SHEET), reader)
        if not settings.unit_name or not settings.year or reader.problems:
            settings = read_workbook(path).settings
    except InputError as exc:
        return Identity(workbook, problems=tuple(str(p) for p in exc.problems))
    except Exception as exc:  # readers raise many types for a damaged file; the type is enough
        damaged = Problem(workbook, "", f"工作簿已损坏，无法读取（{type(exc).__name__}）")
        return Identity(workbook, problems=(str(damaged),))
    return Identity(workbook, settings.unit_name, settings.year, unit_directory(settings.unit_name))


class _Pages:
    """Hears the page count the PDF writer reports (a `Progress` without output)."""

    pages: int | None = None

    def step(self, text: str) -> None:
        pass

    def done(self) -> None:
        pass


def build_unit(task: Task) -> UnitResult:
    """One unit as `reportgen build` builds it; with `--draft`, a unit final mode refuses gets a draft."""
    from .build import build

    start = time.perf_counter()
    o = task.options
    path = Path(task.workbook)
    kwargs = dict(strict=o.strict, catalog=Path(o.catalog) if o.catalog else None,
                  prior=Path(task.prior) if task.prior else None)
    result = UnitResult(task.workbook, "", 0, INTERNAL)
    try:
        pages = _Pages()
        r = build(path, Path(o.output), o.formats, progress=pages, **kwargs)
        status = FINAL
        if r.directory is None:
            result.messages = r.refusals
            status = REFUSED
            if o.draft:
                pages = _Pages()
                r = build(path, Path(o.output), o.formats, draft=True, progress=pages, **kwargs)
                status = DRAFT
        result.unit, result.year = r.disclosure.settings.unit_name, r.disclosure.settings.year
        result.status, result.pages, result.warnings = status, pages.pages, r.report.count("warning")
        result.directory = str(r.directory or "")
    except InputError as exc:
        result.status, result.messages = UNREADABLE, [str(p) for p in exc.problems]
    except Exception as exc:  # reported for this unit only; the batch goes on
        result.messages = [f"内部错误：{type(exc).__name__}: {exc}"]
    result.seconds = round(time.perf_counter() - start, 2)
    return result


# -- in the main process ---------------------------------------------------------------------

def collisions(ids: list[Identity]) -> list[Problem]:
    """One problem per archive directory that two or more workbooks would write."""
    by_dir: dict[tuple[str, int], list[Identity]] = {}
    for i in ids:
        if not i.problems:
            # casefold: on a case-insensitive file system these are one directory too
            by_dir.setdefault((i.directory.casefold(), i.year), []).append(i)
    out = []
    for group in by_dir.values():
        if len(group) > 1:
            first, others = group[0], group[1:]
            names = "、".join(dict.fromkeys(f"「{i.unit}」" for i in group))
            out.append(Problem(first.workbook, SETTINGS, f"与 {'、'.join(i.workbook for i in others)} 的单位名称"
                               f"（{names}）对应同一输出目录 {first.directory}/{first.year}，会互相覆盖；"
                               "请在「单位信息」表中改用不同的单位名称"))
    return out


def inputs_of(task: Task) -> dict[str, str]:
    """role → sha256 of what `build` reads for this task (texts: the .md beside the workbook)."""
    path = Path(task.workbook)
    texts = path.with_suffix(".md")
    roles = {"workbook": path, "prior": task.prior, "catalog": task.options.catalog,
             "texts": texts if texts.exists() else None}
    return {role: sha256(Path(p)) for role, p in roles.items() if p}


def unchanged(task: Task, archive: Path) -> bool:
    """The archive was built by this reportgen version, in final mode, from the same inputs and options,
    and holds every requested format (a build keeps the formats it does not rewrite)."""
    try:
        data = json.loads((archive / MANIFEST).read_text(encoding="utf-8"))
        recorded = {i["role"]: i["sha256"] for i in data["inputs"]}
        return (data.get("reportgen") == __version__ and data.get("mode") == "final"
                and set(task.options.formats) <= set(data.get("formats", ()))
                and data.get("strict") == task.options.strict and recorded == inputs_of(task))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def clean_leftovers(root: Path, now: float | None = None) -> list[str]:
    """What killed runs left: each unit's half-built archives are recovered under its lock (the
    archive's own recovery, which restores an archive moved aside), and batch input folders
    untouched for LEFTOVER_AGE are removed. Returns what was done, one line each."""
    now = now or time.time()
    if not root.is_dir():
        return []
    done = recover_root(root)
    for path in root.glob(".batch-inputs-*"):
        try:
            if path.is_dir() and not path.is_symlink() and now - path.stat().st_mtime > LEFTOVER_AGE:
                shutil.rmtree(path, ignore_errors=True)
                done.append(f"已删除被中断的批量运行留下的 {path}")
        except OSError:
            continue
    return done


@dataclass
class Plan:
    tasks: list[Task]
    results: list[UnitResult]  # units settled without building: unreadable, skipped


def plan(workbooks: list[Path], priors: list[Path], options: Options, executor: Executor, *,
         force: bool = False) -> Plan:
    """Identify every workbook (in the workers); refuse collisions; skip unchanged archives."""
    ids = {i.workbook: i for _, i in executor.run(identify, [str(p) for p in [*workbooks, *priors]])}
    mine = [ids[str(p)] for p in workbooks]
    if problems := collisions(mine):
        raise InputError(problems)
    prior_of = {(i.unit, i.year): i.workbook for p in priors if not (i := ids[str(p)]).problems}
    tasks, results = [], []
    for i in mine:
        if i.problems:
            results.append(UnitResult(i.workbook, "", 0, UNREADABLE, messages=list(i.problems)))
            continue
        task = Task(i.workbook, prior_of.get((i.unit, i.year - 1)), options)
        archive = Path(options.output) / i.directory / str(i.year)
        if not force and unchanged(task, archive):
            results.append(UnitResult(i.workbook, i.unit, i.year, SKIPPED, directory=str(archive)))
        else:
            tasks.append(task)
    return Plan(tasks, results)


def run(tasks: list[Task], executor: Executor, on_result: Callable[[UnitResult], None]) -> Iterator[UnitResult]:
    """Build every task; each outcome (a crash included) becomes that unit's result."""
    for task, outcome in executor.run(build_unit, tasks):
        if isinstance(outcome, UnitResult):
            result = outcome
        elif isinstance(outcome, WorkerCrashed):
            result = UnitResult(task.workbook, "", 0, INTERNAL, messages=[f"内部错误：{outcome}"])
        else:
            result = UnitResult(task.workbook, "", 0, INTERNAL,
                                messages=[f"内部错误：{type(outcome).__name__}: {outcome}"])
        on_result(result)
        yield result


def work_directory(root: Path) -> Path:
    """Where .zip inputs are extracted: inside the output root, which every worker can see."""
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".batch-inputs-{os.getpid()}-", dir=root))
    return path
