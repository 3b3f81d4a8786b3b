"""What a finance bureau sees of a batch: progress while it runs, one table per unit at the end
(printed, and written as summary.xlsx and summary.json into the output root)."""

from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from .batch import PUBLISHED, UnitResult

COLUMNS = {"unit": "单位", "year": "年度", "status": "状态", "pages": "页数", "warnings": "警告",
           "seconds": "用时(秒)", "workbook": "工作簿", "directory": "归档目录", "messages": "说明"}


def duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}分{seconds % 60:02d}秒" if seconds >= 60 else f"{seconds}秒"


class BatchProgress:
    """Units done / total, failures so far and time left: a bar on a terminal, a line per unit otherwise."""

    def __init__(self, total: int, stream: TextIO, terminal: bool | None = None):
        self.total, self.stream = total, stream
        self.terminal = stream.isatty() if terminal is None else terminal
        self.done = self.failed = 0
        self.start = time.monotonic()

    def left(self) -> str:
        if not self.done:
            return "估算中"
        rate = (time.monotonic() - self.start) / self.done
        return "约" + duration(rate * (self.total - self.done))

    def __call__(self, r: UnitResult) -> None:
        self.done += 1
        self.failed += r.status not in PUBLISHED
        if self.terminal:
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.stream.write(f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
                              f"  未成正式 {self.failed}  剩余{self.left()}")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {r.status} {r.unit or Path(r.workbook).name}"
                              f"（{r.seconds:.1f} 秒；未成正式 {self.failed}；剩余{self.left()}）\n")
        self.stream.flush()

    def close(self) -> None:
        if self.terminal and self.done:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def rows(results: list[UnitResult]) -> list[dict]:
    return sorted((asdict(r) for r in results), key=lambda r: (r["unit"] == "", r["unit"], r["workbook"]))


def table(results: list[UnitResult]) -> str:
    """The summary as aligned text (CJK characters count double), then each unit's messages."""
    head = ["单位", "年度", "状态", "页数", "警告", "用时(秒)"]
    lines = [[r["unit"] or Path(r["workbook"]).name, str(r["year"] or ""), r["status"],
              "" if r["pages"] is None else str(r["pages"]), str(r["warnings"]), f"{r['seconds']:.1f}"]
             for r in rows(results)]
    widths = [max(_width(x) for x in col) for col in zip(head, *lines, strict=False)]
    out = ["  ".join(_pad(c, w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [head, *lines]]
    for r in rows(results):
        for m in r["messages"][:10]:
            out.append(f"  {r['unit'] or Path(r['workbook']).name}：{m}")
        if len(r["messages"]) > 10:
            out.append(f"  …… 另有 {len(r['messages']) - 10} 条，见 summary.json")
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    out.append(f"共 {len(results)} 个单位：" + "，".join(f"{k} {v}" for k, v in counts.items()) + "。")
    return "\n".join(out)


def write(results: list[UnitResult], root: Path) -> tuple[Path, Path]:
    """summary.json (every field, messages as a list) and summary.xlsx (one row per unit) in `root`."""
    import pandas as pd  # only when a batch ends

    data = rows(results)
    js = root / "summary.json"
    js.write_text(json.dumps({"units": data}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    frame = pd.DataFrame([{**r, "messages": "\n".join(r["messages"])} for r in data], columns=list(COLUMNS))
    xlsx = root / "summary.xlsx"
    frame.rename(columns=COLUMNS).to_excel(xlsx, index=False, sheet_name="汇总")
    return js, xlsx
