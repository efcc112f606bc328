#!/usr/bin/env python3
"""The table of scripts/bench.sh: reads its results folder, prints Markdown.

Usage: bench-table.py RESULTS_DIR EDITED_LESSON_PATH
"""

import json
import re
import sys
from pathlib import Path

results = Path(sys.argv[1])
edited = Path(sys.argv[2]).stem


def timing(name):
    """Mean and standard deviation in seconds of a hyperfine export."""
    run = json.loads((results / f"{name}.json").read_text())["results"][0]
    return run["mean"], run["stddev"] or 0.0


def seconds(value):
    mean, sd = value
    if mean < 1:
        return f"{mean * 1000:.0f} ms ± {sd * 1000:.0f}"
    return f"{mean:.2f} s ± {sd:.2f}"


rss = dict(line.split() for line in (results / "rss.txt").read_text().splitlines())


def mib(key):
    return f"{int(rss[key]) / 1024:.0f} MiB"


def verdict(ok):
    return "met" if ok else "**missed**"


# The edit runs, as `cib build --verbose` reported them: the edited lesson's own
# two PDFs, and everything else the edit made cib make again.
lesson_ms, other_ms, others = [], [], set()
runs = {}
for line in (results / "edit-documents.txt").read_text().splitlines():
    m = re.match(r"rendered (\S+) \(\d+ pages?\) in (\d+) ms", line)
    if m:
        runs.setdefault(m.group(1), []).append(int(m.group(2)))
edit_runs = max((len(v) for v in runs.values()), default=1)
for path, times in runs.items():
    if Path(path).name.startswith(edited + "."):
        lesson_ms.append(sum(times) / edit_runs)
    else:
        other_ms.append(sum(times) / edit_runs)
        others.add(path)
lesson_render = sum(lesson_ms) / 1000

check_cib, check_other = timing("check-cib"), timing("check-jsonschema")
lsp = json.loads((results / "lsp.json").read_text())
build_cib = timing("build-cib")
serial, two = timing("build-typst-serial"), timing("build-typst-2")
noop, edit = timing("noop"), timing("edit")

rows = [
    (
        "`cib check`, 1000 lessons / 10 000 competencies",
        seconds(check_cib),
        f"check-jsonschema: {seconds(check_other)}",
        f"{check_other[0] / check_cib[0]:.0f}× faster",
        "≥ 20× faster; < 1 s",
        verdict(check_other[0] / check_cib[0] >= 20 and check_cib[0] < 1),
    ),
    (
        "`cib lsp`: findings after a one-character edit of a lesson, same curriculum (median; 90th percentile)",
        f"{lsp['diagnostics_ms']['median']:.0f} ms; {lsp['diagnostics_ms']['p90']:.0f} ms",
        f"`cib check` of it all: {seconds(check_cib)}",
        f"{lsp['diagnostics_ms']['median'] / 1000 / check_cib[0]:.2f}×",
        "≤ 100 ms median",
        verdict(lsp["diagnostics_ms"]["median"] <= 100),
    ),
    (
        "`cib lsp`: completion at `teaches: [` (median; 90th percentile)",
        f"{lsp['completion_ms']['median']:.0f} ms; {lsp['completion_ms']['p90']:.0f} ms",
        f"{lsp['completion_ms']['items']} ids sent of 10 000",
        "",
        "≤ 50 ms median",
        verdict(lsp["completion_ms"]["median"] <= 50),
    ),
    (
        "`cib build` from nothing, 200 lessons (vs typst, one process per document, serially)",
        seconds(build_cib),
        f"typst CLI: {seconds(serial)}",
        f"{build_cib[0] / serial[0]:.2f}×",
        "≤ 0.5×",
        verdict(build_cib[0] / serial[0] <= 0.5),
    ),
    (
        "the same, typst 2 processes at a time",
        seconds(build_cib),
        f"typst CLI: {seconds(two)}",
        f"{build_cib[0] / two[0]:.2f}×",
        "≤ 0.5×",
        verdict(build_cib[0] / two[0] <= 0.5),
    ),
    (
        "no-op rebuild",
        seconds(noop),
        f"full build: {seconds(build_cib)}",
        f"{100 * noop[0] / build_cib[0]:.1f} % of full",
        "≤ 5 %",
        verdict(noop[0] <= 0.05 * build_cib[0]),
    ),
    (
        "rebuild after editing one lesson",
        seconds(edit),
        f"no-op {seconds(noop)} + the lesson's render {lesson_render * 1000:.0f} ms",
        f"+{(edit[0] - noop[0]) * 1000:.0f} ms over no-op = "
        f"{(edit[0] - noop[0]) / lesson_render:.1f}× the lesson's render",
        "≤ 1.1× the lesson's render",
        verdict(edit[0] - noop[0] <= 1.1 * lesson_render),
    ),
    (
        "peak RSS, `cib build` from nothing, 200 lessons",
        mib("build-cib"),
        f"typst CLI, largest process: {mib('build-typst')}",
        "",
        "≤ 1 GiB",
        verdict(int(rss["build-cib"]) <= 1024 * 1024),
    ),
]

print("| Measurement | cib | Compared with | Ratio | Target | |")
print("| --- | --- | --- | --- | --- | --- |")
for row in rows:
    print("| " + " | ".join(row) + " |")
print()
print(
    f"Peak RSS of the rest: `cib check` {mib('check-cib')}, check-jsonschema "
    f"{mib('check-jsonschema')} (largest of its 4 processes), `cib lsp` after "
    f"{lsp['edits']} edits {lsp['peak_rss_mib']} MiB (its first check took "
    f"{lsp['startup_s']:.2f} s), no-op rebuild {mib('noop')}, one-lesson rebuild {mib('edit')}."
)
print()
print(
    f"What the one-lesson edit made again, besides typesetting the lesson's own 2 PDFs "
    f"({lesson_render * 1000:.0f} ms): {len(others)} more PDF(s) in "
    f"{sum(other_ms):.0f} ms (a bundle's PDF is assembled, its front typeset only "
    f"when it changed): {', '.join(sorted(others)) or 'nothing'}."
)
