"""User profiles: a unit's own folder overrides one section's template or the outline, and
an input is required only when a section the outline includes prints it."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.build import build
from reportgen.cli import main
from reportgen.document import build_document
from reportgen.kinds import get_kind
from reportgen.kinds.juesuan.narrative import build_narrative
from reportgen.render.html import render_html
from reportgen.sources import read_workbook

ROOT = Path(__file__).resolve().parent.parent
YC = ROOT / "data" / "yicheng-2020.xlsx"
KIND = get_kind()
# 上年数 rows only the 收入决算 and 支出决算 sections print.
INCOME_SPENDING_PRIOR = {"基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出", "上级补助收入",
                         "事业收入", "经营收入", "附属单位上缴收入", "其他收入", "财政拨款收入"}


@pytest.fixture(autouse=True)
def kind_profiles_only():
    """Each test activates its own folders; afterwards only the kind's profiles are active."""
    yield
    get_kind("juesuan", ())


def sections_of(html: str) -> dict[str, str]:
    """情况说明 text by section anchor (s3-1 …), tags and spaces removed."""
    parts = re.split(r'<h2 id="(s3-\d+)"', html)
    out = {}
    for sid, body in zip(parts[1::2], parts[2::2], strict=True):
        body = re.split(r'<h1|<h2 id="(?!s3-)', body)[0]
        out[sid] = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body.split(">", 1)[1]))
    return out


def document_html(workbook: Path, *dirs: Path) -> str:
    get_kind("juesuan", dirs)
    return render_html(build_document(read_workbook(workbook), draft=True))


def test_a_template_beside_the_workbook_changes_that_section_only(tmp_path):
    shutil.copy(YC, tmp_path / "u.xlsx")
    get_kind("juesuan", ())
    before = sections_of(document_html(tmp_path / "u.xlsx"))
    (tmp_path / "profile" / "sections").mkdir(parents=True)
    (tmp_path / "profile" / "sections" / "basic.html.j2").write_text(
        "{% set b = n.basic %}<p>本年基本支出{{ b.total }}万元，本单位自行撰写。</p>\n", encoding="utf-8")
    # The CLI finds profile/ beside the workbook by itself.
    assert main(["build", str(tmp_path / "u.xlsx"), "--output", str(tmp_path / "out"), "--formats", "html",
                 "--draft"]) == 0
    after = sections_of(next((tmp_path / "out").rglob("*.html")).read_text(encoding="utf-8"))
    basic = next(sid for sid, text in before.items() if "基本支出决算情况说明" in text[:30])
    assert "本单位自行撰写" in after[basic] and "本单位自行撰写" not in before[basic]
    assert {k: v for k, v in after.items() if k != basic} == {k: v for k, v in before.items() if k != basic}
    assert len(before) == 11


def without_prior(tmp_path: Path) -> Path:
    """The 峄城 sample with the 上年数 of every income and spending line left blank."""
    wb = load_workbook(YC)
    for row in wb["上年数"].iter_rows():
        if row[0].value in INCOME_SPENDING_PRIOR:
            for cell in row[1:]:
                cell.value = None
    path = tmp_path / "u.xlsx"
    wb.save(path)
    return path


def omitting(tmp_path: Path, *keys: str) -> Path:
    """A user profile folder whose 峄城 lists the kind's sections except `keys`."""
    folder = tmp_path / "myprofile"
    folder.mkdir()
    text = (KIND.profiles_dir / "yicheng.toml").read_text(encoding="utf-8")
    text += "".join(f'\n[[sections]]\nkey = "{k}"\nheading = "{h}"\n' for k, h in KIND.sections if k not in keys)
    (folder / "yicheng.toml").write_text(text, encoding="utf-8")
    assert tomllib.loads(text)["name"] == "峄城"
    return folder


