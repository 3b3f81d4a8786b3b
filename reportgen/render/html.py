"""Render the document view through the Jinja templates into one HTML document."""

from __future__ import annotations

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .. import __version__
from ..document import DocumentView
from ..paths import templates_dir


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
    return environment(kind).get_template("document.html.j2").render(doc=doc, version=__version__)
