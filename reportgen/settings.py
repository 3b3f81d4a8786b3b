"""The 单位信息 (unit settings) and 文字 (narrative snippets) sheets.

Both are two-column key | value sheets, so a finance office can fill them by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from .grid import Grid, clean
from .model import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

SETTINGS_SHEET = "单位信息"
SNIPPETS_SHEET = "文字"


class Reports(Protocol):
    def problem(self, where: str, message: str) -> None: ...


@dataclass(frozen=True)
class Setting:
    key: str  # the label in column A
    attr: str  # Settings attribute
    choices: dict[str, object] | None  # accepted text → value; None for free text
    help: str


_YEAR = re.compile(r"^(\d{4})(?:年度?)?$", re.ASCII)  # ASCII: "²⁰²⁰".isdigit() is True
_DATE = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月|[-/.])(\d{1,2})日?$", re.ASCII)


def _year(raw: object) -> int | None:
    """A whole year 1990–2100 from a number or text like 2021, 2021年, 2021年度; 2020.7 is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        year = raw
    elif m := _YEAR.match(clean(raw)):
        year = int(m.group(1))
    else:
        return None
    return year if 1990 <= year <= 2100 else None


def _published(raw: object) -> tuple[str | None, str]:
    """公开时间 as 2021年8月30日 from a date cell or text; else (None, what is wrong)."""
    if isinstance(raw, datetime | date):
        return f"{raw.year}年{raw.month}月{raw.day}日", ""
    m = _DATE.match(clean(raw))
    if not m:
        return None, "应为日期（如 2021年8月30日）"
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None, "这一天不存在，应为日历上的日期（如 2021年8月30日）"
    return f"{day.year}年{day.month}月{day.day}日", ""


SETTINGS: tuple[Setting, ...] = (
    Setting("单位名称", "unit_name", None, "公开的单位全称，如 某某局（本级）"),
    Setting("年度", "year", None, "决算或预算的年度，如 2021"),
    Setting("文档类型", "kind", {"决算": "决算", "预算": "预算"}, "决算 或 预算（同一张「单位信息」表，两类文档共用）"),
    Setting("称谓", "who", {"部门": "部门", "单位": "单位"}, "部门 或 单位：决定「部门决算」「本表反映单位…」等用词"),
    Setting("零值显示", "zero", {"空白": "blank", "0.00": "0.00", "0": "0.00"},
            "表中为零的金额显示为 空白 或 0.00"),
    Setting("金额单位", "money_unit", {"万元": "万元", "元": "元"},
            "本工作簿金额的单位：万元 或 元（元 在出表时换算为万元）"),
    Setting("标题样式", "headings", {"一、": "一、", "第一部分": "第一部分"},
            "正文大标题编号：一、 或 第一部分"),
    Setting("表注", "table_notes", {"显示": True, "不显示": False}, "表下「注：本表反映…」：显示 或 不显示"),
    Setting("公务用车运行费名称", "car_running_label",
            {"公务用车运行费": "公务用车运行费", "公务用车运行维护费": "公务用车运行维护费"},
            "公开07表的列名：公务用车运行费 或 公务用车运行维护费"),
    Setting("三公预算口径", "sangong_basis",
            {"年初预算数": "年初预算数", "全年预算数": "全年预算数"},
            "“三公”经费预算数的口径：年初预算数 或 全年预算数（按规定程序调整后）；"
            "公开07表的注和情况说明的完成率都按此口径"),
    Setting("公开09首列名称", "t09_total_label", {"合计": "合计", "小计": "小计"},
            "公开09表本年支出第一列：合计 或 小计"),
    Setting("非财政拨款资金", "nonfiscal", {"自动": "自动", "有": "有", "无": "无"},
            "是否有事业收入等非财政拨款资金（含以前年度结转）：自动（按表中数据判断）、有 或 无"),
    Setting("主管部门", "competent", None, "主管部门名称，如 某某市医疗保障局（预算表11等用）"),
    Setting("公开时间", "published", None, "公开日期，如 2021年8月30日：印在封面，并作为文件元数据日期；不填则不印"),
    Setting("样式", "profile", None,
            "文档样式（reportgen/kinds/juesuan/profiles 或工作簿旁的 profile/ 文件夹）；"
            "样式给出以上各项的默认值，本表填写的项优先"),
)


