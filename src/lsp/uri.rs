//! File URIs to paths relative to the curriculum's root, and back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The path of a `file:` URI; `None` for any other scheme (`untitled:`).
pub fn to_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

/// `path` relative to `root`, when it is under it. The root is canonical; a
/// path through a link (a temporary folder, `/var` on macOS) is resolved
/// through its folder, which exists even when the file is not saved yet.
pub fn relative(root: &Path, path: &Path) -> Option<PathBuf> {
    if let Ok(inside) = path.strip_prefix(root) {
        return Some(inside.to_path_buf());
    }
    let folder = path.parent()?.canonicalize().ok()?;
    let inside = folder.strip_prefix(root).ok()?;
    Some(inside.join(path.file_name()?))
}

/// The URI to name a file by: the client's own for a document it opened, so
/// that it recognises it, else one made from the path.
pub fn of(root: &Path, relative: &Path, open: &HashMap<PathBuf, String>) -> String {
    if let Some(uri) = open.get(relative) {
        return uri.clone();
    }
    url::Url::from_file_path(root.join(relative))
        .map(String::from)
        .unwrap_or_default()
}
