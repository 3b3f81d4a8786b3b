"""The `reportgen batch` command line: arguments, the run, the summary, the exit status."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .errors import InputError

EXIT_OK, EXIT_ERRORS, EXIT_INPUT = 0, 1, 2


def add_parser(sub) -> None:
    b = sub.add_parser("batch", help="批量生成：多个工作簿、目录或 .zip，逐单位生成并汇总（全部为正式文档时退出码 0）")
    b.add_argument("inputs", nargs="+", metavar="输入", help="工作簿（.xlsx/.xls/.ods）、目录（递归查找）或 .zip")
    b.add_argument("--output", required=True, help="输出根目录（多机运行时须为各机共享的存储）")
    b.add_argument("--jobs", type=int, help="并行进程数（默认每个 CPU 核一个）")
    b.add_argument("--formats", default="html,pdf,docx", help="要生成的格式，逗号分隔")
    b.add_argument("--draft", action="store_true", help="无法生成正式文档的单位改为生成草稿（状态「仅草稿」）")
    b.add_argument("--prior-dir", help="上年工作簿所在目录：按单位名称与上一年度自动匹配")
    b.add_argument("--force", action="store_true", help="输入未变的单位也重新生成")
    b.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                   help="严格模式：各等式必须完全相等（金额单位为元时默认开启）")
    b.add_argument("--catalog", help="补充或更正科目目录的 CSV（列：code,name,note）")
    b.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local：本机多进程（默认）；dask：Dask 集群（需 --scheduler，pip install 'reportgen[dask]'）")
    b.add_argument("--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    b.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from . import batch, summary
    from .batch_inputs import collect
    from .executors import executor_for

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if bad := [f for f in formats if f not in ("html", "pdf", "docx")]:
        print(f"错误：--formats 只接受 html,pdf,docx，读到 {','.join(bad)}", file=sys.stderr)
        return EXIT_INPUT
    if args.executor == "dask" and not args.scheduler:
        print("错误：--executor dask 需要 --scheduler 地址（如 tcp://10.0.0.5:8786）", file=sys.stderr)
        return EXIT_INPUT
    if args.jobs is not None and args.jobs < 1:
        print(f"错误：--jobs 应为正整数，读到 {args.jobs}", file=sys.stderr)
        return EXIT_INPUT
    root = Path(args.output)
    for line in batch.clean_leftovers(root):
        print(line, file=sys.stderr)
    work = batch.work_directory(root)
    try:
        workbooks = collect([Path(p) for p in args.inputs], work)
        priors = collect([Path(args.prior_dir)], work / "prior") if args.prior_dir else []
        options = batch.Options(str(root.resolve()), formats, args.draft, args.strict,
                                str(Path(args.catalog).resolve()) if args.catalog else None)
        try:
            executor = executor_for(args.executor, args.jobs, args.scheduler)
        except (RuntimeError, OSError) as exc:
            print(f"错误：无法启动执行器：{exc}", file=sys.stderr)
            return EXIT_INPUT
        try:
            print(f"识别 {len(workbooks)} 个工作簿…", file=sys.stderr)
            p = batch.plan(workbooks, priors, options, executor, force=args.force)
            progress = summary.BatchProgress(len(workbooks), sys.stderr)
            for r in p.results:
                progress(r)
            results = p.results + list(batch.run(p.tasks, executor, progress))
            progress.close()
        finally:
            executor.close()
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("批量生成未开始：以上问题须先解决。", file=sys.stderr)
        return EXIT_INPUT
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(summary.table(results))
    js, xlsx = summary.write(results, root)
    print(f"汇总已写入 {xlsx} 与 {js}。")
    return EXIT_OK if all(r.status in batch.PUBLISHED for r in results) else EXIT_ERRORS
