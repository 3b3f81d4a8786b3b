"""Section words from the Jinja templates, read into tree blocks (see reportgen.markup).

Templates load through the kind's folder in a sandboxed, autoescaped environment: they are
meant to be edited by finance offices, and workbook text must never become markup.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .errors import InputError
from .markup import MarkupError, blocks, plain_runs
from .model import Settings
from .numbering import Numbering, cn_ordinal, numbering
from .paths import templates_dir
from .profile import Profile, profile_for, user_dirs
from .template_errors import user_template_problem
from .tree import Block, Cell, Figure, Heading, Paragraph, Part, Sheet, Table, Text


def search_path(kind: str = "juesuan", prof: Profile | None = None) -> list[str]:
    """Where templates are looked up, first wins: the unit's own profile folders (--profile-dir,
    profile/ beside the workbook), the profile's folder (<name>/ beside its TOML), the kind's, then
    the writers' own (templates/common: the HTML page and its style, one for every kind)."""
    dirs = list(user_dirs())
    if prof is not None and prof.directory is not None:
        dirs.append(prof.directory / prof.key)
    dirs += [templates_dir() / kind, templates_dir() / "common"]
    return [str(d) for d in dirs]


def environment(kind: str = "juesuan", prof: Profile | None = None) -> SandboxedEnvironment:
    return _environment(tuple(search_path(kind, prof)))


@cache  # compiled templates are kept by the environment: one per search path and process, not per document
def _environment(path: tuple[str, ...]) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(list(path)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def numbering_for(settings: Settings) -> Numbering:
    """The unit's heading numbering: its 标题样式 with its profile's [numbering] changes."""
    return numbering(settings.headings, profile_for(settings).numbering)


def sub_heading(settings: Settings, n: int, text: str) -> str:
    """Third-level heading: （一） in 第一部分 style, 1. in 一、 style, or the profile's own."""
    return numbering_for(settings).label("sub", n) + text


def glossary_label(settings: Settings, n: int) -> str:
    return numbering_for(settings).label("glossary", n)


def narrative_blocks(n: Any, sections: list[tuple[str, str, str]], settings: Settings,
                     kind: str = "juesuan") -> list[Block]:
    """情况说明: the narrative template's markup as blocks; figures become Figure nodes and
    `<table slot>` the narrative's own Table nodes (n.tables, when the kind has any).
    `n` is the kind's narrative (its figures, its profile, what it found missing)."""
    def figure(slot: int) -> Figure:
        f = n.figures[slot]
        return Figure(slot, f.title, f.src, f.png)

    def table(slot: int) -> Table:
        return getattr(n, "tables", {})[slot]

    try:
        text = environment(kind, n.profile).get_template("narrative.html.j2").render(
            n=n, sections=sections, sub=lambda i, t: sub_heading(settings, i, t), cn=cn_ordinal)
        return blocks(text, figure, table)
    except (TemplateError, MarkupError) as exc:
        if problem := user_template_problem(exc):
            raise InputError([problem]) from exc
        raise  # a shipped template's fault is ours: an internal error, not the unit's


def glossary_blocks(n: Any, settings: Settings) -> list[Block]:
    return [Paragraph((Text(f"{glossary_label(settings, i)}{term}："), *plain_runs(text)), "glossary")
            for i, (term, text) in enumerate(n.glossary, 1)]


def review_part(n: Any, findings: list) -> Part:
    """A draft's appendix: every finding and every missing input, with where to fix it.
    Built last, so the narrative has already recorded everything it lacked."""
    top = Heading(1, "附：审核意见", "review")
    out: list[Block] = [top, Paragraph((Text(
        f"本稿为{n.profile.watermark}，不得公开。以下问题修改后，用 reportgen build（不加 --draft）生成正式文档。"),))]
    out.append(Heading(2, f"一、勾稽校验问题（{len(findings)} 条）", "review-1", toc=False))
    rows = [(f.rule, "错误" if f.severity == "error" else "警告", f"{f.where}：{f.message}",
             "、".join(f.cells[:6]) + ("…" if len(f.cells) > 6 else "")) for f in findings]
    out.append(_list_table("review-findings", ("规则", "程度", "问题", "单元格"), rows, (9, 7, 54, 30))
               if rows else Paragraph((Text("无。"),)))
    missing = n.missing
    out.append(Heading(2, f"二、待补充的内容（{len(missing)} 项）", "review-2", toc=False))
    out.append(_list_table("review-missing", ("内容", "在哪里填写"), [(m.key, m.where) for m in missing],
                           (35, 65)) if missing else Paragraph((Text("无。"),)))
    return Part("review", top, (Sheet(tuple(out)),), "review")


def _list_table(tid: str, head: tuple[str, ...], rows: list[tuple[str, ...]],
                widths: tuple[float, ...]) -> Table:
    return Table(tid, (tuple(Cell(h, "head") for h in head),),
                 tuple(tuple(Cell(c, "text") for c in r) for r in rows), widths, keep_last=1)
