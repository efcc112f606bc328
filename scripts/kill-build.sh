#!/usr/bin/env bash
# Kills `cib build` with SIGKILL at random moments and checks, after each kill,
# that the output folder holds one complete build, the previous or the new one,
# every file matching its SHA256SUMS, and that the next build (which reuses the
# cache the killed one may have been writing) gives exactly the bytes of a
# build from nothing.
#
# Usage: scripts/kill-build.sh [KILLS]   (default 25; takes a few minutes)
#
# It works on a copy of this repository's curriculum in a temporary folder and
# alternates between two versions of one lesson, so that "previous" and "new"
# differ. A third of the kills drop the cache first and land anywhere in a long
# render from nothing, a third anywhere in a one-lesson rebuild, and a third near
# the rebuild's end, where the output is written, synced and swapped in.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-25}
cargo build --release --locked --quiet
cib=$PWD/target/release/cib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
git archive HEAD curriculum.yaml schemas frameworks competencies lessons | tar -x -C "$work/src"
lesson=$(ls "$work"/src/lessons/*/*.md | head -n 1)
cp "$lesson" "$work/lesson.a"
{ cat "$work/lesson.a"; printf '\nThis is version B of the lesson.\n'; } > "$work/lesson.b"

build() { # build VERSION OUT: a complete build, timed in milliseconds into $took
  cp "$work/lesson.$1" "$lesson"
  local start=$(date +%s%N)
  "$cib" --root "$work/src" build --no-progress --out "$2" >/dev/null 2>&1
  took=$(( ($(date +%s%N) - start) / 1000000 ))
}
verify() { # verify OUT: the folder is one whole build; prints which version
  local sums="$1/SHA256SUMS" version=""
  cmp -s "$sums" "$work/ref-a/SHA256SUMS" && version=a
  cmp -s "$sums" "$work/ref-b/SHA256SUMS" && version=b
  [ -n "$version" ] || { echo "FAIL: $1 is neither complete build"; return 1; }
  (cd "$1" && sha256sum --check --strict --quiet SHA256SUMS) || { echo "FAIL: a file of $1 does not match"; return 1; }
  local listed published
  listed=$(cut -c67- "$sums" | sort)
  published=$(cd "$1" && find . -type f ! -path './.*' ! -name SHA256SUMS | sed 's|^\./||' | sort)
  [ "$listed" = "$published" ] || { echo "FAIL: $1 holds files its SHA256SUMS does not list"; return 1; }
  echo "$version"
}

echo "reference builds from nothing..."
build a "$work/ref-a"; full=$took
build b "$work/ref-b"
build a "$work/out"
build b "$work/out"; incremental=$took
echo "full build ${full} ms, one-lesson rebuild ${incremental} ms"

done_kills=0 finished=0 round=0 version=b kept=0 swapped=0
while [ "$done_kills" -lt "$kills" ]; do
  round=$((round + 1))
  version=$([ "$version" = a ] && echo b || echo a)
  cp "$work/lesson.$version" "$lesson"
  # Kill moments spread over a whole build from nothing, over a one-lesson
  # rebuild, or close to its end, where the output is written and swapped.
  case $((round % 3)) in
    0) rm -rf "$work/.out.cache"; from=0; span=$((full * 11 / 10)) ;;
    1) from=0; span=$((incremental * 12 / 10)) ;;
    2) from=$((incremental * 8 / 10)); span=$((incremental * 4 / 10)) ;;
  esac
  delay=$(awk -v f="$from" -v s="$span" -v r="$RANDOM" 'BEGIN { printf "%.3f", (f + (r / 32768) * s) / 1000 }')
  "$cib" --root "$work/src" build --no-progress --out "$work/out" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    done_kills=$((done_kills + 1))
    state=$(verify "$work/out") || { echo "$state (kill $done_kills at ${delay}s)"; exit 1; }
    if [ "$state" = "$version" ]; then what="the new build"; swapped=$((swapped + 1)); else what="the previous build"; kept=$((kept + 1)); fi
    echo "kill $done_kills at ${delay}s: build/ holds $what, complete"
  else
    wait "$pid" 2>/dev/null || true
    finished=$((finished + 1))
  fi
  # The next build must finish and equal the build from nothing, byte for byte.
  build "$version" "$work/out"
  state=$(verify "$work/out") || { echo "$state (after kill $done_kills)"; exit 1; }
  [ "$state" = "$version" ] || { echo "FAIL: after kill $done_kills the build holds $state, not $version"; exit 1; }
done
echo "ok: $done_kills kills ($kept left the previous build, $swapped the new one; $finished more builds finished before their kill); every state complete, every next build identical to a build from nothing"
