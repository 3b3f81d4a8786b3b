"""The year-keyed 科目 catalog: 功能分类 (code, level, name, 说明) and 经济分类 (code, name).

Shipped as reportgen/catalogs/functional-<year>.csv; the 经济分类 list is the 公开06 layout
itself. A unit adds or corrects entries with its own CSV (columns code,name,note).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .grid import control_character
from .kinds.juesuan.layouts import ECONOMIC_2020, classes_for
from .limits import TEXT_FILE_BYTES
from .workbook_files import read_input

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"
LEVELS = {3: "类", 5: "款", 7: "项"}
_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$", re.ASCII)


@dataclass(frozen=True)
class Subject:
    code: str
    name: str
    note: str = ""

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]


@dataclass
class Catalog:
    year: int
    functional: dict[str, Subject]
    economic: dict[str, Subject]

    def functional_path(self, code: str) -> list[Subject]:
        """类, 款, 项 entries from the top down to `code` (those the catalog knows)."""
        return [self.functional[c] for c in (code[:3], code[:5], code[:7])[: len(code) // 2]
                if c in self.functional]


def _is_chinese_text(text: str) -> bool:
    """Whether every non-ASCII character is a CJK ideograph or CJK/full-width punctuation.

    Bytes that are not UTF-8 almost always still decode as GB18030, into rare symbols; a real
    GB18030 catalog decodes into common Chinese, which this tells apart.
    """
    return all(ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—·" for ch in text)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), or GB18030 as Excel/WPS save CSV on Chinese Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _is_chinese_text(text):
        return text
    raise InputError([Problem(source, "", "科目目录不是 UTF-8 或 GB18030 编码的文本：请在 Excel/WPS 中"
                              "另存为「CSV UTF-8（逗号分隔）」后再试")])


def _read_csv(path: Path, source: str) -> dict[str, Subject]:
    out: dict[str, Subject] = {}
    text = _decode(read_input(path, TEXT_FILE_BYTES, "科目目录"), source)
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError([Problem(source, "", f"科目目录不是有效的 CSV（{exc}）")]) from None
    for i, row in enumerate(rows, 2):
        code = (row.get("code") or row.get("编码") or "").strip()
        name = (row.get("name") or row.get("名称") or "").strip()
        note = (row.get("note") or row.get("说明") or "").strip()
        if not _CODE.match(code) or not name:
            raise InputError([Problem(source, f"第{i}行",
                                      f"科目目录行应为 编码(3/5/7位数字),名称,说明，读到「{code[:20]},{name[:40]}」")])
        if (bad := control_character(name + note)) is not None:
            raise InputError([Problem(source, f"第{i}行", f"含控制字符 {bad}，应为普通文字；请删除该字符后保存")])
        out[code] = Subject(code, name, note)
    return out


def load_catalog(year: int, extra: Path | None = None) -> Catalog:
    """The shipped catalog for `year` (nearest earlier year), plus a unit's own entries."""
    shipped = sorted(CATALOG_DIR.glob("functional-*.csv"))
    years = [int(p.stem.split("-")[1]) for p in shipped]
    best = max([y for y in years if y <= year], default=min(years))
    functional = _read_csv(CATALOG_DIR / f"functional-{best}.csv", f"functional-{best}.csv")
    for code, name in classes_for(year):
        functional.setdefault(code, Subject(code, name))
    economic = {code: Subject(code, name) for group in ECONOMIC_2020 for code, name in group}
    if extra is not None:
        for code, subject in _read_csv(extra, str(extra)).items():
            # 经济分类 codes start with 3 (301, 30101…); 功能分类 ones with 2.
            (economic if code.startswith("3") else functional)[code] = subject
    return Catalog(year, functional, economic)
