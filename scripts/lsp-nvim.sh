#!/usr/bin/env bash
# A real editor as cib's language-server client: Debian's headless Neovim opens
# lessons of a curriculum (this repository's by default), receives cib's
# findings, reports a broken id at its place, and lists completions and a hover
# (scripts/nvim/lsp-check.lua). Nothing is saved. Usage:
#   scripts/lsp-nvim.sh [CIB_BINARY] [CURRICULUM]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cib="$(realpath "${1:-$here/../target/release/cib}")"
root="$(realpath "${2:-$here/..}")"
command -v nvim >/dev/null || { echo "lsp-nvim: nvim is not installed (apt-get install neovim)" >&2; exit 1; }
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
lessons="$(cd "$root" && find lessons -name '*.md' | sort)"
status=0
CIB_BIN="$cib" CIB_ROOT="$root" CIB_LESSONS="$lessons" CIB_OUT="$out" \
  timeout 120 nvim --headless -u NONE -i NONE -n -c "luafile $here/nvim/lsp-check.lua" \
  </dev/null >/dev/null 2>&1 || status=$?
python3 - "$out" "$status" "$(nvim --version | head -n 1)" <<'PY'
import json, sys
path, status, version = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    out = json.load(open(path))
except (OSError, ValueError):
    sys.exit(f"lsp-nvim: {version} wrote no result (exit {status})")
f = out.get("finding") or {}
print(f"lsp-nvim: {version}, {out['lessons']} lessons open, {out.get('findings_before')} findings published")
print(f"  typed an unknown id: {f.get('code')} at line {f.get('lnum', -1) + 1}, columns {f.get('col')}-{f.get('end_col')}: {f.get('message', '').splitlines()[0] if f else ''}")
print(f"  completion at `teaches: [MTT-`: {out.get('completion_count')} items, first {out.get('completion')}")
print(f"  hover: {out.get('hover')}")
for failure in out.get("failures", []):
    print(f"  FAILED: {failure}")
sys.exit(0 if status == 0 and not out.get("failures") else 1)
PY
