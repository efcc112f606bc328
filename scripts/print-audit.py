#!/usr/bin/env python3
"""What a print run of a build would show, measured on its PDFs.

Usage: scripts/print-audit.py [ROOT]   (default: .; reads ROOT/build)

Reports, and exits 1 if any is not zero:
- parts of a double-sided bundle (lessons, assessment sheets) that start on an
  even page, the back of a sheet, read from the bundle's bookmarks;
- PDFs whose last page is nearly empty: the page body (inside the margins)
  holds no more than three lines' height of ink, text or drawing;
- competency and standard codes in the lesson plans' alignment tables that
  pdftotext reads back broken (a code split over two lines loses its hyphen
  when copied: `dese-vmach` becomes `desevmach`).

Needs qpdf and poppler-utils (pdftotext, pdftoppm).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

# US Letter at 72 pt per inch; the templates' top and bottom margins are 0.9 in.
PAGE_HEIGHT = 11 * 72
MARGIN = 0.9 * 72
# Three lines of 11 pt body text with typst's leading.
THREE_LINES = 3 * 11 * 1.2 + 2 * 0.62 * 11


def run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout


def page_count(pdf):
    return int(run("qpdf", "--show-npages", str(pdf)))


def bundle_starts(pdf):
    """(title, first page) of each part: the top-level bookmarks after the
    front's own ("Contents")."""
    data = json.loads(run("qpdf", "--json=2", "--json-key=outlines", str(pdf)))
    starts = []
    for item in data["outlines"]:
        if item["title"] == "Contents":
            continue
        starts.append((item["title"], item["destpageposfrom1"]))
    return starts


def ink_height(pdf, page):
    """The height in points between the top of the page body and the lowest
    ink inside the body (the running header and footer sit in the margins)."""
    dpi = 24
    grey = run("pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page),
               str(pdf))
    # PGM: "P5\n<w> <h>\n255\n" then the rows.
    parts = grey.split(b"\n", 3)
    width, height = (int(x) for x in parts[1].split())
    pixels = parts[3]
    scale = dpi / 72
    top = int(MARGIN * scale)
    bottom = int((PAGE_HEIGHT - MARGIN) * scale)
    lowest = None
    for row in range(top, min(bottom, height)):
        line = pixels[row * width:(row + 1) * width]
        if min(line) < 200:
            lowest = row
    return 0 if lowest is None else (lowest - top) / scale


def broken_codes(pdf, codes):
    """Codes of `codes` that appear in the text only with their hyphen lost."""
    text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-").decode()
    squeezed = set(re.findall(r"[a-z0-9]+[:.][A-Za-z0-9.\-]+", text))
    broken = []
    for code in codes:
        if code in text:
            continue
        if code.replace("-", "", 1) in text or code.replace("-", "") in squeezed:
            broken.append(code)
    return broken


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    build = root / "build"
    problems = 0

    even = []
    for pdf in sorted((build / "bundles").glob("*.pdf")):
        contents = run("pdftotext", "-f", "2", "-l", "2", str(pdf), "-").decode()
        if "double-sided" not in contents:
            continue
        for title, first in bundle_starts(pdf):
            if first % 2 == 0:
                even.append(f"{pdf.name}: {title} starts on page {first}")
    print(f"parts of double-sided bundles starting on an even page: {len(even)}")
    for line in even:
        print("  " + line)
    problems += len(even)

    near_empty = []
    pdfs = sorted(p for p in build.rglob("*.pdf") if ".cache" not in p.parts)
    for pdf in pdfs:
        pages = page_count(pdf)
        if pages < 2:
            continue
        height = ink_height(pdf, pages)
        if height <= THREE_LINES:
            near_empty.append(f"{pdf.relative_to(build)}: last page {pages} holds {height:.0f} pt")
    print(f"PDFs (of {len(pdfs)}) whose last page holds three lines or less: {len(near_empty)}")
    for line in near_empty:
        print("  " + line)
    problems += len(near_empty)

    codes = set()
    for path in (root / "competencies").glob("*.yaml"):
        codes.update(re.findall(r"target:\s*([a-z0-9-]+:[^\s#]+)", path.read_text()))
    broken = []
    for pdf in sorted((build / "lessons").glob("*.instructor.pdf")):
        broken.extend(f"{pdf.name}: {code}" for code in broken_codes(pdf, codes))
    print(f"alignment codes read back broken: {len(broken)} (of {len(codes)} codes)")
    for line in broken:
        print("  " + line)
    problems += len(broken)

    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
