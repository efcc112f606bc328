//! The check behind the server: `cib check`'s stages over the disk and the
//! editor's unsaved buffers, redone for one lesson when only a lesson changed.
//!
//! A whole check of a 1 000-lesson curriculum takes most of a second; a
//! keystroke must cost a small part of that. So every finding is kept either
//! with the file it comes from alone (reading, schema, reading into the model,
//! the rules of one lesson, the rules that read no lesson), or with what
//! crosses files (ids unique across files, rules over several lessons). An
//! edited lesson is read, resolved and checked by the lesson rules on its
//! own; only the rules across lessons see the whole curriculum again, with
//! every other page's size as measured before. Tests hold the result equal
//! to a whole check's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::rules::{self, Scope};
#[cfg(test)]
use crate::diag::Code;
use crate::diag::{self, Diagnostic, FileId, Sources};
use crate::load::{self, Kind, Overlay};
use crate::model::Curriculum;
use crate::resolve;

/// The curriculum as last checked, and its findings.
pub struct Engine {
    root: PathBuf,
    overlay: Overlay,
    state: Option<State>,
}

/// One check's result, with what an edit of one lesson needs to redo it.
pub struct State {
    pub sources: Sources,
    pub curriculum: Curriculum,
    /// Every finding, sorted as `cib check` sorts them.
    pub diagnostics: Vec<Diagnostic>,
    /// Each file's findings that come from it alone, by [`FileId`].
    own: Vec<Vec<Diagnostic>>,
    /// Each file by its path relative to the root, with its kind.
    files: HashMap<PathBuf, (FileId, Kind)>,
    /// Lessons that could not be read: while one is, references into
    /// lessons are not reported as dangling, as in a whole check.
    unread_lessons: Vec<FileId>,
    /// Each lesson's and assessment's size, measured once.
    sizes: rules::Sizes,
}

