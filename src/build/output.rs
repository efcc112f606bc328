//! The build folder: staged beside it, swapped in whole.
//!
//! A build writes into a fresh staging folder next to the output folder and,
//! only once everything is written and synced, exchanges the two in one atomic
//! rename. A failed or killed build therefore leaves the previous output exactly
//! as it was; a stale staging folder is removed by the next build. A lock file
//! keeps two builds from racing for the same folder.
//!
//! The cache of earlier builds' files sits beside the output folder too
//! (`.build.cache` for `build`), staged and swapped in the same way, so that
//! the output folder holds only what a user publishes. The two swaps are not
//! one step: a build killed between them leaves the new output with the
//! previous cache, which is still right for every file it holds (entries are
//! named by their inputs and checked by their hash), only less complete.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};

use crate::package::sha256_hex;

/// Marks a folder as made by `cib build`, so cib never replaces a folder it did
/// not make (think `--out .`).
const MARKER: &str = ".cib-build";
const MARKER_TEXT: &[u8] =
    b"This folder is made by `cib build` and replaced whole by the next build.\n";

/// An output folder held for one build.
pub struct Output {
    out: PathBuf,
    stage: PathBuf,
    cache: PathBuf,
    cache_stage: PathBuf,
    _lock: File,
}

impl Output {
    /// Locks `out` for this process, clears stale staging folders and creates an
    /// empty one.
    pub fn open(out: &Path) -> anyhow::Result<Output> {
        let (parent, name, lock) = lock(out)?;
        let prefix = format!(".{name}.stage-");
        let cache_prefix = format!(".{name}.cache-stage-");
        for entry in fs::read_dir(&parent)?.flatten() {
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            if file_name.starts_with(&prefix) || file_name.starts_with(&cache_prefix) {
                fs::remove_dir_all(entry.path()).with_context(|| {
                    format!(
                        "cannot remove a stale staging folder `{}`",
                        entry.path().display()
                    )
                })?;
            }
        }
        let stage = parent.join(format!("{prefix}{}", std::process::id()));
        fs::create_dir(&stage).with_context(|| format!("cannot create `{}`", stage.display()))?;
        let cache_stage = parent.join(format!("{cache_prefix}{}", std::process::id()));
        fs::create_dir(&cache_stage)
            .with_context(|| format!("cannot create `{}`", cache_stage.display()))?;
        write(
            &stage.join(MARKER),
            b"This folder is made by `cib build` and replaced whole by the next build.\n",
        )?;
        Ok(Output {
            out: out.to_path_buf(),
            stage,
            cache: parent.join(format!(".{name}.cache")),
            cache_stage,
            _lock: lock,
        })
    }

    /// The folder being filled.
    pub fn stage(&self) -> &Path {
        &self.stage
    }

    /// The previous build's cache: beside the output folder, or, for a build
    /// made before the cache moved there, inside it.
    pub fn previous_cache(&self) -> PathBuf {
        let inside = self.out.join(".cache");
        if !self.cache.is_dir() && inside.is_dir() {
            inside
        } else {
            self.cache.clone()
        }
    }

    /// The cache being filled.
    pub fn cache_stage(&self) -> &Path {
        &self.cache_stage
    }

    /// Replaces the output folder with the staged one in one step.
    /// `known` holds the SHA-256 of files the build took from its cache or
    /// stored there, by path in the output folder; see [`checksums`].
    pub fn commit(self, known: &HashMap<String, String>) -> anyhow::Result<()> {
        write(&self.stage.join(CHECKSUMS), &checksums(&self.stage, known)?)?;
        swap_in(&self.stage, &self.out)?;
        swap_in(&self.cache_stage, &self.cache)?;
        if let Some(parent) = self.out.parent().filter(|p| !p.as_os_str().is_empty()) {
            File::open(parent)?.sync_all()?;
        }
        Ok(())
    }
}