def _settings_values(settings: Settings) -> dict[str, str]:
    """The text each setting shows in the sheet (inverse of the choices)."""
    out: dict[str, str] = {}
    for s in SETTINGS:
        value = getattr(settings, s.attr)
        if s.choices is None:
            out[s.key] = str(value) if value else ""
        else:
            out[s.key] = next(k for k, v in s.choices.items() if v == value)
    return out


def settings_rows(settings: Settings, only: set[str] | None = None) -> list[tuple[str, str, str]]:
    """(key, value, help) rows for writing the sheet; with `only`, other values are left blank
    so that the profile supplies them."""
    values = _settings_values(settings)
    return [(s.key, values[s.key] if only is None or s.attr in only else "", s.help) for s in SETTINGS]


def _key_value_rows(grid: Grid) -> list[tuple[int, str, int, object]]:
    """(row, key, value column, raw value) for each row whose first cell is text."""
    out = []
    for r in range(1, grid.nrows + 1):
        texts = grid.row_texts(r)
        if not texts:
            continue
        c, key = texts[0]
        out.append((r, key, c + 1, grid.value(r, c + 1)))
    return out


def read_settings(grid: Grid | None, reporter: Reports) -> tuple[Settings, set[str]]:
    """The settings and the names of those the sheet gave explicitly."""
    settings = Settings()
    explicit: set[str] = set()
    if grid is None:
        return settings, explicit
    by_key = {clean(s.key): s for s in SETTINGS}
    for r, key, vc, raw in _key_value_rows(grid):
        spec = by_key.get(key)
        if spec is None:
            continue
        text = clean(raw)
        if not text:
            continue
        ref = grid.ref(r, vc)
        explicit.add(spec.attr)
        if spec.attr == "profile":
            from .profile import profiles

            known = profiles()
            if text not in known:
                names = " / ".join(sorted({p.name for p in known.values()}))
                reporter.problem(ref, f"「样式」应为 {names}，读到「{text}」")
            else:
                settings.profile = known[text].name
        elif spec.attr == "year":
            year = _year(raw)
            if year is None:
                reporter.problem(ref, f"年度应为四位年份（如 2021），读到「{text[:40]}」")
            else:
                settings.year = year
        elif spec.attr == "published":
            day, wrong = _published(raw)
            if day is None:
                reporter.problem(ref, f"公开时间读到「{text[:40]}」，{wrong}")
            else:
                settings.published = day
        elif spec.choices is None:
            setattr(settings, spec.attr, str(raw).strip())
        elif text in spec.choices:
            setattr(settings, spec.attr, spec.choices[text])
        else:
            allowed = " / ".join(spec.choices)
            reporter.problem(ref, f"「{spec.key}」应为 {allowed}，读到「{text}」")
    return settings, explicit


# Snippet keys the document uses now; issue-specific keys join this list as sections arrive.
SNIPPETS: tuple[tuple[str, str], ...] = (
    ("职责", "单位（部门）职责，每段一行"),
    ("机构设置", "机构设置或决算单位构成"),
)


def read_snippets(grid: Grid | None, reporter: Reports,
                  normalise: Callable[[str], str] = str.strip) -> dict[str, str]:
    snippets: dict[str, str] = {}
    if grid is None:
        return snippets
    for _r, key, _vc, raw in _key_value_rows(grid):
        if key in ("键", "项目") or raw is None:
            continue
        text = normalise(str(raw))
        if text:
            snippets[key] = text
    return snippets
