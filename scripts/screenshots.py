"""Screenshots of a built HTML file at phone and desktop widths, with headless Chromium.

    python scripts/screenshots.py output/<unit>/<year>/<name>.html [--out shots/] [--height 2400]

Writes <name>-375.png and <name>-1280.png (Debian: `apt-get install -y chromium`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTHS = (375, 1280)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if exe := shutil.which(name):
            return exe
    sys.exit("Chromium is needed: apt-get install -y chromium")


def shoot(html: Path, out: Path, width: int, height: int) -> Path:
    target = out / f"{html.stem}-{width}.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={target}", html.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("--out", type=Path, default=Path("shots"))
    ap.add_argument("--height", type=int, default=2400)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        print(shoot(args.html, args.out, width, args.height))


if __name__ == "__main__":
    main()
