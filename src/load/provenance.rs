//! Where a report's numbers came from: the commit the curriculum was checked
//! out at, and a checksum of exactly what the numbers are computed from, so an
//! auditor can tell which sources a signed report describes.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::{FileId, Sources};

/// The sources a run read, identified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The git commit checked out at the root (or a folder above it), when
    /// there is one; the working files may differ from it, the checksum not.
    pub commit: Option<String>,
    /// SHA-256 over every file's path and text, in the order read; of a
    /// Markdown file (a lesson or an assessment), its front matter only.
    pub checksum: String,
    pub files: usize,
}

/// Identifies the sources of a checked curriculum rooted at `root`.
pub fn provenance(root: &Path, sources: &Sources) -> Provenance {
    let mut hash = Sha256::new();
    let ids: Vec<FileId> = sources.ids().collect();
    for &id in &ids {
        let (path, text) = (sources.path(id), sources.text(id));
        // A lesson's text changes no number of a report; leaving it out
        // keeps an edit to it from typesetting the coverage report again.
        let counted = match super::frontmatter::split(text) {
            Ok(split) if path.ends_with(".md") => &text[split.front_matter],
            _ => text,
        };
        // Lengths first, so no two different sets of files hash alike.
        for part in [path, counted] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
    }
    let checksum = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Provenance {
        commit: commit(root),
        checksum,
        files: ids.len(),
    }
}

/// The commit `HEAD` names in the git repository holding `root`, read from
/// git's files (no git program is needed): a detached `HEAD`, a loose ref or
/// a packed one, in a repository or a linked worktree.
fn commit(root: &Path) -> Option<String> {
    let root = root.canonicalize().ok()?;
    let dot_git = root
        .ancestors()
        .map(|a| a.join(".git"))
        .find(|g| g.exists())?;
    let git_dir = if dot_git.is_file() {
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let target = PathBuf::from(text.strip_prefix("gitdir:")?.trim());
        dot_git.parent()?.join(target)
    } else {
        dot_git
    };
    // A linked worktree keeps its HEAD; its refs live in the common folder.
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(rel) => git_dir.join(rel.trim()),
        Err(_) => git_dir.clone(),
    };
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(name) = head.strip_prefix("ref:").map(str::trim) else {
        return is_hash(head).then(|| head.to_owned());
    };
    for dir in [&git_dir, &common] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            let hash = text.trim();
            return is_hash(hash).then(|| hash.to_owned());
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (hash, refname) = line.split_once(' ')?;
        (refname == name && is_hash(hash)).then(|| hash.to_owned())
    })
}

fn is_hash(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> Sources {
        let mut s = Sources::default();
        for (path, text) in files {
            s.add((*path).to_owned(), (*text).to_owned());
        }
        s
    }

    #[test]
    fn a_markdown_file_counts_by_its_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        let sum = |text: &str| provenance(dir.path(), &sources(&[("l.md", text)])).checksum;
        let base = sum("---\nid: a\n---\nBody.\n");
        assert_eq!(sum("---\nid: a\n---\nAnother body.\n"), base);
        assert_ne!(sum("---\nid: b\n---\nBody.\n"), base);
        // Without front matter, the whole file counts.
        assert_ne!(sum("Body.\n"), sum("Other.\n"));
    }

    #[test]
    fn the_checksum_changes_with_any_path_or_text_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let base = provenance(dir.path(), &sources(&[("a.yaml", "x: 1"), ("b.md", "")]));
        assert_eq!(base.files, 2);
        assert_eq!(base.checksum.len(), 64);
        let same = provenance(dir.path(), &sources(&[("a.yaml", "x: 1"), ("b.md", "")]));
        assert_eq!(base, same);
        for other in [
            sources(&[("a.yaml", "x: 2"), ("b.md", "")]),
            sources(&[("a.yml", "x: 1"), ("b.md", "")]),
            sources(&[("a.yaml", "x: 1b.md")]),
        ] {
            assert_ne!(provenance(dir.path(), &other).checksum, base.checksum);
        }
    }

    #[test]
    fn the_commit_is_read_from_loose_packed_and_detached_heads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("curriculum");
        std::fs::create_dir_all(root.join("lessons")).unwrap();
        assert_eq!(commit(&root), None);
        let git = dir.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(
            git.join("packed-refs"),
            format!("# pack-refs with: peeled\n{b} refs/heads/main\n"),
        )
        .unwrap();
        assert_eq!(commit(&root), Some(b.clone()));
        std::fs::write(git.join("refs/heads/main"), format!("{a}\n")).unwrap();
        assert_eq!(commit(&root), Some(a.clone()));
        std::fs::write(git.join("HEAD"), format!("{b}\n")).unwrap();
        assert_eq!(commit(&root), Some(b));
        std::fs::write(git.join("HEAD"), "garbage\n").unwrap();
        assert_eq!(commit(&root), None);
    }
}
