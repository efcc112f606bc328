//! PDFs of earlier builds, reused when a document's inputs are unchanged.
//!
//! An entry is a file `.cache/<fingerprint>-<pages>-<sha256>.pdf` inside the
//! output folder, hard-linked to the artifact it was made as. The fingerprint
//! covers everything the PDF depends on (see `render::Document::fingerprint`);
//! the content hash guards against an artifact edited in place, which would
//! otherwise edit the cache through the shared link. The new build links the
//! entries it uses into its own `.cache`, so unused entries go away with the
//! previous build.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output;
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

/// A PDF taken from the cache.
pub struct Hit {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Hex SHA-256 of `pdf` (verified).
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
            let Some(stem) = name.strip_suffix(".pdf") else {
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

    /// Puts the cached PDF for `key` at `target` and into the new cache, or
    /// returns `None` when there is no sound entry.
    pub fn reuse(&self, key: &[u8; 32], target: &Path) -> anyhow::Result<Option<Hit>> {
        let Some(entry) = self.previous.get(&hex(key)) else {
            return Ok(None);
        };
        let Ok(pdf) = fs::read(&entry.path) else {
            return Ok(None);
        };
        if sha256_hex(&pdf) != entry.sha256 {
            return Ok(None);
        }
        let name = entry_name(key, entry.pages, &entry.sha256);
        place(&entry.path, &pdf, target)?;
        place(&entry.path, &pdf, &self.dir.join(name))?;
        Ok(Some(Hit {
            pdf,
            pages: entry.pages,
            sha256: entry.sha256.clone(),
        }))
    }

    /// Writes a freshly rendered PDF to `target`, records it in the cache and
    /// returns its hex SHA-256.
    pub fn store(
        &self,
        key: &[u8; 32],
        pages: usize,
        pdf: &[u8],
        target: &Path,
    ) -> anyhow::Result<String> {
        output::write(target, pdf)?;
        let sha256 = sha256_hex(pdf);
        place(target, pdf, &self.dir.join(entry_name(key, pages, &sha256)))?;
        Ok(sha256)
    }
}

fn entry_name(key: &[u8; 32], pages: usize, sha256: &str) -> String {
    format!("{}-{pages}-{sha256}.pdf", hex(key))
}

/// Hard-links `from` to `to`, or writes `bytes` there where links are not
/// possible.
fn place(from: &Path, bytes: &[u8], to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    output::write(to, bytes)
}
