"""单位信息 settings and profile defaults: one name and one path per concept, each reaching the page."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from conftest import ROOT
from reportgen.document import build_document
from reportgen.render.html import render_html
from reportgen.sources import read_workbook

YC = ROOT / "data" / "yicheng-2020.xlsx"


def page_text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def with_settings(src: Path, tmp_path: Path, **values: str | None) -> Path:
    """A copy of `src` whose 单位信息 has these values (None: the cell left blank)."""
    wb = load_workbook(src)
    ws = wb["单位信息"]
    rows = {row[0].value: row for row in ws.iter_rows()}
    for key, value in values.items():
        if key in rows:
            rows[key][1].value = value
        else:
            ws.append([key, value])
    path = tmp_path / f"{src.stem}-settings.xlsx"
    wb.save(path)
    return path


def html_of(path: Path) -> str:
    """The document's HTML, in-process and without PDF or DOCX: cheap."""
    return render_html(build_document(read_workbook(path), draft=True))


def test_sangong_basis_has_one_source(tmp_path):
    text = page_text(html_of(with_settings(YC, tmp_path, 三公预算口径="全年预算数")))
    assert "预算数为“三公”经费全年预算数" in text  # the 公开07 note
    assert "完成全年预算的70.43%" in text  # the narrative, from the same setting
    assert "年初预算" not in text[text.index("“三公”经费支出决算总体情况说明"):text.index("“三公”经费支出决算具体情况")]


def test_every_profile_setting_is_a_unit_setting_with_a_legal_value():
    from reportgen.profile import profiles
    from reportgen.settings import SETTINGS

    by_attr = {s.attr: s for s in SETTINGS}
    for p in {p.key: p for p in profiles().values()}.values():
        for attr, value in p.settings.items():
            assert attr in by_attr, (p.name, attr)
            choices = by_attr[attr].choices
            assert choices is None or value in choices.values(), (p.name, attr, value)


def test_a_placeholder_is_escaped_once_in_html_and_docx(tmp_path):
    from docx import Document

    from reportgen.build import write_outputs
    from reportgen.catalog import Subject, load_catalog
    from reportgen.narrative import build_narrative

    d = read_workbook(YC)
    code = "2101504"  # a 项 of the 峄城 公开03; its glossary text is taken away below
    d.supplement.glossary.pop(code, None)
    catalog = load_catalog(d.settings.year)
    catalog.functional[code] = Subject(code, catalog.functional[code].name, "")
    d.snippets.pop("原因.收支总计", None)  # and one narrative placeholder
    files = write_outputs(d, tmp_path, ("html", "docx"), build_narrative(d, catalog))
    html = next(p for p in files if p.suffix == ".html").read_text(encoding="utf-8")
    docx = "\n".join(p.text for p in Document(str(next(p for p in files if p.suffix == ".docx"))).paragraphs)
    for text in (html, docx):
        assert "&lt;span" not in text and "<span" not in docx
        assert "【待补充：2101504 的解释】" in text
        assert "【待补充：收支总计变动的主要原因】" in text
    assert '<span class="placeholder">【待补充：2101504 的解释】</span>' in html


# -- init ------------------------------------------------------------------------------------

def sheet_values(path: Path) -> dict[str, object]:
    ws = load_workbook(path)["单位信息"]
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=2)}


def test_init_writes_the_profiles_own_defaults(tmp_path):
    from reportgen.cli import main

    target = tmp_path / "yc.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某某局", "--profile", "峄城", str(target)]) == 0
    values = sheet_values(target)
    assert values["称谓"] == "单位" and values["零值显示"] == "0.00" and values["标题样式"] == "第一部分"
    assert values["三公预算口径"] == "年初预算数" and values["样式"] == "峄城"
    assert read_workbook(target).settings.who == "单位"
    sz = tmp_path / "sz.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某某局", "--profile", "深圳", str(sz)]) == 0
    assert sheet_values(sz)["称谓"] == "部门" and sheet_values(sz)["零值显示"] == "空白"


def test_init_who_given_explicitly_wins(tmp_path):
    from reportgen.cli import main

    target = tmp_path / "yc.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某某局", "--profile", "峄城", "--who", "部门",
                 str(target)]) == 0
    assert sheet_values(target)["称谓"] == "部门" and read_workbook(target).settings.who == "部门"


def test_init_refuses_an_unknown_profile(tmp_path, capsys):
    from reportgen.cli import main

    target = tmp_path / "gz.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某某局", "--profile", "广州", str(target)]) == 2
    err = capsys.readouterr().err
    assert "广州" in err and all(name in err for name in ("深圳", "峄城", "四川"))
    assert not target.exists()
