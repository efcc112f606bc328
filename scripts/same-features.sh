#!/usr/bin/env bash
# Fails when a crate that `cargo run` builds would be built with other features by
# `cargo test` or `cargo bench`. Cargo unifies a crate's features over the targets
# being built, so a dev-dependency that turns on one more feature of a shared crate
# makes the test build compile that crate, and every crate above it, a second time
# (typst included: about ten minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."

features() {
  cargo tree --locked -e "$1" --prefix none -f '{p} [{f}]' | sed 's/ (\*)$//; s/ (proc-macro)//' | sort -u
}
normal=$(features normal,build)
with_dev=$(features normal,build,dev)

# Crates in the normal build whose line (name, version, features) the test build lacks.
differ=$(comm -23 <(printf '%s\n' "$normal") <(printf '%s\n' "$with_dev"))
if [ -n "$differ" ]; then
  echo "These crates get other features in the test build than in the normal build:" >&2
  while IFS= read -r line; do
    crate=${line%% \[*}
    echo "  normal: $line" >&2
    printf '%s\n' "$with_dev" | grep -F -- "$crate [" | sed 's/^/  test:   /' >&2
  done <<<"$differ"
  echo "Ask for the test build's features in [dependencies] too (see either in Cargo.toml)." >&2
  exit 1
fi
echo "same-features: $(printf '%s\n' "$normal" | wc -l) crates of the normal build are built alike by the tests"