/// Checks that `out` is absent or ours, then takes its lock. Returns the
/// folder's parent and name with the lock.
fn lock(out: &Path) -> anyhow::Result<(PathBuf, String, File)> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` cannot be an output folder", out.display()))?
        .to_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    if out.exists() && !is_build(out)? {
        bail!(
            "`{}` exists and was not made by `cib build`; move it away or choose another folder with --out",
            out.display()
        );
    }
    let lock_path = parent.join(format!(".{name}.lock"));
    let lock = File::create(&lock_path)
        .with_context(|| format!("cannot create `{}`", lock_path.display()))?;
    if lock.try_lock().is_err() {
        bail!(
            "another `cib build` is writing `{}`; wait for it to finish",
            out.display()
        );
    }
    Ok((parent, name, lock))
}

/// Replaces some files of the output folder in place, each atomically (written
/// beside its final name, synced, renamed), creating the folder if need be.
pub fn update(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let (_, _, _lock) = lock(out)?;
    // Missing or empty (the lock allows no other): it becomes an output folder.
    if !out.join(MARKER).is_file() {
        fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
        write(&out.join(MARKER), MARKER_TEXT)?;
    }
    for (name, bytes) in files {
        replace(&out.join(name), bytes)?;
    }
    // The files listed before that still carry the cache's time stamp are
    // the ones the list already vouches for.
    let listed = fs::read_to_string(out.join(CHECKSUMS)).unwrap_or_default();
    let known: HashMap<String, String> = listed
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(sha256, name)| (name.to_owned(), sha256.to_owned()))
        .collect();
    replace(&out.join(CHECKSUMS), &checksums(out, &known)?)
}

/// Replaces one file atomically: written beside its final name, synced, renamed
/// over it; a reader sees the old file or the new one, never part of either.
pub fn replace(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    write(&temp, bytes)?;
    if let Err(error) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(error).with_context(|| format!("cannot write `{}`", path.display()));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()?;
    Ok(())
}

/// The file in every output folder that lists each of its files with its
/// SHA-256, as `sha256sum` writes them: `cd build && sha256sum -c SHA256SUMS`
/// verifies a build, or a copy of one on a school's web server, file by file.
pub const CHECKSUMS: &str = "SHA256SUMS";

/// The checksum lines for every file under `dir`, sorted by path; hidden files
/// and folders (the cache, the marker, temporary files) and the list itself are
/// not listed.
///
/// A file's hash comes from `known` when the file still has the time stamp
/// cache entries get ([`STAMPED`]): an edit would have moved it. Every other
/// file is read back from disk, so the list vouches for what is there.
fn checksums(dir: &Path, known: &HashMap<String, String>) -> anyhow::Result<Vec<u8>> {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry?;
        let relative = entry.path().strip_prefix(dir)?;
        if !entry.file_type().is_file() || relative == Path::new(CHECKSUMS) {
            continue;
        }
        let name: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        let name = name.join("/");
        files.push((entry.into_path(), name));
    }
    let lines = crate::parallel::map(&files, |(path, name)| {
        if let Some(sha256) = known.get(name)
            && fs::metadata(path).is_ok_and(|m| is_stamped(&m))
        {
            return Ok(format!("{sha256}  {name}\n"));
        }
        let bytes = fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        Ok(format!("{}  {name}\n", sha256_hex(&bytes)))
    });
    Ok(lines
        .into_iter()
        .collect::<anyhow::Result<String>>()?
        .into_bytes())
}

/// Syncs `stage` and puts it in `target`'s place in one step, deleting what was
/// there; `stage` is gone afterwards.
fn swap_in(stage: &Path, target: &Path) -> anyhow::Result<()> {
    sync_tree(stage)?;
    if target.exists() {
        exchange(stage, target)?;
        // The stage path now holds the previous folder.
        fs::remove_dir_all(stage).with_context(|| format!("cannot remove `{}`", stage.display()))
    } else {
        fs::rename(stage, target).with_context(|| format!("cannot create `{}`", target.display()))
    }
}

impl Drop for Output {
    /// A build that did not commit leaves no staging folders behind.
    fn drop(&mut self) {
        for stage in [&self.stage, &self.cache_stage] {
            if stage.exists() {
                let _ = fs::remove_dir_all(stage);
            }
        }
    }
}

fn is_build(out: &Path) -> anyhow::Result<bool> {
    if !out.is_dir() {
        return Ok(false);
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("cannot read `{}`", out.display()))?
        .next()
        .is_none();
    Ok(empty || out.join(MARKER).is_file())
}

/// Writes a file and syncs it to disk. Parents are created as needed.
pub fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    let mut file =
        File::create(path).with_context(|| format!("cannot write `{}`", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write `{}`", path.display()))
}

/// The modification time of every cache entry and of the artifacts linked to
/// it: 1980-01-01 00:00 UTC, the earliest time a zip file can record. Like the
/// zips' entry times, it keeps the output free of the build's clock, and an
/// edit moves it, which tells a build that a file it knows has changed.
pub const STAMPED: Duration = Duration::from_secs(315_532_800);

/// Sets a file's modification time to [`STAMPED`]. Where that is not
/// possible the file is simply hashed again when next needed.
pub fn stamp(path: &Path) {
    if let Ok(file) = File::options().write(true).open(path) {
        let _ = file.set_modified(SystemTime::UNIX_EPOCH + STAMPED);
    }
}

pub fn is_stamped(metadata: &fs::Metadata) -> bool {
    metadata
        .modified()
        .is_ok_and(|time| time == SystemTime::UNIX_EPOCH + STAMPED)
}

/// Syncs every folder of a tree, so the renames that follow publish complete
/// entries (files are synced as they are written).
fn sync_tree(root: &Path) -> anyhow::Result<()> {
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            File::open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)
        .with_context(|| format!("cannot swap `{}` into place", b.display()))
}

/// Without an atomic exchange, the old folder is moved aside first: readers may
/// see no folder for an instant, but never a mix of two builds.
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<()> {
    let aside = a.with_extension("old");
    fs::rename(b, &aside).with_context(|| format!("cannot move `{}` aside", b.display()))?;
    fs::rename(a, b).with_context(|| format!("cannot move the new build to `{}`", b.display()))?;
    fs::rename(&aside, a)?;
    Ok(())
}
