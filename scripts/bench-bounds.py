#!/usr/bin/env python3
"""Builds the largest lessons `cib check` accepts and prints the time and peak
memory of each build: the evidence behind the per-lesson bound in SECURITY.md.

    scripts/bench-bounds.py [--cib target/release/cib] [--only CASE]... [--scale X]

Each case is a new curriculum (`cib init --template machining`) whose lesson
body is replaced by generated Markdown at one of C028's limits (see
`cib explain C028`), just inside it. The script checks that `cib check`
accepts the lesson, then runs `cib build` under GNU time and prints one
Markdown table row per case: seconds, peak resident memory, pages of the
lesson plan. --scale multiplies every size: above 1.05 or so, `cib check`
refuses each case with C028, and the row says so instead of building.

A benchmark, not a test: run it on the machine whose figures you report
(BENCHMARKS.md names it). It needs GNU time (/usr/bin/time) and pdfinfo.
"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = "lessons/shop-basics/shop-safety-and-steel-rule.md"

# C028's limits (src/check/rules/document_size.rs), per lesson or assessment.
TEXT_CHARS = 200_000
ELEMENTS = 8_000
TABLE_CELLS = 2_000
TABLE_COLUMNS = 16
FOOTNOTES = 300
IMAGE_MEGAPIXELS = 30

WORDS = (
    "the spindle speed follows from the cutting speed of the tool material and the "
    "diameter of the cutter so a larger cutter turns slower while the feed per tooth "
    "sets the chip load and with it the finish tolerance and tool life of the setup"
).split()


def prose(chars: int, seed: int = 0) -> str:
    out, i = [], seed
    total = 0
    while total < chars:
        word = WORDS[i % len(WORDS)]
        out.append(word)
        total += len(word) + 1
        i += 7
    return " ".join(out)[:chars].rstrip()


def paragraphs(scale: float) -> str:
    size = 700
    count = int(TEXT_CHARS * 0.97 * scale) // (size + 2)
    return "\n\n".join(prose(size, i) for i in range(count)) + "\n"


def one_paragraph(scale: float) -> str:
    return prose(int(TEXT_CHARS * 0.97 * scale)) + "\n"


def list_items(scale: float) -> str:
    # A tight list's item is one element; the list is one more.
    count = int(ELEMENTS * 0.98 * scale)
    return "".join(f"- step {i}\n" for i in range(count))


def table(rows: int, cols: int) -> str:
    head = "| " + " | ".join(f"col {c}" for c in range(cols)) + " |\n"
    rule = "|" + "---|" * cols + "\n"
    body = "".join(
        "| " + " | ".join(f"{r * cols + c:.3f}" for c in range(cols)) + " |\n"
        for r in range(rows - 1)
    )
    return head + rule + body


def tall_table(scale: float) -> str:
    cols = 4
    rows = int(TABLE_CELLS * scale) // cols
    return table(rows, cols)


def wide_table(scale: float) -> str:
    cols = int(TABLE_COLUMNS * scale)
    rows = TABLE_CELLS // TABLE_COLUMNS
    return table(rows, cols)


def many_tables(scale: float) -> str:
    # Tables up to the element limit: the table, its head, rows and cells count.
    cols, rows = 8, 60
    count = int(ELEMENTS * 0.98 * scale) // (cols * rows + rows + 1)
    return "\n".join(table(rows, cols) for _ in range(count))


def footnotes(scale: float) -> str:
    count = int(FOOTNOTES * scale)
    text = "\n\n".join(f"Point {i} of the setup.[^n{i}]" for i in range(count))
    notes = "\n".join(f"[^n{i}]: {prose(120, i)}" for i in range(count))
    return text + "\n\n" + notes + "\n"


def code_block(scale: float) -> str:
    lines = []
    n = 0
    total = 0
    while total < TEXT_CHARS * 0.97 * scale:
        line = f"N{n * 10} G01 X{n % 97 * 0.125:.4f} Y{n % 89 * 0.0625:.4f} F12.0"
        lines.append(line)
        total += len(line) + 1
        n += 1
    # A plain code block: a `gcode` one would also need the lesson's control.
    return "```text\n" + "\n".join(lines) + "\n```\n"


def png(width: int, height: int, shade: int) -> bytes:
    """A flat RGBA PNG: small on disk, `width` × `height` × 4 bytes decoded."""
    row = b"\x00" + bytes([shade, 128, 255 - shade, 255]) * width
    data = zlib.compress(row * height, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def images(scale: float, folder: Path) -> str:
    # Three photos of 4 000 × 2 500 px (10 megapixels, a phone's) to the per-lesson total.
    count = 3
    for i in range(count):
        (folder / f"photo-{i}.png").write_bytes(png(4000, int(IMAGE_MEGAPIXELS / 12 * 1000 * scale), 64 + i))
    return "\n\n".join(f"![A flat test image, number {i}](photo-{i}.png)" for i in range(count)) + "\n"


def noise_png(side: int) -> bytes:
    """An RGB PNG of random pixels: as large on disk as in memory, like a photo
    saved as PNG (3 bytes a pixel, which no compression shrinks)."""
    raw = b"".join(b"\x00" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


def everything(scale: float, folder: Path, print_rows: int = 4950, extra: str = "") -> str:
    """Every limit reached at once in one lesson: the worst case the bound covers."""
    (folder / "print.png").write_bytes(png(6000, int(print_rows * scale), 90))
    parts = ["![A flat test image at the pixel limit](print.png)\n" + extra]
    notes = int((FOOTNOTES - 1) * scale)
    parts.append("\n\n".join(f"Point {i}.[^n{i}]" for i in range(notes)))
    parts.append("\n".join(f"[^n{i}]: {prose(120, i)}" for i in range(notes)))
    parts.append(table(int(TABLE_CELLS * scale) // 4, 4))
    used_elements = 3 * notes + TABLE_CELLS // 4 * 5 + 3
    chars = sum(len(p) for p in parts)
    paragraph_count = int((TEXT_CHARS * 0.9 * scale - chars) * 0.8) // 702
    parts.extend(prose(700, i) for i in range(paragraph_count))
    used_elements += paragraph_count
    chars += paragraph_count * 702
    item = "- x\n"
    items = int(ELEMENTS * 0.93 * scale - used_elements)
    items = min(items, int((TEXT_CHARS * 0.97 * scale - chars) // len(item)))
    parts.append("".join(item for _ in range(items)))
    return "\n\n".join(parts) + "\n"


CASES = {
    "paragraphs": ("ordinary paragraphs, 700 characters each, to the text limit", paragraphs),
    "one-paragraph": ("one paragraph of the text limit's length", one_paragraph),
    "list": ("one-line list items to the element limit", list_items),
    "tall-table": ("one 4-column table to the cell limit", tall_table),
    "wide-table": ("one table of the column limit", wide_table),
    "tables": ("8 × 60 tables to the element limit", many_tables),
    "footnotes": ("footnotes to the footnote limit", footnotes),
    "code": ("one code block of G-code lines to the text limit", code_block),
    "images": ("three 10-megapixel photos: the per-lesson pixel limit", images),
    "everything": ("every limit at once: an image, footnotes, a table, paragraphs, a list", everything),
    "bundle": (
        "a bundle at its limits: 3 lessons like `everything` and 4 photo-like PNGs of 7.7 MB",
        None,
    ),
}

# The bundle case: lessons like `everything` (about 7 700 elements each, so
# 3 fill most of the bundle's 25 000) and random PNGs of 1 600 px (7.7 MB each,
# under C009's 8 MiB; 4 of them are 30.7 MB of the bundle's 32 MiB), shared out.
BUNDLE_LESSONS = 3
NOISE_IMAGES = 4
NOISE_SIDE = 1600


def bundle_case(scale: float, lesson: Path, front: str) -> None:
    folder = lesson.parent
    for copy in range(BUNDLE_LESSONS):
        shows = ""
        for n in range(copy, NOISE_IMAGES, BUNDLE_LESSONS):
            name = f"photo-{n}.png"
            (folder / name).write_bytes(noise_png(int(NOISE_SIDE * scale)))
            shows += f"\n![A noisy test photo, number {n}]({name})\n"
        # 24 flat megapixels and at most 2 × 2.6 noisy ones: 29.1 of 30.
        body = everything(scale, folder, print_rows=4000, extra=shows)
        text = front + "\n" + body
        if copy == 0:
            lesson.write_text(text)
        else:
            old_id = "id: " + lesson.stem
            (folder / f"{lesson.stem}-{copy}.md").write_text(text.replace(old_id, f"{old_id}-{copy}", 1))


def run_case(cib: str, name: str, scale: float, work: Path) -> str:
    what, make = CASES[name]
    root = work / name
    subprocess.run([cib, "init", str(root), "--template", "machining"], check=True, capture_output=True)
    lesson = root / LESSON
    text = lesson.read_text()
    front = text[: text.index("\n---\n", 4) + 5]
    if name == "bundle":
        bundle_case(scale, lesson, front)
    else:
        body = make(scale, lesson.parent) if name in ("images", "everything") else make(scale)
        lesson.write_text(front + "\n" + body)
    size = sum(f.stat().st_size for f in lesson.parent.iterdir())
    check = subprocess.run([cib, "check", "--format", "short", "--color", "never"], cwd=root, capture_output=True, text=True)
    refused = check.returncode != 0
    codes = sorted(set(re.findall(r"error\[(\w+)\]", check.stdout)))
    if refused:
        return f"| {name} | {what} | {size / 1e6:.2f} MB | refused ({', '.join(codes)}) | – | – | – |"
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", cib, "build", "--no-progress", "--color", "never"],
        cwd=root, capture_output=True, text=True,
    )
    last = timed.stderr.strip().splitlines()[-1]
    seconds, kib = last.split()
    if timed.returncode != 0:
        return f"| {name} | {what} | {size / 1e6:.2f} MB | build failed: {timed.stderr.strip().splitlines()[0]} | | | |"
    pdf = next((root / "build/lessons").rglob("*shop-safety-and-steel-rule*instructor*.pdf"), None)
    pages = "?"
    if pdf is not None and shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = re.search(r"Pages:\s+(\d+)", info).group(1)
    return f"| {name} | {what} | {size / 1e6:.2f} MB | accepted | {float(seconds):.1f} s | {int(kib) / 1024:.0f} MiB | {pages} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cib", default=str(ROOT / "target/release/cib"))
    parser.add_argument("--only", action="append", choices=sorted(CASES))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, help="build the cases in this folder and keep them")
    args = parser.parse_args()
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("bench-bounds: needs GNU time at /usr/bin/time (Debian package `time`)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="cib-bounds-"))
    work.mkdir(parents=True, exist_ok=True)
    print("| case | lessons | files | `cib check` | build time | peak RSS | lesson plan pages |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    try:
        for name in args.only or CASES:
            print(run_case(args.cib, name, args.scale, work), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
