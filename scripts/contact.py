"""Contact sheet of a PDF's pages, for looking at a whole document at once.

    python scripts/contact.py FILE.pdf OUT.png [DPI]
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image


def main(pdf: str, out: str, dpi: str = "40") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", dpi, "-png", pdf, f"{tmp}/p"], check=True)
        pages = [Image.open(p) for p in sorted(Path(tmp).glob("p-*.png"))]
        w = max(p.width for p in pages)
        h = max(p.height for p in pages)
        cols = 6
        sheet = Image.new("RGB", (cols * w, -(-len(pages) // cols) * h), "white")
        for i, p in enumerate(pages):
            sheet.paste(p, ((i % cols) * w, (i // cols) * h))
        sheet.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