impl Engine {
    /// An engine for the curriculum at `root` (a folder with curriculum.yaml).
    pub fn new(root: PathBuf) -> Self {
        Engine {
            root,
            overlay: Overlay::new(),
            state: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn state(&self) -> Option<&State> {
        self.state.as_ref()
    }

    /// The editor's text of `relative`, or `None` to read it from disk again.
    pub fn set_text(&mut self, relative: &Path, text: Option<String>) {
        match text {
            Some(text) => self.overlay.insert(relative.to_path_buf(), text),
            None => self.overlay.remove(relative),
        };
    }

    /// The text the engine reads for `relative`: the editor's, else the disk's.
    pub fn text(&self, relative: &Path) -> Option<String> {
        match self.overlay.get(relative) {
            Some(text) => Some(text.clone()),
            None => std::fs::read_to_string(self.root.join(relative)).ok(),
        }
    }

    /// The size of each unsaved text held.
    pub fn overlay_sizes(&self) -> impl Iterator<Item = (&Path, usize)> {
        self.overlay
            .iter()
            .map(|(path, text)| (path.as_path(), text.len()))
    }

    /// Checks the whole curriculum again, reading every file not open.
    pub fn check_all(&mut self) -> anyhow::Result<()> {
        self.state = None;
        self.state = Some(State::whole(&self.root, &self.overlay)?);
        Ok(())
    }

    /// Checks the curriculum after `changed` files changed: only the lessons
    /// among them when the rest is as last checked, otherwise all of it.
    /// `Err` only when cib cannot run at all (curriculum.yaml is gone).
    pub fn check(&mut self, changed: &[PathBuf]) -> anyhow::Result<()> {
        let lessons_only = self.state.as_ref().is_some_and(|state| {
            changed.iter().all(|relative| {
                matches!(state.files.get(relative), Some((_, Kind::Lesson)))
                    && self
                        .overlay
                        .get(relative)
                        .is_some_and(|text| text.len() as u64 <= load::MAX_FILE_BYTES)
            })
        });
        if !lessons_only {
            return self.check_all();
        }
        let state = self.state.as_mut().expect("checked above");
        for relative in changed {
            state.lesson(relative, self.overlay[relative].clone());
        }
        state.across();
        Ok(())
    }
}

impl State {
    fn whole(root: &Path, overlay: &Overlay) -> anyhow::Result<State> {
        let loaded = load::load_with(root, overlay)?;
        let mut own = vec![Vec::new(); loaded.sources.len()];
        let keep = |found: Vec<Diagnostic>, own: &mut Vec<Vec<Diagnostic>>| {
            for d in found {
                own[d.span.file.index()].push(d);
            }
        };
        keep(loaded.diagnostics, &mut own);
        let schema = crate::parallel::map(&loaded.documents, |doc| {
            crate::check::document(doc, loaded.sources.text(doc.file))
        });
        keep(schema.concat(), &mut own);
        let resolved = resolve::each(&loaded.documents, &loaded.sources, &loaded.failed);
        keep(resolved.diagnostics, &mut own);
        let curriculum = resolved.curriculum;
        let sizes = rules::Sizes::default();
        keep(
            rules::run_scoped(&curriculum, Scope::Lesson, &sizes),
            &mut own,
        );
        keep(
            rules::run_scoped(&curriculum, Scope::Rest, &sizes),
            &mut own,
        );
        let files = loaded
            .sources
            .ids()
            .filter_map(|id| {
                let relative = Path::new(loaded.sources.path(id))
                    .strip_prefix(root)
                    .ok()?
                    .to_path_buf();
                let kind = load::kind_of(&relative)?;
                Some((relative, (id, kind)))
            })
            .collect::<HashMap<_, _>>();
        let read: std::collections::HashSet<FileId> =
            loaded.documents.iter().map(|d| d.file).collect();
        let unread_lessons = files
            .values()
            .filter(|(id, kind)| *kind == Kind::Lesson && !read.contains(id))
            .map(|(id, _)| *id)
            .collect();
        let mut state = State {
            sources: loaded.sources,
            curriculum,
            diagnostics: Vec::new(),
            own,
            files,
            unread_lessons,
            sizes,
        };
        state.across();
        Ok(state)
    }

    /// Reads, resolves and checks one lesson again from `text`.
    fn lesson(&mut self, relative: &Path, text: String) {
        let (file, _) = self.files[relative];
        let name = relative.to_string_lossy().replace('\\', "/");
        let loaded = load::reload(&mut self.sources, file, Kind::Lesson, &name, text);
        let mut own = loaded.diagnostics;
        self.sizes.forget(file);
        self.curriculum.lessons.retain(|l| l.file != file);
        self.unread_lessons.retain(|id| *id != file);
        let Some(doc) = loaded.documents.first() else {
            self.unread_lessons.push(file);
            self.curriculum.complete.lessons = false;
            self.own[file.index()] = own;
            return;
        };
        own.extend(crate::check::document(doc, self.sources.text(file)));
        let mut resolved = resolve::each(&loaded.documents, &self.sources, &[]);
        own.extend(resolved.diagnostics);
        self.curriculum.complete.lessons = self.unread_lessons.is_empty();
        if let Some(lesson) = resolved.curriculum.lessons.pop() {
            // The lesson rules see it as the only lesson; every other part
            // of the curriculum is there as it is.
            let others = std::mem::replace(&mut self.curriculum.lessons, vec![lesson]);
            let found = rules::run_scoped(&self.curriculum, Scope::Lesson, &self.sizes);
            own.extend(found.into_iter().filter(|d| d.span.file == file));
            let lesson = self.curriculum.lessons.pop().expect("put there above");
            self.curriculum.lessons = others;
            let at = self.curriculum.lessons.partition_point(|l| l.file < file);
            self.curriculum.lessons.insert(at, lesson);
        }
        self.own[file.index()] = own;
    }

    /// The findings across files, then every finding, sorted.
    fn across(&mut self) {
        let mut all: Vec<Diagnostic> = self.own.iter().flatten().cloned().collect();
        all.extend(resolve::unique_ids(&self.curriculum));
        all.extend(rules::run_scoped(
            &self.curriculum,
            Scope::Across,
            &self.sizes,
        ));
        diag::sort(&mut all, &self.sources);
        self.diagnostics = all;
    }

    /// The file at `relative`, with its kind, if the curriculum holds it.
    pub fn file(&self, relative: &Path) -> Option<(FileId, Kind)> {
        self.files.get(relative).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding as a reader sees it, whatever the file numbering.
    type Shown = (
        String,
        Option<std::ops::Range<usize>>,
        Code,
        String,
        Vec<String>,
    );

    fn shown(sources: &Sources, found: &[Diagnostic]) -> Vec<Shown> {
        found
            .iter()
            .map(|d| {
                let related = d
                    .related
                    .iter()
                    .map(|(span, note)| {
                        format!("{} {:?} {note}", sources.path(span.file), span.range)
                    })
                    .collect();
                (
                    sources.path(d.span.file).to_owned(),
                    d.span.range.clone(),
                    d.code,
                    d.message.clone(),
                    related,
                )
            })
            .collect()
    }

    fn findings(engine: &Engine) -> Vec<Shown> {
        let state = engine.state().expect("checked");
        shown(&state.sources, &state.diagnostics)
    }

    /// Edits a lesson in ways that reach across files, and after each one
    /// holds the engine's findings (one lesson redone) equal to a whole check
    /// of the same texts.
    fn edits_match_a_whole_check(root: &Path, lessons: usize) -> usize {
        let mut engine = Engine::new(root.canonicalize().unwrap());
        engine.check_all().unwrap();
        let whole = crate::check(&engine.root).unwrap();
        assert_eq!(
            findings(&engine),
            shown(&whole.sources, &whole.diagnostics),
            "{}: the engine's whole check is `cib check`",
            root.display()
        );
        let state = engine.state().unwrap();
        let mut ids: Vec<String> = state
            .curriculum
            .lessons
            .iter()
            .map(|l| l.id.value.as_str().to_owned())
            .collect();
        ids.push("a-lesson-no-one-wrote".to_owned());
        let mut paths: Vec<PathBuf> = state
            .files
            .iter()
            .filter(|(_, (_, kind))| *kind == Kind::Lesson)
            .map(|(path, _)| path.clone())
            .collect();
        paths.sort();
        let mut compared = 0;
        for relative in paths.into_iter().take(lessons) {
            let original = engine.text(&relative).unwrap();
            let other = ids
                .iter()
                .find(|id| !original.contains(id.as_str()))
                .unwrap();
            let edits = [
                original.clone(),
                original.replacen("teaches: [", "teaches: [X", 1),
                original.replacen("\nid: ", &format!("\nid: {other}\nx-was: "), 1),
                original.replacen("\n---", "\n", 1),
                format!("{original}\nA line with \u{E000} in it.\n"),
                original.replacen("\n---", "\n---\n![](missing.png)\n", 1),
                original.clone(),
            ];
            for text in edits {
                engine.set_text(&relative, Some(text));
                engine.check(std::slice::from_ref(&relative)).unwrap();
                let edited = findings(&engine);
                let mut fresh = Engine::new(engine.root.clone());
                fresh.overlay = engine.overlay.clone();
                fresh.check_all().unwrap();
                assert_eq!(edited, findings(&fresh), "{}", relative.display());
                compared += 1;
            }
        }
        compared
    }

    #[test]
    fn a_lesson_checked_alone_finds_what_a_whole_check_finds() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut compared = 0;
        for entry in std::fs::read_dir(fixtures.join("codes")).unwrap() {
            let overlay = entry.unwrap().path();
            let dir = tempfile::tempdir().unwrap();
            for from in [fixtures.join("base"), overlay] {
                for file in walkdir::WalkDir::new(&from) {
                    let file = file.unwrap();
                    let to = dir.path().join(file.path().strip_prefix(&from).unwrap());
                    if file.file_type().is_dir() {
                        std::fs::create_dir_all(&to).unwrap();
                    } else {
                        std::fs::copy(file.path(), &to).unwrap();
                    }
                }
            }
            compared += edits_match_a_whole_check(dir.path(), 3);
        }
        compared += edits_match_a_whole_check(Path::new(env!("CARGO_MANIFEST_DIR")), 6);
        // Every fixture has a lesson; the repository's six are compared too.
        assert!(compared >= 7 * (57 + 6), "{compared} edits compared");
    }
}
