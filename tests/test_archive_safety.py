"""A build never loses a file, and no archive can fool verify (issue 8).

One cheap HTML-only build of 峄城 is made per module and copied into each test's tmp dir.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from forge import CASES
from reportgen import build as build_module
from reportgen.archive_dir import archive_path, is_plain, locked, plain_name, recover, recover_root
from reportgen.build import build
from reportgen.cli import main

UNIT = "峄城区医疗保障局（本级）"


def tree(folder: Path) -> dict[str, str]:
    """Every file and link below `folder` with its content hash (links: their target)."""
    out = {}
    for top, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            p = Path(top) / name
            rel = p.relative_to(folder).as_posix()
            out[rel] = "->" + os.readlink(p) if p.is_symlink() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A folder with yicheng-2020.xlsx and out/<unit>/2020/ (HTML only)."""
    base = tmp_path_factory.mktemp("made")
    shutil.copy(ROOT / "data" / "yicheng-2020.xlsx", base / "yicheng-2020.xlsx")
    assert build(base / "yicheng-2020.xlsx", base / "out", ("html",)).directory == base / "out" / UNIT / "2020"
    return base


@pytest.fixture
def site(made, tmp_path) -> tuple[Path, Path]:
    """A private copy of `made`: (workbook, archive folder)."""
    shutil.copytree(made, tmp_path / "site")
    return tmp_path / "site" / "yicheng-2020.xlsx", tmp_path / "site" / "out" / UNIT / "2020"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- a build never loses a file ----------------------------------------------------------------

def test_a_draft_goes_beside_the_final_and_never_replaces_it(site):
    book, final = site
    before = tree(final)
    draft = build(book, final.parent.parent, ("html",), draft=True)
    assert draft.directory == final.parent / "2020-草稿"
    assert tree(final) == before
    assert [p.name for p in draft.directory.glob("*.html")] == [f"{UNIT}2020年度单位决算（草稿）.html"]
    assert json.loads((draft.directory / "manifest.json").read_text(encoding="utf-8"))["mode"] == "draft"


def test_files_reportgen_did_not_write_survive_a_rebuild(site):
    book, final = site
    (final / "备注.txt").write_text("盖章版在档案室", encoding="utf-8")
    (final / "附件").mkdir()
    (final / "附件" / "批复.pdf").write_bytes(b"%PDF scan")
    result = build(book, final.parent.parent, ("html",))
    assert (final / "备注.txt").read_text(encoding="utf-8") == "盖章版在档案室"
    assert (final / "附件" / "批复.pdf").read_bytes() == b"%PDF scan"
    assert {final / "备注.txt", final / "附件" / "批复.pdf"} <= set(result.kept)
    listed = {o["path"] for o in json.loads((final / "manifest.json").read_text(encoding="utf-8"))["outputs"]}
    assert "备注.txt" not in listed and any(p.endswith(".html") for p in listed)


def test_verify_passes_with_a_kept_foreign_file_and_names_it(site, capsys):
    _, final = site
    (final / "备注.txt").write_text("盖章版在档案室", encoding="utf-8")
    code, out, _ = cli(capsys, "verify", str(final))
    assert code == 0 and "[其他] 备注.txt：不是 reportgen 生成的文件" in out and "[相同]" in out
    (next(final.glob("*.html"))).write_text("changed", encoding="utf-8")
    code, out, _ = cli(capsys, "verify", str(final))
    assert code == 1 and "[不同]" in out


def test_a_changed_workbook_refuses_to_mix_with_kept_formats(site, capsys):
    book, final = site
    before = tree(final)
    wb = load_workbook(book)
    wb.save(book)  # same figures, different bytes: the kept HTML no longer comes from this input
    code, _, err = cli(capsys, "build", str(book), "--output", str(final.parent.parent), "--formats", "docx")
    assert code == 2 and "输入文件不同" in err and "去掉 --formats" in err and ".html" in err
    assert len(err.strip().splitlines()) == 1 and tree(final) == before


