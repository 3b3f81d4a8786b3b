"""A unit's own section template that fails is the unit's input problem: exit 2, one line naming
the file and line, nothing written; the same mistake in a shipped template stays an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.kinds import get_kind

ROOT = Path(__file__).resolve().parent.parent
YC = ROOT / "data" / "yicheng-2020.xlsx"


@pytest.fixture(autouse=True)
def kind_profiles_only():
    yield
    get_kind("juesuan", ())


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ n.nothing_here }}", "[第2行]：模板用到了没有的数值「nothing_here」"),
    ("{{ not_a_name }}", "[第2行]：模板用到了没有的数值「not_a_name」"),
    ('{{ "".__class__ }}', "[第2行]：模板用了不允许的写法"),
    ('{% include "nope.html.j2" %}', "[第2行]：找不到要引用的模板「nope.html.j2」"),
    ("{% if %}", "[第2行]：模板写法有误"),
    ("<div>自己的版式</div>", "：模板输出了不认识的标记"),
])
def test_a_broken_own_template_names_its_file(tmp_path, capsys, template, expected):
    shutil.copy(YC, tmp_path / "u.xlsx")
    own = tmp_path / "profile" / "sections" / "basic.html.j2"
    own.parent.mkdir(parents=True)
    own.write_text(f"<p>本单位自行撰写。</p>\n{template}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "u.xlsx"), "--output", str(out), "--formats", "html", "--draft"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"错误 {own}") and expected in err[0], err[0]
    assert "内部错误" not in err[0]
    assert not list(out.rglob("*.html"))


def test_a_shipped_template_error_is_not_blamed_on_the_unit(tmp_path, monkeypatch):
    """Without a template of the unit's own, a failing render is ours (exit 3), not an input line."""
    from reportgen import sections
    from reportgen.markup import MarkupError

    def broken(*args, **kwargs):
        raise MarkupError("text outside a block: '<div>'")

    monkeypatch.setattr(sections, "blocks", broken)
    shutil.copy(YC, tmp_path / "u.xlsx")
    assert main(["build", str(tmp_path / "u.xlsx"), "--output", str(tmp_path / "out"), "--formats", "html",
                 "--draft"]) == 3
