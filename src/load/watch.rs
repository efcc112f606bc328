//! Which of the curriculum's files change on disk, as they change: what `cib
//! serve` rebuilds on and what `cib lsp` reads again.

use std::path::{Path, PathBuf};

use anyhow::Context;
use notify::{RecursiveMode, Watcher};

/// Watches the sources (`curriculum.yaml`, `formulas.yaml`, the curriculum's
/// folders and `assets/`); every event under them becomes changed paths,
/// handed to `changed` on the watcher's thread. The watching stops when the
/// watcher returned is dropped.
pub fn watch(
    root: &Path,
    changed: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> anyhow::Result<notify::RecommendedWatcher> {
    let sources: Vec<PathBuf> = super::FOLDERS
        .iter()
        .map(|(dir, ..)| *dir)
        .chain([super::ASSETS])
        .map(|dir| root.join(dir))
        .collect();
    let settings = [root.join("curriculum.yaml"), root.join(super::FORMULAS)];
    let sources_to_watch = sources.clone();
    let relevant = move |path: &Path| {
        settings.iter().any(|s| path == s) || sources.iter().any(|s| path.starts_with(s))
    };
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let root_path = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .map(|p| match p.strip_prefix(&canonical) {
                Ok(rest) => root_path.join(rest),
                Err(_) => p,
            })
            .filter(|p| relevant(p))
            .collect();
        if !paths.is_empty() {
            changed(paths);
        }
    })
    .context("cannot watch the curriculum's files")?;
    // The root itself, not recursively, for curriculum.yaml and formulas.yaml. A source folder
    // made after the start is not watched until serve is started again.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch `{}`", root.display()))?;
    for dir in &sources_to_watch {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch `{}`", dir.display()))?;
        }
    }
    Ok(watcher)
}