def test_an_edited_output_or_a_foreign_namesake_is_not_overwritten(site, capsys):
    book, final = site
    html = next(final.glob("*.html"))
    html.write_text("用户改过的版本", encoding="utf-8")
    code, _, err = cli(capsys, "build", str(book), "--output", str(final.parent.parent), "--formats", "html")
    assert code == 2 and html.name in err and "被改动过" in err
    assert html.read_text(encoding="utf-8") == "用户改过的版本"
    (final / "manifest.json").unlink()  # now no file there is reportgen's
    code, _, err = cli(capsys, "build", str(book), "--output", str(final.parent.parent), "--formats", "html")
    assert code == 2 and html.name in err and "不是 reportgen 生成的文件" in err
    assert html.read_text(encoding="utf-8") == "用户改过的版本"


def test_an_archive_of_another_unit_is_not_replaced(site, capsys):
    book, final = site
    m = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    m["unit"] = "另一个单位"
    (final / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    before = tree(final)
    code, _, err = cli(capsys, "build", str(book), "--output", str(final.parent.parent), "--formats", "html")
    assert code == 2 and "另一个单位" in err and UNIT in err and tree(final) == before


@pytest.mark.parametrize("names", [("a/b", "a_b"), ("..", ".", "unit", ""), ("a\\b", "a:b", "a_b"),
                                   (" x", "x", ".x"), ("x" * 1000, "x" * 999), ("局" * 80, "局" * 81)])
def test_unit_names_map_to_distinct_plain_directories_inside_the_root(tmp_path, names):
    paths = [archive_path(tmp_path, n, 2020, draft=False) for n in names]
    assert len(set(paths)) == len(names)
    for p, n in zip(paths, names, strict=True):
        assert p.parent.parent == tmp_path and is_plain(p.parent.name) and is_plain(p.name)
        assert len(p.parent.name.encode()) <= 150
        assert archive_path(tmp_path, n, 2020, draft=False) == p  # stable
    assert plain_name("某某局（本级）") == "某某局（本级）"  # ordinary names are left alone


def test_a_unit_name_of_a_thousand_characters_builds(tmp_path):
    book = tmp_path / "long.xlsx"
    wb = load_workbook(ROOT / "data" / "yicheng-2020.xlsx")
    next(r for r in wb["单位信息"].iter_rows() if r[0].value == "单位名称")[1].value = "../" + "局" * 1000
    wb.save(book)
    result = build(book, tmp_path / "out", ("html",))
    assert result.directory.parent.parent == tmp_path / "out"
    assert all(len(p.name.encode()) <= 255 for p in result.files)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.directory.parent.name]


def leftovers(final: Path, pid: int = 999_999) -> tuple[Path, Path]:
    """What `kill -9` between the two renames of the swap leaves: the old archive moved aside."""
    old = final.with_name(f".{final.name}.old-{pid}")
    final.rename(old)
    building = final.with_name(f".{final.name}.building-k1ll3d")
    building.mkdir()
    (building / "half.html").write_text("<html>", encoding="utf-8")
    return old, building


def test_recovery_restores_the_archive_a_killed_build_moved_aside(site):
    _, final = site
    before = tree(final)
    old, building = leftovers(final)
    with locked(final.parent):
        done = recover(final.parent)
    assert tree(final) == before and not old.exists() and not building.exists()
    assert any("已恢复" in line for line in done)


def test_recovery_leaves_a_live_build_alone_and_runs_for_every_unit(site):
    _, final = site
    old, building = leftovers(final)
    with locked(final.parent):  # a build of this unit is running: its directories are not stale
        assert recover_root(final.parent.parent) == []
    assert old.exists() and building.exists()
    assert len(recover_root(final.parent.parent)) == 2  # what the next build of any unit does
    assert final.is_dir() and not old.exists() and not building.exists()


KILL_DURING_SWAP = """
import os, sys
from pathlib import Path
from reportgen.build import build
rename = Path.rename
def rename_then_die(self, target):
    if ".building-" in self.name:
        os.kill(os.getpid(), 9)  # after the old archive moved aside, before the new one landed
    return rename(self, target)
Path.rename = rename_then_die
build(Path(sys.argv[1]), Path(sys.argv[2]), ("html",))
"""


