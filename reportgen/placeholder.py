"""A missing input as printed: 【待补充：…】, marked up exactly once wherever it goes.

A placeholder is neither plain text nor a string of HTML. Jinja's autoescape renders it through
`__html__` as a red span; anything that turns it into text (`str`, an f-string, a join) gets the
visible 【待补充：…】 without markup, which is then escaped like any other text. So no path can
print the markup itself (`&lt;span …`), in HTML, PDF or DOCX.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Placeholder:
    what: str  # what is missing, e.g. 公开04表, 收支总计变动的主要原因

    def __str__(self) -> str:
        return f"【待补充：{self.what}】"

    def __html__(self) -> Markup:
        return Markup('<span class="placeholder">{}</span>').format(str(self))