def test_omitted_sections_require_nothing(tmp_path):
    workbook = without_prior(tmp_path)
    get_kind("juesuan", ())
    d = read_workbook(workbook)
    n = build_narrative(d)
    build_document(d, n, draft=True)
    wanted = {m.key for m in n.missing}
    assert {f"上年数.{k}" for k in INCOME_SPENDING_PRIOR} <= wanted  # the full outline needs them

    folder = omitting(tmp_path, "income", "spending")
    result = build(workbook, tmp_path / "out", ("html",), profile_dirs=(folder,))
    assert result.directory is not None, result.refusals  # final mode builds
    assert not [m.key for m in result.missing if m.key.startswith("上年数")]
    text = sections_of(next(result.directory.glob("*.html")).read_text(encoding="utf-8"))
    assert len(text) == 9
    assert not any(re.match(r"^[一二三四五六七八九十]+、(收入|支出)决算情况说明", t) for t in text.values())
    assert all("上级补助收入" not in t for t in text.values())


def test_the_outline_numbers_what_it_lists(tmp_path):
    folder = omitting(tmp_path, "income", "spending", "capital")
    html = document_html(YC, folder)
    assert "三、一般公共预算财政拨款支出决算情况说明" in html  # was 五、
    assert "国有资本经营预算财政拨款支出决算情况说明" not in html


def test_validate_lists_what_the_outline_still_needs(tmp_path, capsys):
    workbook = without_prior(tmp_path)
    main(["validate", str(workbook)])
    out = capsys.readouterr().out
    assert "正式文档还缺的内容" in out
    assert "上年数.基本支出：「上年数」表「基本支出」" in out
    main(["validate", str(workbook), "--profile-dir", str(omitting(tmp_path, "income", "spending"))])
    assert "正式文档还缺的内容" not in capsys.readouterr().out


