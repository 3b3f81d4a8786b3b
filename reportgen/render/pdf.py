"""PDF through WeasyPrint: fonts embedded and subset, no dated metadata."""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import HTML


def write_pdf(html: str, target: Path, base_url: str | None = None) -> None:
    # WeasyPrint logs every CSS property it ignores; users need none of that on their terminal.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=base_url or str(Path.cwd()))
    document.write_pdf(target, uncompressed_pdf=False)
