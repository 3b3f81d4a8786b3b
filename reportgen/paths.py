"""Where reportgen finds its templates."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    """templates/ of the checkout, or REPORTGEN_TEMPLATES for a finance office's own copy."""
    return Path(os.environ.get("REPORTGEN_TEMPLATES", ROOT / "templates"))
