#!/usr/bin/env bash
# The CASE import at state scale: a generated package of 5 000 items and
# 30 000 associations (scripts/gen-case-package.py), imported into a new
# curriculum. Wall time from hyperfine (3 warm-ups, 10 runs), peak memory from
# GNU time. Not part of scripts/bench.sh; about 1 minute on 2 cores.
#
# Usage: scripts/bench-case-import.sh [ITEMS ASSOCIATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-5000}
associations=${2:-30000}
work=target/bench/case-import
rm -rf "$work"
mkdir -p "$work"
cargo build --locked --release --quiet
cib=$PWD/target/release/cib
python3 scripts/gen-case-package.py "$work/package.json" "$items" "$associations"
"$cib" init "$work/c" --template machining >/dev/null
cd "$work/c"
import=("$cib" import case ../package.json --id generated --out ../generated.yaml --force)
"${import[@]}" 2>&1 | tail -3
hyperfine --style basic --warmup 3 --runs 10 --export-json ../hyperfine.json "${import[*]}"
/usr/bin/time -f "peak RSS %M KiB, %e s" "${import[@]}" 2>&1 | tail -1
echo "package $(du -k ../package.json | cut -f1) KiB; framework file $(du -k ../generated.yaml | cut -f1) KiB"
