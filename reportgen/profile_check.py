"""`reportgen profile new | check`: start a unit's own profile folder, and check one.

A finance office edits TOML and Jinja templates by hand; the checker names every unknown key,
unknown section and template error with its file and line, before a build trips over it.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import fields
from pathlib import Path

from jinja2 import TemplateSyntaxError

from .errors import Problem
from .model import Settings
from .numbering import KEYS as NUMBERING_KEYS
from .performance.forms import layouts_for
from .performance.rules import rules_from
from .profile import Budget, Numbers, Profile, Sentences, Words, profiles
from .sections import environment

TABLES = {"settings": {f.name for f in fields(Settings)}, "numbers": {f.name for f in fields(Numbers)},
          "words": {f.name for f in fields(Words)}, "budget": {f.name for f in fields(Budget)},
          "sentences": {f.name for f in fields(Sentences)}, "numbering": NUMBERING_KEYS,
          "narrative": {"charts", "zero_lines", "glossary_subjects", "watermark", "vehicles"}}
LISTS = {"glossary": {"term", "text"}, "sections": {"key", "heading"}, "parts": {"part", "heading"}}
PARTS = {"overview", "tables", "narrative", "glossary", "attachments"}
TOP = {"name", "description", "performance", *TABLES, *LISTS}  # [performance]: 绩效 scoring rules


def line_of(text: str, pattern: str) -> int:
    """The first line a key appears on (1 when it cannot be found)."""
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[*\s*{re.escape(pattern)}\b", line):
            return i
    return 1


def check_toml(path: Path, sections: set[str]) -> list[Problem]:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [Problem(str(path), "", f"TOML 格式错误：{exc}")]
    out = []
    if "name" not in data:
        out.append(Problem(str(path), "第1行", "缺少 name（样式名，如 name = \"某某区\"）"))
    for key, value in data.items():
        if key not in TOP:
            out.append(Problem(str(path), f"第{line_of(text, key)}行",
                               f"未知的键「{key}」；可用：{'、'.join(sorted(TOP))}"))
        elif key == "performance":
            try:
                layouts_for(rules_from(value))
            except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
                out.append(Problem(str(path), f"第{line_of(text, key)}行", f"[performance] 有误（{exc}）"))
        elif key in TABLES:
            for k in value if isinstance(value, dict) else ():
                if k not in TABLES[key]:
                    out.append(Problem(str(path), f"第{line_of(text, k)}行",
                                       f"[{key}] 中未知的键「{k}」；可用：{'、'.join(sorted(TABLES[key]))}"))
        elif key in LISTS:
            for item in value if isinstance(value, list) else ():
                for k in set(item) - LISTS[key]:
                    out.append(Problem(str(path), f"第{line_of(text, k)}行", f"[[{key}]] 中未知的键「{k}」"))
                if key == "parts" and item.get("part") not in PARTS:
                    where = line_of(text, f'part = "{item.get("part")}')
                    out.append(Problem(str(path), f"第{where}行",
                                       f"未知的部分类型「{item.get('part')}」；可用：{'、'.join(sorted(PARTS))}"))
                if key == "sections" and item.get("key") not in sections:
                    where = line_of(text, f'key = "{item.get("key")}')
                    out.append(Problem(str(path), f"第{where}行",
                                       f"未知的部分「{item.get('key')}」；可用：{'、'.join(sorted(sections))}"))
    return out


def check_templates(folder: Path, sections: set[str]) -> list[Problem]:
    env = environment()
    out = []
    for path in sorted(folder.rglob("*.j2")):
        if path.parent.name == "sections" and path.name.removesuffix(".html.j2") not in sections:
            out.append(Problem(str(path), "", f"没有名为「{path.name.removesuffix('.html.j2')}」的部分；"
                               f"可用：{'、'.join(sorted(sections))}"))
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except TemplateSyntaxError as exc:
            out.append(Problem(str(path), f"第{exc.lineno}行", f"模板错误：{exc.message}"))
    return out


def check_folder(folder: Path, sections: set[str]) -> tuple[list[Problem], int, int]:
    """(problems, profiles, templates) of a unit's profile folder."""
    tomls = sorted(folder.glob("*.toml"))
    problems = [p for path in tomls for p in check_toml(path, sections)]
    problems += check_templates(folder, sections)
    return problems, len(tomls), len(list(folder.rglob("*.j2")))


def new_profile(name: str, source: Profile, folder: Path, key: str) -> Path:
    """Copy `source` (its TOML and its template folder) into `folder` as profile `name`."""
    assert source.directory is not None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{key}.toml"
    text = (source.directory / f"{source.key}.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^name = ".*"$', f'name = "{name}"', text, count=1)
    target.write_text(f"# 由样式「{source.name}」复制；改动后用 reportgen profile check {folder} 检查。\n" + text,
                      encoding="utf-8")
    own = source.directory / source.key
    if own.is_dir():
        shutil.copytree(own, folder / key, dirs_exist_ok=True)
    return target


def known(name: str) -> Profile | None:
    return profiles().get(name)
