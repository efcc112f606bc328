#!/usr/bin/env bash
# Validates every CASE package `cib export case` writes for this repository's
# curriculum with an independent validator: check-jsonschema (PyPI, pinned),
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
cargo run --locked --release --quiet -- --root "$root" export case --out "$out" >/dev/null
packages=("$out"/case/*.json)
"$work/venv/bin/check-jsonschema" --schemafile schemas/case/case_v1p1_cfpackage-jsonschema1.json "${packages[@]}"
echo "check-jsonschema $version: ${#packages[@]} CASE 1.1 packages valid"
