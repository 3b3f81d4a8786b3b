"""The seven standard charts (图1–图7), drawn with matplotlib, byte-for-byte reproducible.

Each chart is written twice: SVG (vector, for the PDF and HTML) and PNG (for the DOCX, which
cannot embed SVG). Text is in the document's 黑体-like font; file metadata carries no dates.
Money is Decimal until the moment it becomes a bar height or a pie wedge.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from ...analysis import ratio
from ...money import ZERO, to_wan
from .narrative import Narrative

FONT = ["Noto Sans CJK SC", "SimHei", "DejaVu Sans"]
COLOURS = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5"]
PNG_DPI = 200


def _style() -> None:
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": FONT,
        "font.size": 10,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",  # outlines: the SVG needs no font where it is shown
        "svg.hashsalt": "reportgen",  # fixed ids, so the same chart is the same bytes
        "path.simplify": True,
    })


def _wan(n: Narrative, v: Decimal) -> float:
    return float(to_wan(v, n.d.settings.money_unit))


def bars(n: Narrative, title: str, groups: list[str], prior: list[Decimal | None],
         current: list[Decimal]):
    """上年 and 本年 side by side for each group, amounts printed on the bars."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    width = 0.36
    xs = range(len(groups))
    for offset, label, values, colour in ((-width / 2, f"{n.prev}年", prior, COLOURS[6]),
                                          (width / 2, f"{n.year}年", current, COLOURS[0])):
        heights = [_wan(n, v) if v is not None else 0.0 for v in values]
        rects = ax.bar([x + offset for x in xs], heights, width, label=label, color=colour)
        for rect, v in zip(rects, values, strict=True):
            if v is not None:
                ax.annotate(n.style.amount(v), (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(list(xs), groups)
    ax.set_ylabel("万元")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False)
    ax.set_title(title, fontsize=11)
    ax.margins(y=0.15)
    return fig


def pie(n: Narrative, title: str, items: list[tuple[str, Decimal]]):
    """Shares of a whole as a ring; the legend carries the amounts and the same percentages
    the text prints, so small slices stay readable."""
    items = [(name, v) for name, v in items if v > 0]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    whole = sum((v for _, v in items), ZERO)
    if not items:
        ax.text(0.5, 0.5, "本年无数据", ha="center", va="center")
        ax.axis("off")
    else:
        labels = []
        for name, v in items:
            r = ratio(v, whole)
            labels.append(f"{name}  {n.style.amount(v)}万元（{n.style.percent(r) if r is not None else '—'}%）")
        wedges, _ = ax.pie([_wan(n, v) for _, v in items], colors=COLOURS[: len(items)], startangle=90,
                           counterclock=False, wedgeprops={"width": 0.42, "linewidth": 1, "edgecolor": "white"})
        ax.legend(wedges, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
        ax.axis("equal")
    ax.set_title(title, fontsize=11)
    return fig


def chart(n: Narrative, slot: int):
    """The matplotlib figure of chart `slot` (1–7) from the narrative's own figures."""
    sup = n.d.supplement.prior
    p = {k: (v.amount if (v := sup.get(k)) is not None else None) for k in
         ("收支总计", "财政拨款收支总计", "一般公共预算财政拨款支出", "一般公共预算财政拨款基本支出",
          "一般公共预算财政拨款项目支出")}
    if slot == 1:
        grand = n.line("income", "grand_total")
        return bars(n, "收、支决算总计变动情况", ["收入总计", "支出总计"], [p["收支总计"]] * 2, [grand, grand])
    if slot == 2:
        return pie(n, "本年收入决算结构", [(name, n.line("income", key)) for key, name in
                                         (("gpb+gf+soc", "财政拨款收入"), ("superior", "上级补助收入"),
                                          ("business", "事业收入"), ("operating", "经营收入"),
                                          ("affiliated", "附属单位上缴收入"), ("other", "其他收入"))])
    if slot == 3:
        t03 = n.subject("t03")
        names = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
        return pie(n, "本年支出决算结构", [(name, t03.total[i + 1].amount if t03 else ZERO)
                                         for i, name in enumerate(names)])
    if slot == 4:
        grand = n.line("income", "grand_total", table="t04")
        return bars(n, "财政拨款收、支决算总计变动情况", ["财政拨款收入总计", "财政拨款支出总计"],
                    [p["财政拨款收支总计"]] * 2, [grand, grand])
    if slot == 5:
        t05 = n.subject("t05")
        current = [t05.total[i].amount if t05 else ZERO for i in range(3)]
        return bars(n, "一般公共预算财政拨款支出决算变动情况", ["合计", "基本支出", "项目支出"],
                    [p["一般公共预算财政拨款支出"], p["一般公共预算财政拨款基本支出"],
                     p["一般公共预算财政拨款项目支出"]], current)
    if slot == 6:
        t05 = n.subject("t05")
        return pie(n, "一般公共预算财政拨款支出决算结构",
                   [(r.name, r.values[0].amount) for r in (t05.nonzero_rows() if t05 else []) if len(r.code) == 3])
    v = n.sangong.get("rows", {})
    return pie(n, "“三公”经费财政拨款支出结构",
               [(name, v[name]["completion"].actual_value) for name in
                ("因公出国（境）费", "公务用车购置及运行费", "公务接待费") if name in v])


def write_charts(n: Narrative, directory: Path) -> list[Path]:
    """SVG and PNG of every figure the rendered narrative placed; their paths."""
    _style()
    out = []
    (directory / "charts").mkdir(parents=True, exist_ok=True)
    for slot in sorted(n.figures):
        fig = chart(n, slot)
        base = directory / "charts" / f"图{slot}"
        fig.savefig(base.with_suffix(".svg"), format="svg", metadata={"Date": None}, bbox_inches="tight")
        fig.savefig(base.with_suffix(".png"), format="png", dpi=PNG_DPI, metadata={"Software": None},
                    bbox_inches="tight")
        plt.close(fig)
        out += [base.with_suffix(".svg"), base.with_suffix(".png")]
    return out
