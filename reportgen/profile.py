"""Profiles: the ways localities differ, as data (reportgen/kinds/<kind>/profiles/*.toml).

A profile gives defaults for the 单位信息 settings (a unit's own sheet overrides them), the
number style of the narrative, the words for comparisons, the budget basis of completion rates,
which charts appear and the generic 名词解释 entries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

from .errors import InputError, Problem
from .model import Settings
from .numbering import numbering

# The folders profiles are read from, first wins: a unit's own folder, then the kind's.
# Set by reportgen.kinds.get_kind (the kind is chosen before any workbook is read).
_search: list[Path] = []
_default: list[str] = [""]


def activate(dirs: Sequence[Path], default: str) -> None:
    """Use these profile folders (first wins) and this default profile from now on."""
    _search[:] = list(dirs)
    _default[0] = default


def user_dirs() -> list[Path]:
    """The unit's own profile folders: every active folder but the kind's (always last)."""
    return _search[:-1]


def kind_dir() -> Path | None:
    """The kind's own profile folder (last on the active path), None before a kind is chosen."""
    return _search[-1] if _search else None


def active() -> bool:
    return bool(_search)


def default_profile() -> str:
    return _default[0]


@dataclass(frozen=True)
class Words:
    increase: str = "增加"
    growth: str = "增长"
    decrease: str = "减少"
    decline: str = "下降"
    equal: str = "相同"
    base_zero: str = ""  # text printed instead of a rate when the base is 0; "" prints none
    list_tail: str = ""
    rise_rate: str = "增幅"  # a 预算 project's rate words: 增加 X 万元，增幅 Y%
    fall_rate: str = "减幅"


@dataclass(frozen=True)
class Numbers:
    percent_places: int = 2
    strip_zeros: bool = True
    separators: bool = True
    balance_shares: bool = False


@dataclass(frozen=True)
class Sentences:
    """Sentence variants a region chooses; they combine with any [numbers] style."""

    line_comparisons: bool = True  # 收入/支出 lines each compared with last year
    budget_comparison: str = "completion"  # against a budget: "完成年初预算的 r%" | growth: "比年初预算增长 r%"
    sangong_shares: str = "chart"  # the 三公 share sentence: with chart 7 | always | never

    def __post_init__(self) -> None:
        for name, allowed in (("budget_comparison", ("completion", "growth")),
                              ("sangong_shares", ("chart", "always", "never"))):
            if getattr(self, name) not in allowed:
                raise ValueError(f"[sentences] {name} 应为 {' | '.join(allowed)}，读到 {getattr(self, name)!r}")


@dataclass(frozen=True)
class Budget:
    gpb_basis: str = "年初预算数"  # 年初预算数 | 调整预算数 | 全年预算数 (三公: Settings.sangong_basis)
    admin_cost_base: str = "上年"  # 上年 | 年初预算


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    description: str
    settings: dict
    numbers: Numbers
    words: Words
    budget: Budget
    charts: tuple[int, ...]
    zero_lines: bool
    glossary_subjects: str  # 项 | 类
    glossary: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    watermark: str = "草稿"  # printed across every page of a draft
    empty_table: str = "本表无数据。"  # under a table that has no data rows (空表说明)
    vehicles: tuple[str, ...] = ("领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车",
                                 "离退休干部用车", "其他用车")  # the 国有资产 sentence's vehicle classes
    parts: tuple[tuple[str, str], ...] = ()  # the document's parts (kind of part, heading); () takes the kind's
    sections: tuple[tuple[str, str], ...] = ()  # 情况说明 (key, heading) in order; () takes the kind's
    directory: Path | None = None  # the folder the profile came from (its template overrides)
    sentences: Sentences = field(default_factory=Sentences)
    numbering: dict = field(default_factory=dict)  # changes to the heading numbering style (numbering.toml)
    performance: dict = field(default_factory=dict)  # the [performance] table (reportgen.performance.rules)


def narrative_defaults(data: dict) -> dict:
    """The [narrative] table's values, with the code's defaults for those it leaves out."""
    n = data.get("narrative", {})
    return {"charts": tuple(n.get("charts", ())),
            "zero_lines": n.get("zero_lines", False), "glossary_subjects": n.get("glossary_subjects", "项"),
            "watermark": n.get("watermark", "草稿"),
            **({"vehicles": tuple(n["vehicles"])} if "vehicles" in n else {})}


def checked_numbering(changes: dict) -> dict:
    """A profile's [numbering] changes, refused (ValueError) when a key is unknown."""
    numbering("一、", changes)
    return dict(changes)


def _load(path: Path) -> Profile:
    """The profile in `path`, parsed once per version of the file: a document asks for its
    profile at every heading, and re-reading every TOML each time cost a build 0.4 s."""
    info = path.stat()
    return _parse(path, info.st_mtime_ns, info.st_size)


@cache
def _parse(path: Path, mtime_ns: int, size: int) -> Profile:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Profile(
        key=path.stem,
        name=data["name"],
        description=data.get("description", ""),
        settings=data.get("settings", {}),
        numbers=Numbers(**data.get("numbers", {})),
        words=Words(**data.get("words", {})),
        budget=Budget(**data.get("budget", {})),
        sentences=Sentences(**data.get("sentences", {})),
        numbering=checked_numbering(data.get("numbering", {})),
        performance=data.get("performance", {}),
        glossary=tuple((g["term"], g["text"]) for g in data.get("glossary", ())),
        sections=tuple((x["key"], x["heading"]) for x in data.get("sections", ())),
        parts=tuple((x["part"], x["heading"]) for x in data.get("parts", ())),
        directory=path.parent,
        **narrative_defaults(data),
    )


def profiles(dirs: Sequence[Path] | None = None) -> dict[str, Profile]:
    """Every profile on the search path by its Chinese name (and by file stem); first wins."""
    out: dict[str, Profile] = {}
    for folder in reversed(list(_search if dirs is None else dirs)):
        for path in sorted(folder.glob("*.toml")):
            try:
                p = _load(path)
            except (tomllib.TOMLDecodeError, TypeError, KeyError, ValueError) as exc:
                raise InputError([Problem(str(path), "", f"样式文件有误（{exc}）；"
                                          f"用 reportgen profile check {folder} 查看每处问题与行号")]) from exc
            out[p.name] = p
            out[p.key] = p
    return out


def profile_for(settings: Settings) -> Profile:
    return profiles()[settings.profile or default_profile()]


def apply_profile(settings: Settings, explicit: set[str]) -> None:
    """Fill every setting the unit did not give from its profile."""
    prof = profile_for(settings)
    names = {f.name for f in fields(Settings)}
    for key, value in prof.settings.items():
        if key in names and key not in explicit:
            setattr(settings, key, value)
