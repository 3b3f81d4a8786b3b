"""单位信息 settings and profile defaults: one name and one path per concept, each reaching the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from reportgen.document import build_document
from reportgen.profile import profiles
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
    from reportgen.kinds.juesuan.narrative import build_narrative

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


# -- every profile default reaches the page ---------------------------------------------------

# (section, key, a value unlike the code's default, text only that value puts on the page)
PROFILE_CASES = [
    ("settings", "who", "单位", "2020年度单位决算"),
    ("settings", "zero", "blank", None),  # checked below: no 0.00 cell
    ("settings", "headings", "第一部分", "第一部分单位概况"),
    ("settings", "table_notes", False, None),  # checked below: no 注
    ("settings", "car_running_label", "公务用车运行维护费", "公务用车运行维护费1.13万元"),
    ("settings", "sangong_basis", "全年预算数", "完成全年预算的70.43%"),
    ("settings", "t09_total_label", "小计", "<th>小计"),
    ("numbers", "percent_places", 1, "增长561.9%"),
    ("numbers", "strip_zeros", False, "基本支出222.30万元"),
    ("numbers", "separators", False, "增加1404.72万元"),
    ("numbers", "balance_shares", True, "占99.87%"),
    ("words", "increase", "上升", "各上升1,404.72万元"),
    ("words", "growth", "提高", "提高561.91%"),
    ("words", "decrease", "缩减", "比年初预算数缩减1.87万元"),
    ("words", "decline", "下滑", "下滑23.88%"),
    ("words", "equal", "持平", "与2019年决算数持平"),
    ("words", "base_zero", "（基数为0）", "增加222.3万元，增长（基数为0）"),
    ("words", "list_tail", "等", "生活补助等"),
    ("budget", "gpb_basis", "调整预算数", "调整预算"),
    ("budget", "admin_cost_base", "年初预算", "比年初预算数减少1.87万元"),
    ("narrative", "charts", [1], 'id="fig1"'),
    ("narrative", "zero_lines", True, "上级补助收入0万元"),
    ("narrative", "glossary_subjects", "类", "卫生健康支出：反映"),
    ("narrative", "watermark", "样稿", "样稿"),
    ("narrative", "vehicles", ["一般公务用车"], "一般公务用车"),
]

SPECIAL = {"zero": ">0.00<", "table_notes": "注：本表反映"}  # text only the code default prints


def code_default(section: str, key: str):
    """What the code uses when no profile says otherwise."""
    import tomllib
    from dataclasses import fields

    from reportgen import profile as P
    from reportgen.model import Settings

    if section == "settings":
        return getattr(Settings(), key)
    if section in ("numbers", "words", "budget"):
        return getattr({"numbers": P.Numbers, "words": P.Words, "budget": P.Budget}[section](), key)
    bare = P.Profile(key="x", name="x", description="", settings={}, numbers=P.Numbers(), words=P.Words(),
                     budget=P.Budget(), **P.narrative_defaults(tomllib.loads("")))
    assert key in {f.name for f in fields(bare)}
    return getattr(bare, key)


def variant(base, section: str, key: str, value):
    from dataclasses import replace

    if section == "settings":
        return replace(base, settings={**base.settings, key: value})
    if section in ("numbers", "words", "budget"):
        return replace(base, **{section: replace(getattr(base, section), **{key: value})})
    return replace(base, **{key: tuple(value) if isinstance(value, list) else value})


@pytest.fixture(scope="module")
def profile_free(tmp_path_factory) -> Path:
    """The 峄城 sample with every 单位信息 value a profile can give left blank; last year's
    财政拨款收入 equal to this year's and its 基本支出 0, so that 相同 and a zero base show; 公开05
    classes of 1.25 and 998.75 (0.13 % + 99.88 %), so that balancing the shares to 100 shows."""
    from reportgen.settings import SETTINGS

    keys = {s.key: None for s in SETTINGS if s.attr in profiles()["峄城"].settings}
    path = with_settings(YC, tmp_path_factory.mktemp("profile"), **keys)
    wb = load_workbook(path)
    t05 = read_workbook(path).tables["t05"]
    rows = {r.code: r for r in t05.rows}
    for v, amount in ((t05.total[0], 1000), (rows["208"].values[0], 1.25), (rows["210"].values[0], 998.75)):
        sheet, cell = v.ref.rsplit("!", 1)
        wb[sheet][cell].value = amount
    for row in wb["上年数"].iter_rows():
        row[1].value = {"财政拨款收入": 1601.48, "基本支出": 0}.get(row[0].value, row[1].value)
    wb.save(path)
    return path


def html_with(monkeypatch, path: Path, prof) -> str:
    from reportgen import profile as P

    monkeypatch.setattr(P, "profiles", lambda: {prof.name: prof, prof.key: prof})
    return html_of(path)


@pytest.mark.parametrize(("section", "key", "value", "shows"), PROFILE_CASES,
                         ids=[f"{s}.{k}" for s, k, _, _ in PROFILE_CASES])
def test_each_profile_value_reaches_the_page(monkeypatch, profile_free, section, key, value, shows):
    base = profiles()["峄城"]
    default = code_default(section, key)
    assert value != default
    before = html_with(monkeypatch, profile_free, variant(base, section, key, default))
    after = html_with(monkeypatch, profile_free, variant(base, section, key, value))
    before, after = before + page_text(before), after + page_text(after)  # markup and text
    if key in SPECIAL:
        assert SPECIAL[key] in before and SPECIAL[key] not in after
    else:
        assert after.count(shows) > before.count(shows)


def test_profile_glossary_reaches_the_page(monkeypatch, profile_free):
    from dataclasses import replace

    base = profiles()["峄城"]
    (term, _), *rest = base.glossary
    text = page_text(html_with(monkeypatch, profile_free, replace(base, glossary=((term, "样式给的解释。"), *rest))))
    assert f"{term}：样式给的解释。" in text


def test_every_profile_key_has_a_case():
    import tomllib

    from reportgen.kinds import get_kind

    PROFILE_DIR = get_kind().profiles_dir

    covered = {(s, k) for s, k, _, _ in PROFILE_CASES}
    for path in PROFILE_DIR.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for section, table in data.items():
            if section == "performance":  # scoring rules: tests/test_performance.py checks each one
                continue
            if isinstance(table, dict):
                assert {(section, k) for k in table} <= covered, path.name
            else:  # name, description (not printed) and the [[glossary]] list (tested above)
                assert section in ("name", "description", "glossary", "sections", "parts"), section
