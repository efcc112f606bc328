#!/usr/bin/env bash
# Validates every Common Cartridge `cib export cc` writes for this repository's
# curriculum with xmllint, offline: CC 1.1 cartridges against the schema set
# Moodle's import validates with (schemas/cc/v1p1), CC 1.3 ones against the
# official CC 1.3 schemas through an XML catalog (schemas/cc/v1p3); every quiz
# file against the CC profile of QTI 1.2.1. Moodle also recognises a 1.1
# cartridge only by its namespace in the manifest's first 500 bytes: checked.
#
# Usage: scripts/cc-validate.sh [ROOT]   (the curriculum root, default .)
# Needs xmllint (Debian: libxml2-utils; .ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-.}
work=$PWD/target/cc-validate
schemas=$PWD/schemas/cc
rm -rf "$work"
mkdir -p "$work"
cargo build --locked --release --quiet
cib=$PWD/target/release/cib

catalog=$work/catalog.xml
sed "s#@DIR@#$schemas/v1p3#g" "$schemas/v1p3/catalog.xml" > "$catalog"

summary=()
for version in 1.1 1.3; do
    out=$work/out-$version
    "$cib" --root "$root" export cc --cc-version "$version" --out "$out" >/dev/null
    cartridges=0
    quizzes=0
    for cartridge in "$out"/lms/*.imscc; do
        dir=$work/unpacked-$version/$(basename "$cartridge" .imscc)
        python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$cartridge" "$dir"
        manifest=$dir/imsmanifest.xml
        if [[ $version == 1.1 ]]; then
            head -c 500 "$manifest" | tr -d ' \n"' | grep -q 'xmlns=http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1' || {
                echo "$cartridge: Moodle would not recognise it: no CC 1.1 namespace in the manifest's first 500 bytes" >&2
                exit 1
            }
            xmllint --nonet --noout --schema "$schemas/v1p1/cc11libxml2validator.xsd" "$manifest" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
        else
            XML_CATALOG_FILES=$catalog xmllint --nonet --noout --schema "$schemas/v1p3/ccv1p3_imscp_v1p2_v1p0.xsd" "$manifest" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
        fi
        for quiz in "$dir"/quizzes/*/assessment_qti.xml; do
            [[ -e $quiz ]] || continue
            xmllint --nonet --noout --schema "$schemas/v1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd" "$quiz" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
            quizzes=$((quizzes + 1))
        done
        cartridges=$((cartridges + 1))
    done
    if ((cartridges == 0)); then
        echo "no CC $version cartridge was written" >&2
        exit 1
    fi
    summary+=("$cartridges CC $version cartridges ($quizzes quiz files)")
done
echo "$(xmllint --version 2>&1 | head -1): ${summary[0]} and ${summary[1]} valid"
