"""Render the document view through the Jinja templates into one HTML document."""

from __future__ import annotations

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .. import __version__
from ..analysis import Comparison
from ..document import DocumentView
from ..layouts import cn_ordinal
from ..paths import templates_dir
from ..profile import Words


def environment(kind: str = "juesuan") -> SandboxedEnvironment:
    # Sandboxed and autoescaped: templates are meant to be edited by finance offices, and
    # snippet text must never become markup.
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir() / kind)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(doc: DocumentView, kind: str = "juesuan") -> str:
    return environment(kind).get_template("document.html.j2").render(doc=doc, version=__version__,
                                                                      cn_ordinal=cn_ordinal)


def phrase(comparison: Comparison | None, words: Words, kind: str = "juesuan") -> str:
    """The template's wording of one comparison, e.g. 增加1,404.72万元，增长561.91%."""
    macros = environment(kind).get_template("macros.html.j2").module
    return str(macros.delta(comparison, words)).strip()
