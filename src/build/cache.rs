//! Files of earlier builds (PDFs, zips), reused when their inputs are
//! unchanged.
//!
//! An entry is a file `<key>-<pages>-<sha256>.<ext>` in the cache folder beside
//! the output folder (`.build.cache`), hard-linked to the artifact it was made as. The key covers
//! everything the file depends on (see `render::Document::fingerprint` and
//! `package::Packing::key`); the content hash guards against an artifact
//! edited in place, which would otherwise edit the cache through the shared
//! link. Entries carry a fixed modification time, [`output::STAMPED`]: an edit moves
//! it, so an entry that still has it is trusted without reading it, and any
//! other is read and hashed before reuse. The new build links the entries it
//! uses into its own cache folder, so unused entries go away with the previous
//! build's.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output::{self, is_stamped, stamp};
use crate::package::{hex, sha256_hex};

pub struct Cache {
    previous: HashMap<String, Entry>,
    dir: PathBuf,
}

struct Entry {
    path: PathBuf,
    pages: usize,
    sha256: String,
}

/// A file taken from the cache.
pub struct Hit {
    pub size: usize,
    pub pages: usize,
    /// Hex SHA-256 of the file (verified, or trusted by its time stamp).
    pub sha256: String,
}

impl Cache {
    /// Reads the entries of the previous build's cache (if any) and creates
    /// the new build's cache folder `dir`.
    pub fn open(previous: &Path, dir: &Path) -> anyhow::Result<Cache> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        let mut entries = HashMap::new();
        for entry in fs::read_dir(previous).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((stem, _)) = name.rsplit_once('.') else {
                continue;
            };
            let mut parts = stem.splitn(3, '-');
            if let (Some(key), Some(Ok(pages)), Some(sha256)) = (
                parts.next(),
                parts.next().map(str::parse::<usize>),
                parts.next(),
            ) {
                entries.insert(
                    key.to_owned(),
                    Entry {
                        path: entry.path(),
                        pages,
                        sha256: sha256.to_owned(),
                    },
                );
            }
        }
        Ok(Cache {
            previous: entries,
            dir: dir.to_path_buf(),
        })
    }

    /// Puts the cached file for `key` at `target` and into the new cache, or
    /// returns `None` when there is no sound entry.
    pub fn reuse(&self, key: &[u8; 32], target: &Path) -> anyhow::Result<Option<Hit>> {
        let Some(entry) = self.previous.get(&hex(key)) else {
            return Ok(None);
        };
        let Ok(metadata) = fs::metadata(&entry.path) else {
            return Ok(None);
        };
        if !is_stamped(&metadata) {
            let Ok(bytes) = fs::read(&entry.path) else {
                return Ok(None);
            };
            if sha256_hex(&bytes) != entry.sha256 {
                return Ok(None);
            }
            stamp(&entry.path);
        }
        let name = entry_name(key, entry.pages, &entry.sha256, target);
        place(&entry.path, target)?;
        place(&entry.path, &self.dir.join(name))?;
        Ok(Some(Hit {
            size: metadata.len() as usize,
            pages: entry.pages,
            sha256: entry.sha256.clone(),
        }))
    }

    /// Keeps the entry for `key` of an intermediate PDF (one that is not an
    /// artifact itself, such as a bundle's front) for the next build, when it
    /// is sound by its time stamp; a build that did not need it may still.
    pub fn carry(&self, key: &[u8; 32]) -> anyhow::Result<()> {
        let Some(entry) = self.previous.get(&hex(key)) else {
            return Ok(());
        };
        if fs::metadata(&entry.path).is_ok_and(|m| is_stamped(&m)) {
            let name = entry_name(key, entry.pages, &entry.sha256, &entry.path);
            place(&entry.path, &self.dir.join(name))?;
        }
        Ok(())
    }

    /// The bytes of the intermediate PDF for `key`, if the previous build
    /// cached a sound one.
    pub fn fetch(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        let entry = self.previous.get(&hex(key))?;
        let bytes = fs::read(&entry.path).ok()?;
        (sha256_hex(&bytes) == entry.sha256).then_some(bytes)
    }

    /// Records an intermediate PDF in the cache, for [`Cache::fetch`].
    pub fn keep(&self, key: &[u8; 32], pages: usize, pdf: &[u8]) -> anyhow::Result<()> {
        let path = self
            .dir
            .join(entry_name(key, pages, &sha256_hex(pdf), Path::new("x.pdf")));
        // A sound entry carried over already holds these bytes.
        if path.exists() {
            return Ok(());
        }
        output::write(&path, pdf)?;
        stamp(&path);
        Ok(())
    }

    /// Writes a freshly made file to `target`, records it in the cache and
    /// returns its hex SHA-256.
    pub fn store(
        &self,
        key: &[u8; 32],
        pages: usize,
        bytes: &[u8],
        target: &Path,
    ) -> anyhow::Result<String> {
        output::write(target, bytes)?;
        stamp(target);
        let sha256 = sha256_hex(bytes);
        place(
            target,
            &self.dir.join(entry_name(key, pages, &sha256, target)),
        )?;
        Ok(sha256)
    }
}

/// An entry's file name; it keeps the extension of `target`.
fn entry_name(key: &[u8; 32], pages: usize, sha256: &str, target: &Path) -> String {
    let extension = target.extension().unwrap_or_default().to_string_lossy();
    format!("{}-{pages}-{sha256}.{extension}", hex(key))
}

/// Hard-links `from` to `to`, or copies it where links are not possible.
fn place(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let bytes = fs::read(from).with_context(|| format!("cannot read `{}`", from.display()))?;
    output::write(to, &bytes)?;
    stamp(to);
    Ok(())
}
