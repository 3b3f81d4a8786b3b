"""Command line: reportgen init | build | batch | validate | verify | profile | serve, every message in Chinese."""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .batch_command import add_parser as add_batch_parser
from .catalog import load_catalog
from .errors import InputError
from .kinds import DEFAULT, Kind, get_kind
from .kinds import names as kind_names
from .kinds import title as kind_title
from .model import Settings
from .performance.checks import summary_lines
from .profile import apply_profile, default_profile, profiles
from .progress import for_stream
from .refusals import NOTHING_FILLED, refusal_groups, sheet_heading
from .report import json_report, text_report

if TYPE_CHECKING:
    from .build import BuildResult

EXIT_OK, EXIT_ERRORS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.suffix.lower() != ".xlsx":
        print(f"错误 {target}：工作簿应以 .xlsx 结尾", file=sys.stderr)
        return EXIT_INPUT
    if target.exists() and not args.force:
        print(f"错误 {target}：文件已存在；加 --force 覆盖", file=sys.stderr)
        return EXIT_INPUT
    kind = get_kind(args.kind or DEFAULT, user_dirs(args))
    known = profiles()
    name = args.profile or default_profile()
    if name not in known:
        names = "、".join(dict.fromkeys(p.name for p in known.values()))
        print(f"错误：没有名为「{name}」的样式；可用的样式：{names}", file=sys.stderr)
        return EXIT_INPUT
    prof = known[name]
    # The profile's defaults are written out, so the sheet shows what the document will use;
    # --who, when given, overrides the profile's 称谓 like any value typed into the sheet.
    settings = Settings(unit_name=args.unit or "", year=args.year, profile=prof.name, kind=kind.title)
    apply_profile(settings, set())
    from .unit_sheets import share

    # The unit's 单位信息 and 文字 from its other workbook (决算 or 预算), when given.
    values, snippets = share(settings, Path(args.from_workbook) if args.from_workbook else None, args.unit)
    if not settings.unit_name:
        print("错误：缺少单位名称：用 --unit 给出，或用 --from 取已有工作簿的「单位信息」", file=sys.stderr)
        return EXIT_INPUT
    if args.who:
        settings.who = args.who
    from .needs import write_blank_workbook

    write_blank_workbook(kind, settings, target, snippets, values)
    print(f"已写入空白工作簿 {target}（{args.year}年度{kind.title} {settings.unit_name}，样式 {prof.name}，"
          f"称谓 {settings.who}）")
    return EXIT_OK


def user_dirs(args: argparse.Namespace) -> tuple[Path, ...]:
    """The unit's own profile folders: --profile-dir, then profile/ beside the workbook."""
    dirs = [Path(args.profile_dir)] if getattr(args, "profile_dir", None) else []
    beside = Path(getattr(args, "workbook", None) or getattr(args, "file", "")).parent / "profile"
    if beside.is_dir():
        dirs.append(beside)
    return tuple(dirs)


def cmd_profile_new(args: argparse.Namespace) -> int:
    from .profile_check import known, new_profile

    get_kind(args.kind or DEFAULT)
    source = known(args.source)
    if source is None:
        names = "、".join(dict.fromkeys(p.name for p in profiles().values()))
        print(f"错误：没有名为「{args.source}」的样式；可用的样式：{names}", file=sys.stderr)
        return EXIT_INPUT
    key = re.sub(r"[^0-9A-Za-z_\u4e00-\u9fff-]", "_", args.name) or "profile"
    folder = Path(args.dir)
    if (folder / f"{key}.toml").exists() and not args.force:
        print(f"错误 {folder / f'{key}.toml'}：文件已存在；加 --force 覆盖", file=sys.stderr)
        return EXIT_INPUT
    target = new_profile(args.name, source, folder, key)
    print(f"已写入样式 {target}（由「{source.name}」复制）。在「单位信息」的「样式」填「{args.name}」，"
          f"并把 {folder} 放在工作簿旁命名为 profile/，或生成时加 --profile-dir {folder}。")
    return EXIT_OK


