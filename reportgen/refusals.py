"""Why a workbook cannot be published yet, grouped by the sheet to fix (the CLI and the web page)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .kinds import Kind, get_kind

if TYPE_CHECKING:
    from .build import BuildResult

NOTHING_FILLED = ("工作簿中的表都还没有填写数据（公开01–09表的金额全部为空或0），没有可校验的勾稽关系。"
                  "填写或粘贴决算数据后再运行 reportgen validate；先看版式可用 reportgen build --draft。")



def refusal_groups(result: BuildResult, kind: Kind | None = None) -> dict[str, list[str]]:
    """Why final mode refused, by the sheet to fix: a finding under the sheet of its first cell
    (else its table), a missing input under the sheet its `where` names."""
    layouts = (kind or get_kind()).layouts
    groups: dict[str, list[str]] = {}
    for f in result.report.errors:
        cells = [c for c in f.cells if c]
        sheet = cells[0].rsplit("!", 1)[0] if cells else layouts[f.table].label if f.table in layouts else \
            result.report.groups.get(f.table, f.table)
        line = f"校验错误 {f.rule} {f.where}：{f.message}" + (f"（{'、'.join(cells[:4])}）" if cells else "")
        groups.setdefault(sheet, []).append(line)
    for m in result.missing:
        found = re.search(r"「([^」]+)」表|(公开\d\d表)", m.where)
        sheet = (found.group(1) or found.group(2)) if found else "其他"
        groups.setdefault(sheet, []).append(f"待补充 {m.key}：{m.where}")
    return groups


def sheet_heading(sheet: str, count: int, groups: tuple[str, ...] = ()) -> str:
    name = sheet if sheet.startswith("公开") or sheet.endswith("表") or sheet in groups \
        else f"「{sheet}」表"
    return f"{name}（{count} 处）"
