#!/usr/bin/env bash
# Validates every CASE package `cib export case` writes for this repository's
# curriculum, and the re-export of every real package in tests/fixtures/case-real,
# with an independent validator: check-jsonschema (PyPI, pinned),
# against the official CASE 1.1 package schema in schemas/case/, with format
# checks on (its default), so a malformed UUID or date-time fails.
#
# Usage: scripts/case-validate.sh [ROOT]   (the curriculum root, default .)
# Installs check-jsonschema in a venv under target/case-validate/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-.}
work=target/case-validate
version=0.39.0

if [[ ! -x $work/venv/bin/check-jsonschema ]]; then
    rm -rf "$work/venv"
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q --disable-pip-version-check "check-jsonschema==$version"
fi

out=$work/export
rm -rf "$out"
cargo build --locked --release --quiet
cib=$PWD/target/release/cib
"$cib" --root "$root" export case --out "$out" >/dev/null
packages=("$out"/case/*.json)

# The real packages of tests/fixtures/case-real, imported into a new
# curriculum and exported again: what cib writes from what others wrote.
real=$work/real
rm -rf "$real"
"$cib" init "$real" --template machining >/dev/null
for package in tests/fixtures/case-real/*.json; do
    name=$(basename "$package" .json)
    "$cib" import case "$package" --id "$name" --root "$real" \
        --out "$real/frameworks/$name.yaml" >/dev/null 2>&1
done
# The Japanese package's characters are in no embedded font: an error for
# printing (C010), which does not stop an export.
"$cib" --root "$real" export case --out "$real/out" >/dev/null 2>&1
for package in tests/fixtures/case-real/*.json; do
    packages+=("$real/out/case/$(basename "$package")")
done
"$work/venv/bin/check-jsonschema" --schemafile schemas/case/case_v1p1_cfpackage-jsonschema1.json "${packages[@]}"
echo "check-jsonschema $version: ${#packages[@]} CASE 1.1 packages valid, $(ls tests/fixtures/case-real/*.json | wc -l) of them re-exports of real packages"
