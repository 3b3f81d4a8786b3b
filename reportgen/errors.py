"""Input problems: each names the file, sheet and cell, what was found and what was expected."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # "Sheet!C7", "Sheet" or "" for the whole file
    message: str

    def __str__(self) -> str:
        place = f"{self.file} [{self.where}]" if self.where else self.file
        # A message can quote a cell or sheet name: control characters (terminal escapes, line
        # breaks) must neither act on the user's terminal nor split the one line per problem.
        return "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch
                       for ch in f"错误 {place}：{self.message}")


class InputError(Exception):
    """Raised with every problem found in one pass, so the user fixes them all at once."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

