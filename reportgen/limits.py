"""Bounds on what an input file may hold, each with the Chinese words a refusal prints.

A real 决算 workbook is a few hundred rows on a few dozen sheets, well under 1 MB. The limits
sit far above that and far below what would exhaust memory or time, so a damaged or hostile
file is refused up front with the limit named instead of hanging a finance office's machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Limit:
    value: int
    what: str  # the limit in words, e.g. "每张工作表最多 5000 行"

    def __str__(self) -> str:
        return self.what


FILE_BYTES = Limit(50 * 1024 * 1024, "文件最大 50 MB")
# xlrd reads a whole .xls sheet before its size can be known; real exports are well under 2 MB.
XLS_BYTES = Limit(10 * 1024 * 1024, ".xls 文件最大 10 MB")
TEXT_FILE_BYTES = Limit(5 * 1024 * 1024, "文字说明、科目目录文件最大 5 MB")
INFLATED_BYTES = Limit(200 * 1024 * 1024, "工作簿解压后总计最大 200 MB")
# Other XML parts (styles, pivot caches, comments…) are parsed whole by openpyxl; real ones are small.
XML_PART_BYTES = Limit(20 * 1024 * 1024, "工作表以外的每个 XML 部件解压后最大 20 MB")
ZIP_MEMBERS = Limit(10_000, "工作簿内部最多 10000 个部件")
SHEETS = Limit(200, "最多 200 张工作表")
ROWS = Limit(5_000, "每张工作表最多 5000 行")
COLUMNS = Limit(200, "每张工作表最多 200 列")
CELLS = Limit(500_000, "整个工作簿最多 500000 个单元格")
CELL_CHARS = Limit(20_000, "每个单元格最多 20000 个字符")
PROBLEMS = Limit(50, "同一文件最多列出 50 条问题")

# Amounts (in the workbook's own unit) must be finite and below this in absolute value.
MAX_AMOUNT = Decimal(10) ** 13
AMOUNT_RANGE = "绝对值小于 10 万亿"
