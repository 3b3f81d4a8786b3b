"""Print a validation report: plain Chinese grouped by table, or JSON for machines."""

from __future__ import annotations

import json
from pathlib import Path

from .rules import Report

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "尾数"}
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "validate.schema.json"


def text_report(report: Report, *, show_info: bool = True) -> str:
    lines = [f"校验 {report.source}（{'严格模式' if report.strict else '容差模式'}，金额单位：{report.money_unit}）"]
    groups: dict[str, list] = {}
    for f in report.findings:
        if f.severity != "info" or show_info:
            groups.setdefault(f.table, []).append(f)
    order = list(report.groups)
    for table in sorted(groups, key=lambda t: order.index(t) if t in order else len(order)):
        lines.append(f"\n{report.groups.get(table, table)}")
        for f in sorted(groups[table], key=lambda x: ("error", "warning", "info").index(x.severity)):
            cells = "、".join(f.cells[:8]) + ("…" if len(f.cells) > 8 else "")
            lines.append(f"  [{SEVERITY_ZH[f.severity]}] {f.rule} {f.where}：{f.message}")
            lines.append(f"      规则：{report.rules[f.rule].zh}；单元格：{cells or '—'}")
    if report.skipped:
        lines.append("\n未按等式检查的条件规则")
        for s in report.skipped:
            lines.append(f"  {s.rule}（{report.rules[s.rule].zh}）：{s.reason}")
    lines.append(f"\n共检查 {report.checked} 处：错误 {report.count('error')}，警告 {report.count('warning')}，"
                 f"尾数误差 {report.count('info')}，条件规则 {len(report.skipped)} 条未按等式检查。")
    return "\n".join(lines)


def json_report(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2, sort_keys=True)
