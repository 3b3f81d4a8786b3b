"""What a build reports while it works. Library callers get silence; the CLI shows it on a terminal."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Receives the build's steps; this base class ignores them. `pages` is set by the PDF writer."""

    pages: int | None = None

    def step(self, text: str) -> None:
        """A new stage begins, e.g. 生成 PDF…"""

    def done(self) -> None:
        """The work is over: whatever was shown is cleared before the summary line."""


class TerminalProgress(Progress):
    """One status line on a terminal, rewritten at every step and cleared at the end."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.shown = False

    def step(self, text: str) -> None:
        self.stream.write(f"\r\033[K{text}")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def for_stream(stream: TextIO | None = None) -> Progress:
    """Progress shown on a terminal, nothing when output goes to a file or a pipe."""
    stream = stream or sys.stderr
    return TerminalProgress(stream) if stream.isatty() else Progress()