def cmd_profile_check(args: argparse.Namespace) -> int:
    from .profile_check import check_folder

    kind = get_kind(args.kind or DEFAULT)
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"错误 {folder}：不是文件夹", file=sys.stderr)
        return EXIT_INPUT
    problems, tomls, templates = check_folder(folder, {k for k, _ in kind.sections})
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return EXIT_INPUT
    print(f"样式文件夹 {folder} 检查通过：{tomls} 个样式文件、{templates} 个模板。")
    return EXIT_OK


def build_summary(result: BuildResult, pages: int | None, draft: bool) -> str:
    """The one line a finished build ends with: where, what, how many pages, what to look at."""
    kinds = [f.suffix[1:].upper() + (f"（{pages} 页）" if f.suffix == ".pdf" and pages else "")
             for f in result.files if f.suffix in (".html", ".pdf", ".docx")]
    warnings = result.report.count("warning")
    line = f"{'草稿' if draft else '正式文档'}已生成于 {result.directory}：{'、'.join(kinds)}；警告 {warnings} 条"
    if result.kept:
        names = "、".join(f.name for f in result.kept[:3])
        names += f" 等 {len(result.kept)} 个文件" if len(result.kept) > 3 else ""
        line += f"；保留已有的 {names}（本次未重新生成）"
    if draft and (result.report.errors or result.missing):
        line += (f"；{len(result.report.errors)} 处校验错误、{len(result.missing)} 项待补充，"
                 "已列入文末「附：审核意见」")
    return line + "。"


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build  # WeasyPrint loads slowly; `init` does not need it

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    bad = [f for f in formats if f not in ("html", "pdf", "docx")]
    if bad:
        print(f"错误：--formats 只接受 html,pdf,docx，读到 {','.join(bad)}", file=sys.stderr)
        return EXIT_INPUT
    progress = for_stream(sys.stderr)
    try:
        result = build(Path(args.workbook), Path(args.output), formats, draft=args.draft, strict=args.strict,
                       kind=kind_for(args), profile_dirs=user_dirs(args),
                       catalog=Path(args.catalog) if args.catalog else None,
                       prior=Path(args.prior) if args.prior else None,
                       texts=Path(args.texts) if args.texts else None, progress=progress)
    finally:
        progress.done()
    if result.directory is None:
        for sheet, lines in refusal_groups(result).items():
            print(sheet_heading(sheet, len(lines), tuple(result.report.groups.values())), file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
        print(f"未生成正式文档：{len(result.report.errors)} 处校验错误，{len(result.missing)} 项待补充。"
              "修改后重试，或加 --draft 生成草稿。", file=sys.stderr)
        return EXIT_ERRORS
    for line in result.recovered:
        print(line, file=sys.stderr)
    print(build_summary(result, progress.pages, args.draft))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .archive import MANIFEST, verify
    from .build import build

    folder = Path(args.archive)
    if not folder.is_dir() or not (folder / MANIFEST).exists():
        print(f"错误 {folder}：不是 reportgen 归档目录（没有 {MANIFEST}）", file=sys.stderr)
        return EXIT_INPUT
    v = verify(folder, build, embedded=args.embedded)  # an untrusted archive raises InputError: one line, exit 2
    print(f"核验 {folder}（输入来自{v.source}）")
    for r in v.results:
        mark = {"identical": "相同", "different": "不同", "missing": "缺失", "other": "其他"}[r.status]
        print(f"  [{mark}] {r.path}{'：' + r.note if r.note else ''}")
    for line in v.changed:
        print(line)
    if v.ok:
        same = sum(r.status == "identical" for r in v.results)
        print(f"全部 {same} 个生成的文件逐字节相同。")
        return EXIT_OK
    if v.changed and all(r.status in ("identical", "other") for r in v.results):
        print("归档与 PDF 中附带的输入一致，但磁盘上的输入已改动；确认以附件为准请加 --embedded。")
        return EXIT_ERRORS
    print("可能的原因：" + ("；".join(v.causes) if v.causes else "输入与环境均与归档时相同，文件本身被改动"))
    return EXIT_ERRORS


def cmd_validate(args: argparse.Namespace) -> int:
    kind = get_kind(kind_for(args), user_dirs(args))
    d = kind.read(Path(args.workbook), Path(args.prior) if args.prior else None)
    catalog = load_catalog(d.settings.year, Path(args.catalog) if args.catalog else None)
    report = kind.validate(d, strict=args.strict, catalog=catalog)
    perf = [] if args.format == "json" else summary_lines(d)
    if d.nothing_filled():
        # Not "0 错误": nothing was checked, and there is nothing to publish, hence exit 1.
        if args.format == "json":
            print(json_report(report))
        else:
            print(f"校验 {report.source}\n{NOTHING_FILLED}")
            forms = replace(report, findings=[f for f in report.findings if f.table == "performance"], skipped=[])
            if forms.findings:  # the 绩效自评表 can be checked before the tables are filled
                print(text_report(forms).split("\n", 1)[1])
            if perf:
                print("\n".join(perf))
        return EXIT_ERRORS
    if args.format == "json":
        print(json_report(report))
    else:
        print("\n".join([text_report(report), *perf]))
        missing = missing_inputs(kind, d, catalog)
        if missing:
            print(f"\n正式文档还缺的内容（{len(missing)} 项，按样式的目录计算；未列入目录的部分不需要）")
            for m in missing:
                print(f"  {m.key}：{m.where}")
    return EXIT_ERRORS if report.errors else EXIT_OK


def missing_inputs(kind: Kind, d, catalog) -> list:
    """What the document's outline prints but the workbook lacks: the document tree is built
    (its sections' templates run), nothing is written and no PDF is laid out."""
    from .document import build_document

    n = kind.narrative(d, catalog)
    build_document(d, n, kind=kind)
    return n.missing


# argparse's own messages, in Chinese (pattern → replacement).
ARGPARSE_ZH = (
    (r"^the following arguments are required: (.+)$", r"缺少必需的参数：\1"),
    (r"^argument (.+?): invalid choice: (.+?) \(choose from (.+)\)$", r"参数 \1 的值 \2 无效，可选：\3"),
    (r"^argument (.+?): invalid int value: (.+)$", r"参数 \1 应为整数，读到 \2"),
    (r"^argument (.+?): invalid (\w+) value: (.+)$", r"参数 \1 的值无效：\3"),
    (r"^argument (.+?): expected one argument$", r"参数 \1 后面需要一个值"),
    (r"^argument (.+?): expected (.+)$", r"参数 \1 的值个数不对"),
    (r"^argument (.+?): not allowed with argument (.+)$", r"参数 \1 不能与 \2 同时使用"),
    (r"^argument (.+?): ignored explicit argument (.+)$", r"参数 \1 不接受值 \2"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
    (r"^ambiguous option: (.+?) could match (.+)$", r"选项 \1 有歧义，可能是：\2"),
)
HELP_ZH = (("usage: ", "用法："), ("positional arguments:", "位置参数："), ("options:", "选项："),
           ("show this help message and exit", "显示本帮助并退出"),
           ("show program's version number and exit", "显示版本号并退出"))


def translate(message: str) -> str:
    for pattern, replacement in ARGPARSE_ZH:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its usage, help headings and error messages in Chinese; exit 2 on misuse."""

    def format_usage(self) -> str:
        return self._zh(super().format_usage())

    def format_help(self) -> str:
        return self._zh(super().format_help())

    @staticmethod
    def _zh(text: str) -> str:
        for en, zh in HELP_ZH:
            text = text.replace(en, zh)
        return text

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}：错误：{translate(message)}（用 {self.prog} -h 查看帮助）\n")


def parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(
        prog="reportgen",
        description="由单位决算工作簿生成部门决算公开文档（PDF、DOCX、HTML）。",
    )
    p.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", title="命令")

    i = sub.add_parser("init", help="写一个官方格式的空白工作簿（决算：公开01–09表；预算：表1–表11；及单位信息、文字）")
    i.add_argument("file", help="要写的 .xlsx 文件")
    kind_option(i)
    i.add_argument("--year", type=int, required=True, help="决算或预算年度，如 2021")
    i.add_argument("--unit", help="单位名称，如 某某局（本级）（给出 --from 时可省略）")
    i.add_argument("--from", dest="from_workbook", metavar="工作簿",
                   help="从本单位已有的工作簿（决算或预算）取「单位信息」与「文字」，只填一次")
    i.add_argument("--who", choices=["部门", "单位"], help="称谓：部门 或 单位（默认取样式的称谓）")
    i.add_argument("--profile", help="样式名（见 reportgen/kinds/<类型>/profiles 与 --profile-dir；默认取文档类型"
                   "的默认样式；决定称谓、零值、标题、百分比位数等默认值）")
    i.add_argument("--profile-dir", help="本单位的样式文件夹（TOML 与模板）")
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

    add_batch_parser(sub)

    f = sub.add_parser("verify", help="按归档记录重新生成并逐字节比较（退出码 0 相同，1 有不同）")
    f.add_argument("archive", help="归档目录 output/<单位>/<年度>/（草稿：<年度>-草稿/）")
    f.add_argument("--embedded", "--使用附件", action="store_true",
                   help="只用 PDF 中附带的输入重新生成（不读磁盘上记录的输入文件）")
    f.set_defaults(func=cmd_verify)

    pr = sub.add_parser("profile", help="本单位的样式：profile new 复制一个起点，profile check 检查")
    psub = pr.add_subparsers(dest="action", required=True, metavar="操作", title="操作")
    pn = psub.add_parser("new", help="由已有样式复制出本单位的样式（TOML 与模板）")
    pn.add_argument("name", help="新样式名，如 某某区")
    pn.add_argument("--from", dest="source", required=True, help="从哪个已有样式复制（样式名）")
    pn.add_argument("--dir", default="profile", help="写到哪个文件夹（默认 profile，即放在工作簿旁自动使用）")
    pn.add_argument("--force", action="store_true", help="覆盖已有文件")
    kind_option(pn)
    pn.set_defaults(func=cmd_profile_new)
    pc = psub.add_parser("check", help="检查样式文件夹：未知的键、未知的部分、模板错误（含文件与行号）")
    pc.add_argument("dir", help="样式文件夹")
    kind_option(pc)
    pc.set_defaults(func=cmd_profile_check)

    v = sub.add_parser("validate", help="检查各表勾稽关系与科目，按表列出问题（退出码 0 通过，1 有错误，2 无法读取）")
    v.add_argument("workbook", help="官方格式的 .xlsx 工作簿")
    v.add_argument("--format", choices=["text", "json"], default="text",
                   help="text：中文报告；json：机器可读（格式见 reportgen/schemas/validate.schema.json）")
    checks(v)
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("serve", help="在本机启动网页（填写、检查、预览、发布），文件不发送到任何地方")
    s.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机可访问）")
    s.add_argument("--data", default="web-data", help="任务目录的位置（默认 web-data）")
    s.add_argument("--token", help="访问口令；监听非本机地址时必需")
    s.add_argument("--keep-hours", type=float, default=24, help="任务保留的小时数（默认 24）")
    s.add_argument("--example", action="append", default=[], help="开始页提供的示例工作簿（可多次给出）")
    s.set_defaults(func=cmd_serve)
    return p


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.app import StartError, serve

    try:
        serve(args.host, args.port, Path(args.data), args.token, args.keep_hours, [Path(p) for p in args.example])
    except StartError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def kind_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=kind_names(), default=None,
                   help="文档类型（" + "；".join(f"{k}：{kind_title(k)}" for k in kind_names()) +
                   f"）；不给时 build/validate 按工作簿「单位信息」的文档类型，init 为 {DEFAULT}")


def kind_for(args: argparse.Namespace) -> str:
    """--kind, else the workbook's own 「单位信息」 文档类型 (决算 / 预算), else the default kind."""
    from .unit_sheets import kind_of

    return args.kind or kind_of(Path(args.workbook), {kind_title(k): k for k in kind_names()}) or DEFAULT


def checks(p: argparse.ArgumentParser) -> None:
    kind_option(p)
    p.add_argument("--profile-dir", help="本单位的样式文件夹（TOML 与模板）；工作簿旁的 profile/ 文件夹自动使用")
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
