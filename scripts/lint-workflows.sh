#!/usr/bin/env bash
# Lints cib's GitHub Actions workflows — the release workflow and the one
# `cib init` writes, as it writes it — with actionlint (correctness: syntax,
# expressions, runner labels, action inputs) and zizmor (security: pinned
# actions, credentials, injection, permissions). Both run offline.
#
#   scripts/lint-workflows.sh [CIB]     # CIB: the cib binary (target/release/cib)
set -euo pipefail
cd "$(dirname "$0")/.."
cib=${1:-target/release/cib}
zizmor_version=1.33.1
venv=target/lint/venv

(cd scripts/workflows && npm ci --no-audit --no-fund --loglevel=error)
if [[ "$("$venv/bin/zizmor" --version 2>/dev/null)" != "zizmor $zizmor_version" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "zizmor==$zizmor_version"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cib" init "$work/curriculum" --title "Workflow Lint" >/dev/null
cp "$work/curriculum/.github/workflows/curriculum.yml" "$work/init-curriculum.yml"
workflows=(.github/workflows/*.yml "$work/init-curriculum.yml")

node scripts/workflows/lint.mjs "${workflows[@]}"
# --offline: no audit that asks GitHub's API (this machine reaches only
# package registries); the pinning, credential and injection audits all run.
"$venv/bin/zizmor" --offline --no-progress "${workflows[@]}"
