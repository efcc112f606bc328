#!/usr/bin/env bash
# Fuzzes cib's three entry points (src/fuzzing.rs) with cargo-fuzz and libFuzzer:
#   data_file    a YAML file of any kind: load, schema, resolve, rules, findings
#   lesson_file  a lesson: front-matter split, then the same
#   markdown     a lesson body through typst: it must typeset as PDF/UA-1 with all
#                its text on the page (unless cib check refuses it)
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 600, all three)
#
# Needs network once, for cargo-fuzz and the fuzz crate's dependencies. Runs on
# stable Rust through RUSTC_BOOTSTRAP=1. No sanitizer (-s none): cib and its
# dependencies on these paths are safe Rust, and AddressSanitizer would halve the
# executions per second. A failure leaves its input in fuzz/artifacts/TARGET/;
# copy it into tests/fixtures/fuzz/TARGET/, where `cargo test` replays it forever
# (fuzzing::tests::past_fuzz_findings_stay_fixed), then fix the cause.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(data_file lesson_file markdown)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
export RUSTC_BOOTSTRAP=1

# Seed each corpus from the repository's own curriculum and the past findings.
corpus=fuzz/corpus
mkdir -p "$corpus"/{data_file,lesson_file,markdown}
selector=0
for file in curriculum.yaml frameworks/*.yaml competencies/*.yaml; do
  case $file in
    curriculum.yaml) selector=0 ;;
    frameworks/*) selector=1 ;;
    *) selector=2 ;;
  esac
  { printf "\\x0$selector"; cat "$file"; } > "$corpus/data_file/seed-$(basename "$file")"
done
for file in lessons/*/*.md; do
  cp "$file" "$corpus/lesson_file/seed-$(basename "$file")"
  # The body alone: everything after the closing front-matter fence.
  awk 'n >= 2 { print } /^---$/ { n++ }' "$file" > "$corpus/markdown/seed-$(basename "$file")"
done
for target in data_file lesson_file markdown; do
  cp tests/fixtures/fuzz/$target/* "$corpus/$target/" 2>/dev/null || true
done

for target in "${targets[@]}"; do
  echo "== $target: ${seconds}s"
  cargo fuzz run -s none "$target" "$corpus/$target" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1
done
