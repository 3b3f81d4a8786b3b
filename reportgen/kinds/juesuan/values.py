"""Small value types the narrative hands to its templates: lazy figures and chart slots."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

CHART_TITLES = {
    1: "收、支决算总计变动情况图",
    2: "本年收入决算结构图",
    3: "本年支出决算结构图",
    4: "财政拨款收、支决算总计变动情况图",
    5: "一般公共预算财政拨款支出决算变动情况图",
    6: "一般公共预算财政拨款支出决算结构图",
    7: "“三公”经费财政拨款支出结构图",
}


class Lazy(dict):
    """A dict whose callable values run on first access, so an input is only required
    (and reported missing) when a template actually prints it."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if callable(value) and not isinstance(value, Markup):
            value = value()
            super().__setitem__(key, value)
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default


@dataclass
class Figure:
    slot: int
    title: str
    src: str = ""  # set by the chart writer: charts/图N.svg
    png: str = ""
