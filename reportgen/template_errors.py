"""A section template from the unit's own profile folder that fails, as one line naming its file.

The unit's templates are its input: a mistake there is an input problem (exit 2) with the file
and line, never an internal error; a shipped template's mistake stays ours.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from .errors import Problem
from .profile import user_dirs


def _runtime(exc: TemplateError) -> str:
    """A template's run-time error in the unit's words (Jinja's own text kept as the detail)."""
    if isinstance(exc, TemplateNotFound):
        return f"找不到要引用的模板「{exc.name}」"
    if isinstance(exc, SecurityError):
        return f"模板用了不允许的写法（{exc}）"
    if isinstance(exc, UndefinedError):
        name = re.search(r"'([^']+)' (?:is undefined|$)|attribute '([^']+)'", str(exc))
        what = next((g for g in name.groups() if g), "") if name else ""
        return f"模板用到了没有的数值「{what}」（{exc}）" if what else f"模板用到了没有的数值（{exc}）"
    return f"模板运行出错（{exc}）"


def user_template_problem(exc: Exception) -> Problem | None:
    """The unit's own template behind `exc` as one line naming its file and line, or None when
    the error is not in a template from the unit's profile folders."""
    mine = [d.resolve() for d in user_dirs()]

    def own(name: str | None) -> Path | None:
        path = Path(name).resolve() if name else None
        return path if path is not None and any(path.is_relative_to(d) for d in mine) else None

    hint = "（改正后可用 reportgen profile check 检查样式文件夹）"
    if isinstance(exc, TemplateSyntaxError) and (path := own(exc.filename)):
        return Problem(str(path), f"第{exc.lineno}行", f"模板写法有误：{exc.message}{hint}")
    if isinstance(exc, TemplateError):
        # Jinja rewrites the traceback so that template code shows as frames of the .j2 file.
        frames = [(own(f.filename), f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
        path, line = next(((p, n) for p, n in reversed(frames) if p is not None), (None, 0))
        return Problem(str(path), f"第{line}行", f"{_runtime(exc)}{hint}") if path else None
    files = sorted(p for d in mine for p in d.rglob("*.j2"))
    if not files:
        return None
    where = str(files[0]) if len(files) == 1 else "、".join(str(d) for d in mine)
    return Problem(where, "", f"模板输出了不认识的标记（{exc}）；段落只能用 <p>、<h2>、<h3>、<strong>{hint}")