def test_profile_new_then_check(tmp_path, capsys):
    folder = tmp_path / "profile"
    assert main(["profile", "new", "某某区", "--from", "峄城", "--dir", str(folder)]) == 0
    data = tomllib.loads((folder / "某某区.toml").read_text(encoding="utf-8"))
    assert data["name"] == "某某区" and data["settings"]["who"] == "单位"
    assert main(["profile", "check", str(folder)]) == 0
    assert "检查通过：1 个样式文件" in capsys.readouterr().out
    text = (folder / "某某区.toml").read_text(encoding="utf-8").replace("[words]", "[words]\nincrese = \"升\"")
    text += '\n[[sections]]\nkey = "nosuch"\nheading = "某节"\n'
    (folder / "某某区.toml").write_text(text, encoding="utf-8")
    (folder / "sections").mkdir()
    (folder / "sections" / "total.html.j2").write_text("<p>\n{% if n %}\n</p>\n", encoding="utf-8")
    (folder / "sections" / "totl.html.j2").write_text("<p>x</p>\n", encoding="utf-8")
    assert main(["profile", "check", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("increse"))
    assert f"错误 {folder / '某某区.toml'} [第{line}行]：[words] 中未知的键「increse」；可用：" in err[0]
    assert any("未知的部分「nosuch」" in e for e in err)
    assert any("totl.html.j2" in e and "没有名为「totl」的部分" in e for e in err)
    assert any(e.startswith(f"错误 {folder / 'sections' / 'total.html.j2'} [第") and "模板错误" in e for e in err)


def test_a_broken_user_profile_is_an_input_error(tmp_path, capsys):
    shutil.copy(YC, tmp_path / "u.xlsx")
    (tmp_path / "profile").mkdir()
    (tmp_path / "profile" / "x.toml").write_text('name = "峄城"\n[words]\nincrese = "升"\n', encoding="utf-8")
    assert main(["validate", str(tmp_path / "u.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "x.toml：样式文件有误" in err and "reportgen profile check" in err


def test_parts_follow_the_profile(tmp_path):
    """Tables moved to the end as 附表, after 情况说明 and 名词解释: the outline is data."""
    folder = tmp_path / "p"
    folder.mkdir()
    text = (KIND.profiles_dir / "yicheng.toml").read_text(encoding="utf-8")
    text += "".join(f'\n[[parts]]\npart = "{p}"\nheading = "{h}"\n' for p, h in (
        ("overview", "{who}概况"), ("narrative", "{year}年度{kind}情况说明"), ("glossary", "名词解释"),
        ("tables", "附表")))
    (folder / "yicheng.toml").write_text(text, encoding="utf-8")
    html = document_html(YC, folder)
    heads = re.findall(r'<h1 id="part\d"[^>]*>([^<]*)', html)
    assert heads == ["第一部分 单位概况", "第二部分 2020年度单位决算情况说明", "第三部分 名词解释", "第四部分 附表"]
    assert html.index("名词解释") < html.index("收入支出决算总表")


def test_init_writes_only_the_rows_the_outline_prints(tmp_path):
    """A profile without 收入决算/支出决算 gets no 上年数 rows for their lines; each row says who uses it."""
    def rows(path: Path, sheet: str) -> dict[str, tuple]:
        ws = load_workbook(path)[sheet]
        return {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}

    full, trimmed = tmp_path / "full.xlsx", tmp_path / "trimmed.xlsx"
    assert main(["init", "--year", "2021", "--unit", "某局", str(full)]) == 0
    folder = omitting(tmp_path, "income", "spending")
    assert main(["init", "--year", "2021", "--unit", "某局", "--profile-dir", str(folder), str(trimmed)]) == 0
    prior_full, prior_trimmed = rows(full, "上年数"), rows(trimmed, "上年数")
    assert INCOME_SPENDING_PRIOR <= set(prior_full)
    assert prior_full["上级补助收入"][2] == "上年公开表中的数；用于：收入决算情况说明"
    assert not INCOME_SPENDING_PRIOR & set(prior_trimmed)
    assert prior_trimmed["收支总计"][2] == "上年公开表中的数；用于：收入支出决算总体情况说明"
    facts = rows(trimmed, "情况")
    assert facts["车辆总数"][3] == "用于：其他重要事项情况说明" and "外事接待批次" in facts  # printed when given


def test_verify_replays_the_units_profile_folder(tmp_path, capsys):
    """A build with profile/ beside the workbook verifies identical; a changed template is named."""
    shutil.copy(YC, tmp_path / "u.xlsx")
    own = tmp_path / "profile" / "sections" / "basic.html.j2"
    own.parent.mkdir(parents=True)
    own.write_text("<p>本单位自行撰写的基本支出说明。</p>\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "u.xlsx"), "--output", str(tmp_path / "out"), "--formats", "html",
                 "--draft"]) == 0
    archive = next(p.parent for p in (tmp_path / "out").rglob("manifest.json"))
    recorded = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))["profile_dirs"]
    assert recorded == [{"dir": str(tmp_path / "profile"), "files": {
        "sections/basic.html.j2": hashlib.sha256(own.read_bytes()).hexdigest()}}]
    capsys.readouterr()
    assert main(["verify", str(archive)]) == 0  # without the folder the section would differ
    assert "逐字节相同" in capsys.readouterr().out
    old = hashlib.sha256(own.read_bytes()).hexdigest()
    own.write_text("<p>改过的说明。</p>\n", encoding="utf-8")
    assert main(["verify", str(archive)]) == 1
    out = capsys.readouterr().out
    now = hashlib.sha256(own.read_bytes()).hexdigest()
    assert f"样式文件 {own} 与归档记录不同（记录 sha256 {old[:12]}…，现在 {now[:12]}…）" in out


def test_a_forged_profile_folder_in_a_manifest_is_refused(tmp_path, capsys):
    shutil.copy(YC, tmp_path / "u.xlsx")
    assert main(["build", str(tmp_path / "u.xlsx"), "--output", str(tmp_path / "out"), "--formats", "html",
                 "--draft"]) == 0
    archive = next(p.parent for p in (tmp_path / "out").rglob("manifest.json"))
    data = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    data["profile_dirs"] = [{"dir": "/etc", "files": {"../passwd.toml": "0" * 64}}]
    (archive / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(archive)]) == 2
    assert "文件名应为文件夹内的相对路径" in capsys.readouterr().err
    # A folder naming the file system's root is walked a bounded way (three levels, 5,000 files).
    data["profile_dirs"] = [{"dir": "/", "files": {}}]
    (archive / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(archive)]) in (0, 1)