def test_kill_9_between_the_renames_is_recovered_by_the_next_build(site):
    book, final = site
    before = tree(final)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", KILL_DURING_SWAP, str(book), str(final.parent.parent)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == -9, proc.stderr
    assert not final.exists() and [p.name for p in final.parent.glob(".2020.old-*")]
    again = build(book, final.parent.parent, ("html",))  # the next build restores, then replaces
    assert any("已恢复" in line for line in again.recovered)
    after = tree(final)
    assert after.pop("manifest.json") and after == {k: v for k, v in before.items() if k != "manifest.json"}
    assert sorted(p.name for p in final.parent.iterdir()) == ["2020"]


@pytest.mark.parametrize("problem", ["read-only", "a-file", "full"])
def test_an_output_root_that_cannot_be_written_is_one_line_and_exit_2(site, capsys, monkeypatch, problem):
    book, final = site
    root = final.parent.parent
    before = tree(root)
    if problem == "read-only":
        def refuse(*args, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system", str(root))
        monkeypatch.setattr(build_module.tempfile, "mkdtemp", refuse)
    elif problem == "a-file":
        root = root.parent / "afile"
        root.write_text("not a folder")
    else:
        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr("reportgen.kinds.juesuan.charts.write_charts", full)  # the kind imports it for charts
    code, out, err = cli(capsys, "build", str(book), "--output", str(root), "--formats", "html")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "无法写入输出目录" in err and "Traceback" not in err
    assert {"read-only": "文件系统只读", "a-file": "不是目录", "full": "磁盘空间不足"}[problem] in err
    assert tree(final.parent.parent) == before  # nothing half-written, no temporary left


@pytest.mark.parametrize("options, reason", [("size=200k", "磁盘空间不足"), ("ro,size=200k", "文件系统只读")])
def test_a_real_full_or_read_only_file_system(site, tmp_path, capsys, options, reason):
    """The same through a real tmpfs, where one can be mounted (root); elsewhere the test above covers it."""
    book, _ = site
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        code, out, err = cli(capsys, "build", str(book), "--output", str(mnt), "--formats", "html")
        left = sorted(p.name for p in mnt.rglob("*"))
    finally:
        subprocess.run(["umount", str(mnt)], check=True)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and reason in err
    assert left == []  # nothing half-written


def test_a_second_build_of_the_same_unit_waits_its_turn(site, capsys):
    book, final = site
    before = tree(final)
    with locked(final.parent):
        code, _, err = cli(capsys, "build", str(book), "--output", str(final.parent.parent), "--formats", "html")
    assert code == 2 and "另一个 reportgen 正在生成" in err and tree(final) == before


# -- verify never trusts a path from an archive --------------------------------------------------

def test_verify_names_a_workbook_changed_after_the_build(site, capsys):
    book, final = site
    build(book, final.parent.parent, ("pdf",))  # the embedded copy; the HTML is kept
    wb = load_workbook(book)
    wb.save(book)
    code, out, _ = cli(capsys, "verify", str(final))
    assert code == 1 and f"输入 {book} 与归档记录不同" in out and "PDF 中附带的副本 yicheng-2020.xlsx" in out
    assert "[相同]" in out and "[不同]" not in out and "--embedded" in out
    code, out, _ = cli(capsys, "verify", str(final), "--embedded")
    assert code == 0 and "PDF 附件（yicheng-2020.xlsx）" in out and "逐字节相同" in out


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_forged_or_broken_archive_is_refused_cleanly(site, tmp_path, capsys, caplog, monkeypatch, case):
    _, final = site
    outside = tmp_path / "outside"
    outside.mkdir()
    CASES[case](final, outside)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "systmp"))  # verify's scratch, inside tmp_path
    (tmp_path / "systmp").mkdir()
    before = tree(tmp_path)
    code, out, err = cli(capsys, "verify", str(final))
    assert code in (1, 2), out + err
    assert "Traceback" not in out + err and "内部错误" not in out + err and "reportgen-verify-" not in err
    assert not [r for r in caplog.records if r.levelname != "DEBUG"]  # a library's warning is a second line
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("错误 "), err
    else:
        assert "[不同]" in out or "[缺失]" in out
    assert tree(tmp_path) == before  # nothing written anywhere: not outside, not in the archive
    assert not Path("/evil.xlsx").exists()
