"""Command line: reportgen init | build."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .catalog import load_catalog
from .checks import validate
from .errors import InputError
from .model import Settings
from .report import json_report, text_report
from .sources import read_workbook
from .workbook import blank_disclosure, save_workbook

EXIT_OK, EXIT_ERRORS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.suffix.lower() != ".xlsx":
        print(f"错误 {target}：工作簿应以 .xlsx 结尾", file=sys.stderr)
        return EXIT_INPUT
    if target.exists() and not args.force:
        print(f"错误 {target}：文件已存在；加 --force 覆盖", file=sys.stderr)
        return EXIT_INPUT
    settings = Settings(unit_name=args.unit, year=args.year, who=args.who, profile=args.profile or "")
    save_workbook(blank_disclosure(settings), target,
                  only={"unit_name", "year", "kind", "who", "profile"})
    print(f"已写入空白工作簿 {target}（{args.year}年度 {args.unit}）")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build  # WeasyPrint loads slowly; `init` does not need it

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    bad = [f for f in formats if f not in ("html", "pdf", "docx")]
    if bad:
        print(f"错误：--formats 只接受 html,pdf,docx，读到 {','.join(bad)}", file=sys.stderr)
        return EXIT_INPUT
    result = build(Path(args.workbook), Path(args.output), formats, draft=args.draft, strict=args.strict,
                   catalog=Path(args.catalog) if args.catalog else None,
                   prior=Path(args.prior) if args.prior else None,
                   texts=Path(args.texts) if args.texts else None)
    if result.directory is None:
        for line in result.refusals:
            print(line, file=sys.stderr)
        print(f"未生成正式文档：{len(result.report.errors)} 处校验错误，{len(result.missing)} 项待补充。"
              "修改后重试，或加 --draft 生成草稿。", file=sys.stderr)
        return EXIT_ERRORS
    for line in result.recovered:
        print(line, file=sys.stderr)
    for f in result.files:
        print(f"已生成 {f}")
    for f in result.kept:
        print(f"保留 {f}（这次未重新生成，原样保留）")
    if args.draft and result.refusals:
        print(f"草稿：{len(result.report.errors)} 处校验错误，{len(result.missing)} 项待补充，"
              "已列入文末「附：审核意见」。", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .archive import MANIFEST, verify

    folder = Path(args.archive)
    if not folder.is_dir() or not (folder / MANIFEST).exists():
        print(f"错误 {folder}：不是 reportgen 归档目录（没有 {MANIFEST}）", file=sys.stderr)
        return EXIT_INPUT
    v = verify(folder, embedded=args.embedded)  # an untrusted archive raises InputError: one line, exit 2
    print(f"核验 {folder}（输入来自{v.source}）")
    for r in v.results:
        mark = {"identical": "相同", "different": "不同", "missing": "缺失"}[r.status]
        print(f"  [{mark}] {r.path}{'：' + r.note if r.note else ''}")
    for line in v.changed:
        print(line)
    if v.ok:
        print(f"全部 {len(v.results)} 个文件逐字节相同。")
        return EXIT_OK
    if v.changed and all(r.status == "identical" for r in v.results):
        print("归档与 PDF 中附带的输入一致，但磁盘上的输入已改动；确认以附件为准请加 --embedded。")
        return EXIT_ERRORS
    print("可能的原因：" + ("；".join(v.causes) if v.causes else "输入与环境均与归档时相同，文件本身被改动"))
    return EXIT_ERRORS


def cmd_validate(args: argparse.Namespace) -> int:
    d = read_workbook(Path(args.workbook), Path(args.prior) if args.prior else None)
    catalog = load_catalog(d.settings.year, Path(args.catalog) if args.catalog else None)
    report = validate(d, strict=args.strict, catalog=catalog)
    print(json_report(report) if args.format == "json" else text_report(report))
    return EXIT_ERRORS if report.errors else EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reportgen",
        description="由单位决算工作簿生成部门决算公开文档（PDF、DOCX、HTML）。",
    )
    p.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    i = sub.add_parser("init", help="写一个官方格式的空白工作簿（公开01–09表、单位信息、文字）")
    i.add_argument("file", help="要写的 .xlsx 文件")
    i.add_argument("--kind", choices=["juesuan"], default="juesuan", help="文档类型（决算）")
    i.add_argument("--year", type=int, required=True, help="决算年度，如 2021")
    i.add_argument("--unit", required=True, help="单位名称，如 某某局（本级）")
    i.add_argument("--who", choices=["部门", "单位"], default="部门", help="称谓：部门 或 单位")
    i.add_argument("--profile", help="样式：深圳、峄城 或 四川（决定零值、标题、百分比位数等默认值）")
    i.add_argument("--force", action="store_true", help="覆盖已有文件")
    i.set_defaults(func=cmd_init)

    b = sub.add_parser("build", help="读取工作簿，生成 output/<单位>/<年度>/（草稿：<年度>-草稿/）下的 HTML、PDF、DOCX")
    b.add_argument("workbook", help="官方格式的 .xlsx 工作簿")
    b.add_argument("--output", default="output", help="输出根目录（默认 output）")
    b.add_argument("--formats", default="html,pdf,docx", help="要生成的格式，逗号分隔")
    b.add_argument("--draft", action="store_true",
                   help="草稿：有校验错误或待补充内容也生成，每页加水印，文末附审核意见")
    b.add_argument("--texts", help="文字说明的 Markdown 文件（每个「## 键」一段；默认取工作簿旁的同名 .md）")
    checks(b)
    b.set_defaults(func=cmd_build)

    f = sub.add_parser("verify", help="按归档记录重新生成并逐字节比较（退出码 0 相同，1 有不同）")
    f.add_argument("archive", help="归档目录 output/<单位>/<年度>/（草稿：<年度>-草稿/）")
    f.add_argument("--embedded", "--使用附件", action="store_true",
                   help="只用 PDF 中附带的输入重新生成（不读磁盘上记录的输入文件）")
    f.set_defaults(func=cmd_verify)

    v = sub.add_parser("validate", help="检查各表勾稽关系与科目，按表列出问题（退出码 0 通过，1 有错误，2 无法读取）")
    v.add_argument("workbook", help="官方格式的 .xlsx 工作簿")
    v.add_argument("--format", choices=["text", "json"], default="text",
                   help="text：中文报告；json：机器可读（格式见 reportgen/schemas/validate.schema.json）")
    checks(v)
    v.set_defaults(func=cmd_validate)
    return p


def checks(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                   help="严格模式：各等式必须完全相等（金额单位为元时默认开启）")
    p.add_argument("--catalog", help="补充或更正科目目录的 CSV（列：code,name,note）")
    p.add_argument("--prior", help="上年决算工作簿：「上年数」表未填的上年数从其公开表中取")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断；输出目录保持原样。", file=sys.stderr)
        return 130
    except Exception as exc:  # a traceback is for developers, on request
        if os.environ.get("REPORTGEN_DEBUG"):
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}（设置 REPORTGEN_DEBUG=1 查看详情；"
              "输出目录保持原样）", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
