#!/usr/bin/env python3
"""Packs a release build of cib as the release workflow attaches it.

    scripts/package-release.py TARGET BINARY OUT_DIR [--tag vX.Y.Z]

writes OUT_DIR/cib-VERSION-TARGET.tar.gz (.zip for Windows) holding one folder,
cib-VERSION-TARGET/, with the binary, README.md, the licence texts and
SECURITY.md, and beside it ARCHIVE.sha256 in `sha256sum` format. The version is
what the binary itself says (`cib --version`), which also proves it runs on the
machine that built it; with --tag, a tag that is not v + that version fails.

The archives are reproducible: entries in name order, one fixed time stamp
(SOURCE_DATE_EPOCH, else the commit's time, else 0), no owner names, fixed
modes. Python's standard library does this the same way on Linux, macOS and
Windows, where tar and zip programs differ.
"""

import argparse
import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["README.md", "SECURITY.md", "LICENSE-MIT", "LICENSE-APACHE"]


def fail(message: str) -> None:
    print(f"package-release: {message}", file=sys.stderr)
    sys.exit(1)


def epoch() -> int:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=True,
        )
        return int(out.stdout.strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 0


def version_of(binary: Path) -> str:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        fail(f"{binary} does not run: {e}")
    words = out.stdout.split()
    if len(words) != 2 or words[0] != "cib":
        fail(f"`{binary} --version` printed {out.stdout!r}, not `cib VERSION`")
    return words[1]


def entries(binary: Path, folder: str, windows: bool) -> list[tuple[str, bytes, int]]:
    name = "cib.exe" if windows else "cib"
    files = [(f"{folder}/{name}", binary.read_bytes(), 0o755)]
    for doc in DOCS:
        path = ROOT / doc
        if not path.is_file():
            fail(f"{doc} is missing: every archive carries it")
        files.append((f"{folder}/{doc}", path.read_bytes(), 0o644))
    return sorted(files)


def tar_gz(files: list[tuple[str, bytes, int]], folder: str, mtime: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        top = tarfile.TarInfo(folder)
        top.type, top.mode, top.mtime = tarfile.DIRTYPE, 0o755, mtime
        tar.addfile(top)
        for name, data, mode in files:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, mtime
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    # No file name and a fixed time in the gzip header, so the bytes repeat.
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=mtime, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def zip_bytes(files: list[tuple[str, bytes, int]], mtime: int) -> bytes:
    import time

    stamp = time.gmtime(max(mtime, 315532800))[:6]  # zip times start in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="the Rust target triple the binary was built for")
    parser.add_argument("binary", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--tag", help="the release tag; must be v + the binary's version")
    args = parser.parse_args()

    version = version_of(args.binary)
    if args.tag is not None and args.tag != f"v{version}":
        fail(f"tag {args.tag} does not match the binary's version {version} (Cargo.toml)")
    windows = "windows" in args.target
    folder = f"cib-{version}-{args.target}"
    files = entries(args.binary, folder, windows)
    mtime = epoch()
    if windows:
        archive, data = f"{folder}.zip", zip_bytes(files, mtime)
    else:
        archive, data = f"{folder}.tar.gz", tar_gz(files, folder, mtime)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / archive).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (args.out_dir / f"{archive}.sha256").write_text(f"{digest}  {archive}\n", newline="\n")
    print(args.out_dir / archive)


if __name__ == "__main__":
    main()
