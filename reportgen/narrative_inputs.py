"""What every kind's narrative does with its inputs: the year, the words 部门/单位, snippets from
the 「文字」 sheet, and the record of what is missing (a visible 【待补充】 placeholder plus where
to fill it). A kind's Narrative dataclass mixes this in beside its own figures."""

from __future__ import annotations

from markupsafe import Markup, escape

from .placeholder import Placeholder
from .rules import Missing


class NarrativeInputs:
    """Needs `d` (the disclosure) and `missing` (list of Missing) on the class it is mixed into."""

    d: object
    missing: list[Missing]

    @property
    def year(self) -> int:
        return self.d.settings.year  # type: ignore[attr-defined]

    @property
    def prev(self) -> int:
        return self.year - 1

    @property
    def who(self) -> str:
        return self.d.settings.who  # type: ignore[attr-defined]

    def need(self, key: str, where: str) -> None:
        if not any(m.key == key for m in self.missing):
            self.missing.append(Missing(key, where))

    def text(self, key: str, what: str) -> Markup | Placeholder:
        """A snippet from the 文字 sheet, or a visible placeholder naming where to add it."""
        value = self.d.snippets.get(key, "").strip()  # type: ignore[attr-defined]
        if value:
            return escape(value)
        self.need(key, f"「文字」表 键「{key}」：{what}")
        return Placeholder(what)

    @staticmethod
    def placeholder(what: str) -> Placeholder:
        return Placeholder(what)
