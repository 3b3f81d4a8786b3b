"""Where a batch's units run: a local process pool (default) or a Dask cluster.

Both run plain module-level functions on picklable tasks and yield `(task, outcome)` as each
finishes, an outcome being the function's result or the exception it raised. A worker that
dies (segfault, out of memory, SIGKILL) fails only the units it may have held: the local pool
reruns the others in a fresh pool and a unit that breaks a pool twice is run alone, so one bad
unit never stops the rest.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol


class WorkerCrashed(Exception):
    """The process building a unit died before it could report."""


def warm() -> None:
    """Load once per worker what every unit needs: WeasyPrint with the CJK fonts, the compiled
    templates, the catalog and the profiles (each unit then starts where the last left off)."""
    import logging

    from weasyprint import HTML

    from .catalog import load_catalog
    from .profile import profiles
    from .sections import environment

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    env = environment()
    for name in ("document.html.j2", "macros.html.j2", "narrative.html.j2"):
        env.get_template(name)
    load_catalog(2020)
    profiles()
    HTML(string='<p style="font-family: Noto Serif CJK SC">决算 0.00</p>').write_pdf()


class Executor(Protocol):
    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """A ProcessPoolExecutor of `jobs` workers (default: one per core), warmed once each."""

    def __init__(self, jobs: int | None = None, initializer: Callable[[], None] | None = warm):
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        self.jobs = max(1, jobs or cores)
        self.initializer = initializer
        self.pool: ProcessPoolExecutor | None = None  # kept between runs: workers warm once

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=self.initializer)

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        queue = deque(tasks)
        suspects: deque[Any] = deque()  # in flight when a pool broke: each is rerun alone
        while queue or suspects:
            if suspects:
                task = suspects.popleft()
                with self._pool(1) as pool:
                    try:
                        outcome = pool.submit(fn, task).result()
                    except BrokenProcessPool:
                        outcome = WorkerCrashed("工作进程意外退出（可能内存不足或被强行终止）")
                    except Exception as exc:  # the unit's own failure is its outcome
                        outcome = exc
                yield task, outcome
                continue
            workers = self.jobs
            if self.pool is None:
                self.pool = self._pool(workers)
            pool = self.pool
            # No more tasks in flight than workers, so a broken pool implicates only those.
            inflight: dict[Future, Any] = {}
            broken = False
            try:
                while (queue or inflight) and not broken:
                    while queue and len(inflight) < workers:
                        task = queue.popleft()
                        inflight[pool.submit(fn, task)] = task
                    finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for f in finished:
                        task = inflight.pop(f)
                        try:
                            outcome = f.result()
                        except BrokenProcessPool:
                            suspects.append(task)
                            broken = True
                            continue
                        except Exception as exc:  # the unit's own failure is its outcome
                            outcome = exc
                        yield task, outcome
                if broken:
                    suspects.extend(inflight.values())
            finally:
                if broken or inflight:  # broken, or the caller stopped listening
                    pool.shutdown(wait=True, cancel_futures=True)
                    self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class DaskExecutor:
    """Tasks on a Dask distributed cluster. Every worker must see the same input and output paths
    (shared storage) and have reportgen installed (`pip install 'reportgen[dask]'`)."""

    def __init__(self, scheduler: str):
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("未安装 Dask：pip install 'reportgen[dask]'") from None
        self.client = Client(scheduler)
        self.client.run(warm)

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        from distributed import as_completed

        futures = {}
        for t in tasks:
            futures[self.client.submit(fn, t, pure=False)] = t
        for f in as_completed(futures):
            task = futures[f]
            try:
                yield task, f.result()
            except Exception as exc:  # a unit's failure or a lost worker: that unit's outcome only
                yield task, exc

    def close(self) -> None:
        self.client.close()


def executor_for(kind: str, jobs: int | None, scheduler: str | None) -> Executor:
    if kind == "dask":
        if not scheduler:
            raise ValueError("--executor dask 需要 --scheduler 地址（如 tcp://10.0.0.5:8786）")
        return DaskExecutor(scheduler)
    return LocalExecutor(jobs)
