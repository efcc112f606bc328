#!/usr/bin/env bash
# Benchmarks cib on generated curricula against the tools a team would otherwise
# combine — check-jsonschema on the same YAML, the typst CLI on the same typst
# sources — and prints one Markdown table for this machine and this run.
#
#   scripts/bench.sh            # the full run (about 12 minutes on 2 cores)
#   scripts/bench.sh --quick    # fewer repetitions, for trying the script
#
# It installs what it needs under target/bench/ (check-jsonschema in a venv,
# the typst CLI of the version in Cargo.lock) and hyperfine and GNU time from
# Debian if they are missing. Results: target/bench/results/ (hyperfine JSON)
# and target/bench/results/table.md. See BENCHMARKS.md for the method.
set -euo pipefail
cd "$(dirname "$0")/.."

runs_fast=10 runs_slow=3 runs_edit=5
if [[ "${1:-}" == "--quick" ]]; then
    runs_fast=3 runs_slow=1 runs_edit=2
fi

work=target/bench
results=$work/results
mkdir -p "$results"
check_jsonschema_version=0.39.0
typst_version=$(awk '/^name = "typst"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\n== %s\n' "$*" >&2; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

say "tools"
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    as_root apt-get update -qq
    as_root apt-get install -y -qq "${missing[@]}"
fi
if [[ ! -x $work/venv/bin/check-jsonschema ]]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q "check-jsonschema==$check_jsonschema_version"
fi
if [[ "$("$work/tools/bin/typst" --version 2>/dev/null | awk '{print $2}')" != "$typst_version" ]]; then
    cargo install typst-cli --version "=$typst_version" --locked --root "$work/tools"
fi
cargo build --release --locked
cib=$PWD/target/release/cib
typst=$PWD/$work/tools/bin/typst

say "curricula"
check_root=$work/check-1000
build_root=$work/build-200
rm -rf "$check_root" "$build_root" "$work/front-matter" "$work/typst-projects"
"$cib" generate "$check_root" --lessons 1000 --competencies 10000 --frameworks 10 --seed 1
"$cib" generate "$build_root" --lessons 200 --competencies 2000 --frameworks 4 --seed 1
"$cib" check --root "$check_root" --deny warnings
"$cib" check --root "$build_root" --deny warnings
# check-jsonschema reads YAML files, so each lesson's front matter (the YAML
# part of a lesson) becomes a file of its own.
mkdir -p "$work/front-matter"
for lesson in "$check_root"/lessons/*/*.md; do
    awk 'NR == 1 && /^---$/ { inside = 1; next } inside && /^---$/ { exit } inside' "$lesson" \
        >"$work/front-matter/$(basename "$lesson" .md).yaml"
done
cat >"$work/check-jsonschema.sh" <<EOF
#!/bin/sh
set -e
s=$check_root/schemas
$PWD/$work/venv/bin/check-jsonschema -q --schemafile \$s/curriculum.schema.json $check_root/curriculum.yaml
$PWD/$work/venv/bin/check-jsonschema -q --schemafile \$s/framework.schema.json $check_root/frameworks/*.yaml
$PWD/$work/venv/bin/check-jsonschema -q --schemafile \$s/competency-framework.schema.json $check_root/competencies/*.yaml
$PWD/$work/venv/bin/check-jsonschema -q --schemafile \$s/lesson.schema.json $work/front-matter/*.yaml
EOF
"$cib" --root "$build_root" export-typst "$work/typst-projects"
cat >"$work/typst-one.sh" <<EOF
#!/bin/sh
cd $PWD/$work/typst-projects
exec $typst compile --root "\$1" "\$2" "$PWD/$work/typst-out/\$1.pdf" \\
    --pdf-standard ua-1 --ignore-system-fonts --creation-timestamp 1788220800
EOF
# A bundle's front, then its lessons' PDFs, as one file: what cib assembles.
# qpdf keeps the pages and drops the structure tree, so it does less than cib.
cat >"$work/typst-join.sh" <<EOF
#!/bin/sh
cd $PWD/$work/typst-out
front=\$1
shift
for part in "\$@"; do set -- "\$@" "\$part.pdf"; shift; done
exec qpdf --empty --pages "\$front.pdf" "\$@" -- "\$front.joined.pdf"
EOF
# Every document, P processes at a time: one typst process per document, as a
# team without cib would run it, then one qpdf process per bundle.
cat >"$work/typst-build.sh" <<EOF
#!/bin/sh
set -e
list=$PWD/$work/typst-projects/projects.tsv
cut -f1,2 "\$list" | tr '\\t' '\\n' | xargs -n2 -P"\$1" $PWD/$work/typst-one.sh
awk -F'\\t' '\$4 != "" { gsub(",", " ", \$4); print \$1, \$4 }' "\$list" |
    xargs -L1 -P"\$1" $PWD/$work/typst-join.sh
EOF
chmod +x "$work/check-jsonschema.sh" "$work/typst-one.sh" "$work/typst-join.sh" "$work/typst-build.sh"
typst_all() { echo "$work/typst-build.sh $1"; }

say "check: cib vs check-jsonschema, 1000 lessons and 10000 competencies"
hyperfine -N -w 1 -r "$runs_fast" --export-json "$results/check-cib.json" \
    "$cib check --root $check_root"
hyperfine -w 0 -r "$runs_slow" --export-json "$results/check-jsonschema.json" \
    "$work/check-jsonschema.sh"

say "language server: an edit and a completion in a lesson of the same curriculum"
python3 scripts/bench-lsp.py "$cib" "$check_root" 50 | tee "$results/lsp.json"

say "build: cib vs the typst CLI, 200 lessons"
hyperfine -r "$runs_slow" --prepare "rm -rf $build_root/build $build_root/.build.cache" --export-json "$results/build-cib.json" \
    "$cib --root $build_root build --no-progress"
hyperfine -r "$runs_slow" --prepare "rm -rf $work/typst-out && mkdir $work/typst-out" \
    --export-json "$results/build-typst-serial.json" "$(typst_all 1)"
hyperfine -r "$runs_slow" --prepare "rm -rf $work/typst-out && mkdir $work/typst-out" \
    --export-json "$results/build-typst-2.json" "$(typst_all 2)"

say "rebuilds: nothing changed, one lesson edited"
"$cib" --root "$build_root" build --no-progress
hyperfine -N -w 1 -r "$runs_fast" --export-json "$results/noop.json" \
    "$cib --root $build_root build --no-progress"
edited=$build_root/lessons/gen-02/gen-02-lesson-0007.md
# Each call adds or removes one sentence at the end of one lesson.
cat >"$work/edit-lesson.sh" <<EOF
#!/bin/sh
if grep -q bench-edit $edited; then sed -i /bench-edit/d $edited
else echo "Edited for the benchmark (bench-edit)." >>$edited; fi
EOF
chmod +x "$work/edit-lesson.sh"
toggle=$work/edit-lesson.sh
hyperfine -r "$runs_edit" --prepare "$toggle" --export-json "$results/edit.json" \
    "$cib --root $build_root build --no-progress"
# What the edit had to typeset, as cib timed it: the lesson's own two PDFs,
# and everything else it re-rendered.
: >"$results/edit-documents.txt"
for _ in $(seq "$runs_edit"); do
    "$toggle"
    "$cib" --root "$build_root" build --no-progress --verbose 2>&1 | grep '^rendered .* in ' >>"$results/edit-documents.txt"
done

say "peak memory"
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
{
    echo "check-cib $(peak "$cib" check --root "$check_root")"
    echo "check-jsonschema $(peak "$work/check-jsonschema.sh")"
    rm -rf "$build_root/build" "$build_root/.build.cache"
    echo "build-cib $(peak "$cib" --root "$build_root" build --no-progress)"
    rm -rf "$work/typst-out" && mkdir "$work/typst-out"
    echo "build-typst $(peak sh -c "$(typst_all 1)")"
    echo "noop $(peak "$cib" --root "$build_root" build --no-progress)"
    "$toggle"
    echo "edit $(peak "$cib" --root "$build_root" build --no-progress)"
} >"$results/rss.txt"

say "table"
{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); $(rustc --version); cib $(git rev-parse --short HEAD); typst CLI $typst_version; check-jsonschema $check_jsonschema_version; $(date -u +%Y-%m-%d)."
    echo
    python3 scripts/bench-table.py "$results" "$edited"
} | tee "$results/table.md"
