//! Stage 1: find the curriculum's files, read them safely, parse them with positions.
//!
//! Only this stage touches the file system for content. It walks the known folders
//! (`frameworks/`, `competencies/`, `lessons/`, `assessments/`) plus `curriculum.yaml`, never follows a
//! link out of the root, refuses oversized or non-UTF-8 files before parsing, and hands
//! on each document as a JSON value with a [`SpanIndex`], so every later finding can
//! name a file, line and column.

mod frontmatter;
mod json;
mod provenance;
mod watch;
mod yaml;

use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::Value;
use walkdir::WalkDir;

pub use provenance::{Provenance, provenance};
pub use watch::watch;
pub use yaml::{Budget, SpanIndex};

use crate::diag::{Code, Diagnostic, FileId, Sources, Span};

/// The largest file cib reads; see `cib explain L001`.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The largest file `cib import` and `cib diff` read: a CASE package of a large
/// state framework, pretty-printed, runs to tens of megabytes (one of 2 500
/// competencies: 10.5 MB, 200 000 nodes, imported in 1.7 s at 230 MB).
pub const MAX_EXCHANGE_BYTES: u64 = 32 * 1024 * 1024;
/// The most files, and bytes, a curriculum may hold; see `cib explain L007`.
pub const MAX_FILES: usize = 10_000;
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;

/// The folders a curriculum's files live in, beside `curriculum.yaml`: the
/// kind of file each holds and the extensions read there. `cib serve`
/// watches the same folders.
pub const FOLDERS: [(&str, Kind, &[&str]); 4] = [
    ("frameworks", Kind::Framework, &["yaml", "yml"]),
    ("competencies", Kind::CompetencyFramework, &["yaml", "yml"]),
    ("lessons", Kind::Lesson, &["md"]),
    ("assessments", Kind::Assessment, &["md"]),
];

/// The formula library's file, beside `curriculum.yaml`.
pub const FORMULAS: &str = "formulas.yaml";

/// The folder of images many lessons share, beside `curriculum.yaml`: a lesson
/// names one as `/assets/name.svg`.
pub const ASSETS: &str = "assets";

/// Where a lesson's or assessment's front matter is, as a byte range of its
/// text; `None` when the text has none, or it is not closed yet.
pub fn front_matter(text: &str) -> Option<Range<usize>> {
    frontmatter::split(text)
        .ok()
        .map(|split| split.front_matter)
}

/// What the file at `relative` (to the root) is, when it is one cib reads.
pub fn kind_of(relative: &Path) -> Option<Kind> {
    if relative == Path::new("curriculum.yaml") {
        return Some(Kind::Curriculum);
    }
    if relative == Path::new(FORMULAS) {
        return Some(Kind::Formulas);
    }
    let extension = relative.extension()?.to_str()?;
    FOLDERS
        .iter()
        .find(|(dir, _, extensions)| relative.starts_with(dir) && extensions.contains(&extension))
        .map(|(_, kind, _)| *kind)
}

/// What a file is, decided by where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Curriculum,
    Framework,
    CompetencyFramework,
    Lesson,
    /// A performance assessment: Markdown with front matter, like a lesson.
    Assessment,
    /// The curriculum's library of named formulas, `formulas.yaml` beside
    /// `curriculum.yaml`; optional.
    Formulas,
    /// A 1EdTech CASE package (`CFPackage` JSON), read by `cib import` and
    /// `cib diff`, never found in a curriculum's folders. Packages of CASE 1.0,
    /// or of servers that stray from the schema, are read as 1.1 after the
    /// repairs of `exchange::case` (each reported).
    Case,
}

impl Kind {
    /// The schema file, in `schemas/`, that describes this kind.
    pub fn schema_file(self) -> &'static str {
        match self {
            Kind::Curriculum => "curriculum.schema.json",
            Kind::Framework => "framework.schema.json",
            Kind::CompetencyFramework => "competency-framework.schema.json",
            Kind::Lesson => "lesson.schema.json",
            Kind::Assessment => "assessment.schema.json",
            Kind::Formulas => "formulas.schema.json",
            Kind::Case => "case/case_v1p1_cfpackage-jsonschema1.json",
        }
    }

    /// Whether files of this kind are Markdown with YAML front matter.
    pub fn has_front_matter(self) -> bool {
        matches!(self, Kind::Lesson | Kind::Assessment)
    }

    /// A noun for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Curriculum => "curriculum settings file",
            Kind::Framework => "external framework",
            Kind::CompetencyFramework => "competency framework",
            Kind::Lesson => "lesson",
            Kind::Assessment => "performance assessment",
            Kind::Formulas => "formula library",
            Kind::Case => "CASE package",
        }
    }
}

/// One parsed file.
pub struct Document {
    pub file: FileId,
    pub kind: Kind,
    /// Path relative to the root, `/`-separated; used for schema modelines.
    pub relative: String,
    pub value: Value,
    pub spans: SpanIndex,
    /// The Markdown body of a lesson, as a byte range of the file's text.
    pub body: Option<Range<usize>>,
}

/// Everything `load` found: sources for display, parsed documents, and findings.
pub struct Loaded {
    pub sources: Sources,
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// Kinds of which at least one file could not be read or parsed.
    pub failed: Vec<Kind>,
}

/// `root`, resolved, when it is a curriculum's root (a folder holding
/// `curriculum.yaml`); the error says how to point cib at one.
pub fn curriculum_root(root: &Path) -> anyhow::Result<PathBuf> {
    let meta =
        fs::metadata(root).with_context(|| format!("cannot open root {}", root.display()))?;
    if !meta.is_dir() {
        bail!("root {} is not a directory", root.display());
    }
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve root {}", root.display()))?;
    if !canonical_root.join("curriculum.yaml").is_file() {
        bail!(
            "{} is not a curriculum: it has no curriculum.yaml (run cib in the curriculum's folder or one below it, or pass --root DIR)",
            root.display()
        );
    }
    Ok(canonical_root)
}

/// Loads the curriculum under `root`.
///
/// Content problems become diagnostics; `Err` means cib cannot run at all (the root
/// is missing or is not a curriculum).
pub fn load(root: &Path) -> anyhow::Result<Loaded> {
    load_with(root, &Overlay::new())
}

/// Texts that stand in for files on disk, by path relative to the root: an
/// editor's unsaved buffers. A path in no folder of the curriculum is ignored.
pub type Overlay = std::collections::BTreeMap<PathBuf, String>;

/// Loads the curriculum under `root` as [`load`] does, reading each file of
/// `overlay` from there instead of the disk (a file only there is read too).
pub fn load_with(root: &Path, overlay: &Overlay) -> anyhow::Result<Loaded> {
    let canonical_root = curriculum_root(root)?;
    let mut loader = Loader::new(root, canonical_root);
    loader.overlay = overlay;
    loader.file(PathBuf::from("curriculum.yaml"), Kind::Curriculum);
    // Optional; a link is followed only inside the root, like any other file's.
    match fs::symlink_metadata(loader.root.join(FORMULAS)) {
        Ok(meta) if meta.file_type().is_symlink() => {
            loader.symlink(PathBuf::from(FORMULAS), Kind::Formulas, true);
        }
        Ok(meta) if meta.is_file() => loader.file(PathBuf::from(FORMULAS), Kind::Formulas),
        _ => {}
    }
    for (dir, kind, extensions) in FOLDERS {
        loader.tree(dir, kind, extensions)?;
    }
    Ok(loader.finish())
}

/// Reads one file of a loaded curriculum again from `text`, keeping its
/// [`FileId`] so that spans into every other file stay true: what an edit in
/// an editor costs, instead of loading the whole curriculum.
pub fn reload(
    sources: &mut Sources,
    file: FileId,
    kind: Kind,
    relative: &str,
    text: String,
) -> Loaded {
    let mut loader = Loader::new(Path::new("."), PathBuf::from("."));
    loader.loaded.sources = std::mem::take(sources);
    let (text, problem) = decode(text.into_bytes());
    loader.loaded.sources.replace(file, text);
    if loader.decoded(file, kind, problem) {
        loader.parse(file, kind, relative.to_owned());
    }
    let mut loaded = loader.finish();
    *sources = std::mem::take(&mut loaded.sources);
    loaded
}

/// Loads one framework file named on the command line (`cib import`, `cib diff`),
/// wherever it lives: an external or competency framework in YAML, or a CASE
/// package in JSON. `display` names it in findings; the kind is read from the
/// content, since such a file is not in a curriculum folder that would say.
///
/// `Err` when the file cannot be read at all or is over [`MAX_EXCHANGE_BYTES`].
pub fn framework_file(path: &Path, display: &str) -> anyhow::Result<Loaded> {
    let bytes = read_capped(path, MAX_EXCHANGE_BYTES)
        .with_context(|| format!("cannot read `{display}`"))?
        .with_context(|| {
            format!(
                "`{display}` is larger than the {} limit for a file to import or compare",
                megabytes(MAX_EXCHANGE_BYTES)
            )
        })?;
    Ok(framework_bytes(display, bytes))
}

/// [`framework_file`] for bytes read elsewhere (a file in a git revision).
pub fn framework_bytes(display: &str, mut bytes: Vec<u8>) -> Loaded {
    let mut loader = Loader::new(Path::new("."), PathBuf::from("."));
    if display.to_ascii_lowercase().ends_with(".csv") {
        // Spreadsheets write a byte-order mark to say "UTF-8"; it is expected here.
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        loader.table(display, bytes);
        return loader.finish();
    }
    loader.bytes(PathBuf::from(display), Kind::Framework, bytes);
    let mut loaded = loader.finish();
    for doc in &mut loaded.documents {
        doc.kind = sniff(&doc.value);
    }
    loaded
}

/// The kind of a framework file, from its top-level keys.
fn sniff(value: &Value) -> Kind {
    if value.get("CFDocument").is_some() {
        return Kind::Case;
    }
    if value.get("competencies").is_some() {
        Kind::CompetencyFramework
    } else {
        Kind::Framework
    }
}

/// Loads one file's bytes as if they had been found at `relative` under the current
/// directory: the path the fuzz targets take into the loader.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn from_bytes(kind: Kind, relative: &str, bytes: Vec<u8>) -> Loaded {
    let mut loader = Loader::new(Path::new("."), PathBuf::from("."));
    loader.bytes(PathBuf::from(relative), kind, bytes);
    loader.finish()
}

static EMPTY: Overlay = Overlay::new();

struct Loader<'a> {
    root: &'a Path,
    overlay: &'a Overlay,
    canonical_root: PathBuf,
    loaded: Loaded,
    pending: Vec<Pending>,
    /// Files and bytes read so far, against [`MAX_FILES`] and [`MAX_TOTAL_BYTES`].
    files: usize,
    bytes: u64,
    over_budget: bool,
}

impl<'a> Loader<'a> {
    fn new(root: &'a Path, canonical_root: PathBuf) -> Self {
        Loader {
            root,
            overlay: &EMPTY,
            canonical_root,
            loaded: Loaded {
                sources: Sources::default(),
                documents: Vec::new(),
                diagnostics: Vec::new(),
                failed: Vec::new(),
            },
            pending: Vec::new(),
            files: 0,
            bytes: 0,
            over_budget: false,
        }
    }

    fn tree(&mut self, dir: &str, kind: Kind, extensions: &[&str]) -> anyhow::Result<()> {
        let top = self.root.join(dir);
        // A buffer the editor has not saved yet is a file of the folder too.
        let unsaved = self.overlay.keys().filter(|relative| {
            relative.starts_with(dir)
                && !self.root.join(relative).exists()
                && relative
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| extensions.contains(&e))
        });
        for relative in unsaved.cloned().collect::<Vec<_>>() {
            self.file(relative, kind);
        }
        if !top.is_dir() {
            return Ok(());
        }
        let walker = WalkDir::new(&top).follow_links(false).sort_by_file_name();
        for entry in walker {
            let entry = entry.with_context(|| format!("cannot walk {}", top.display()))?;
            let relative = entry
                .path()
                .strip_prefix(self.root)
                .expect("walkdir yields paths under its start")
                .to_path_buf();
            let file_type = entry.file_type();
            let wanted = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e));
            if file_type.is_symlink() {
                self.symlink(relative, kind, wanted);
            } else if file_type.is_file() && wanted {
                self.file(relative, kind);
            } else if !file_type.is_dir() && wanted {
                let file = self.add_empty(&relative);
                self.fail(
                    kind,
                    Diagnostic::new(
                        Code::UnreadableFile,
                        Span::whole(file),
                        "not a regular file (a pipe, socket or device)",
                    )
                    .with_hint("replace it with a regular file"),
                );
            }
        }
        Ok(())
    }

    /// Links are followed only to targets inside the root; directory links are never
    /// walked (they could loop), but one that leaves the root is still reported.
    fn symlink(&mut self, relative: PathBuf, kind: Kind, wanted: bool) {
        let path = self.root.join(&relative);
        match path.canonicalize() {
            Ok(target) if !target.starts_with(&self.canonical_root) => {
                let file = self.add_empty(&relative);
                self.fail(
                    kind,
                    Diagnostic::new(
                        Code::SymlinkOutsideRoot,
                        Span::whole(file),
                        format!(
                            "symbolic link leads outside the curriculum root, to {}",
                            target.display()
                        ),
                    )
                    .with_hint("copy the file into the repository instead of linking to it"),
                );
            }
            Ok(target) if target.is_file() && wanted => self.file(relative, kind),
            Ok(_) => {}
            Err(error) if wanted => {
                let file = self.add_empty(&relative);
                self.fail(
                    kind,
                    Diagnostic::new(
                        Code::UnreadableFile,
                        Span::whole(file),
                        format!("broken symbolic link: {error}"),
                    )
                    .with_hint("remove the link or restore its target"),
                );
            }
            Err(_) => {}
        }
    }

    fn display_path(&self, relative: &Path) -> String {
        let joined = if self.root == Path::new(".") {
            relative.to_path_buf()
        } else {
            self.root.join(relative)
        };
        joined.to_string_lossy().into_owned()
    }

    fn add_empty(&mut self, relative: &Path) -> FileId {
        let path = self.display_path(relative);
        self.loaded.sources.add(path, String::new())
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.loaded.diagnostics.push(diagnostic);
    }

    /// Reports a finding that keeps a file of `kind` out of the curriculum.
    fn fail(&mut self, kind: Kind, diagnostic: Diagnostic) {
        if !self.loaded.failed.contains(&kind) {
            self.loaded.failed.push(kind);
        }
        self.report(diagnostic);
    }

    fn file(&mut self, relative: PathBuf, kind: Kind) {
        if self.over_budget {
            return;
        }
        let path = self.root.join(&relative);
        let unsaved = self.overlay.get(&relative);
        let size = match unsaved {
            Some(text) => text.len() as u64,
            None => fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        };
        self.files += 1;
        self.bytes += size.min(MAX_FILE_BYTES + 1);
        if self.files > MAX_FILES || self.bytes > MAX_TOTAL_BYTES {
            self.over_budget = true;
            let file = self.add_empty(&relative);
            let message = if self.files > MAX_FILES {
                format!("the curriculum has more than {MAX_FILES} files; cib stopped reading here")
            } else {
                format!(
                    "the curriculum's files pass {} in all here; cib stopped reading",
                    megabytes(MAX_TOTAL_BYTES)
                )
            };
            self.fail(
                kind,
                Diagnostic::new(Code::TooManyFiles, Span::whole(file), message).with_hint(
                    "move files that are not curriculum out of frameworks/, competencies/ and lessons/",
                ),
            );
            return;
        }
        let read = match unsaved {
            Some(text) => Ok((size <= MAX_FILE_BYTES).then(|| text.clone().into_bytes())),
            None => read_capped(&path, MAX_FILE_BYTES),
        };
        let bytes = match read {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                let file = self.add_empty(&relative);
                self.fail(
                    kind,
                    Diagnostic::new(
                        Code::FileTooLarge,
                        Span::whole(file),
                        format!(
                            "file is {}, larger than the {} limit",
                            megabytes(size),
                            megabytes(MAX_FILE_BYTES)
                        ),
                    )
                    .with_hint("split it into smaller files, or remove it if it is not curriculum"),
                );
                return;
            }
            Err(error) => {
                let file = self.add_empty(&relative);
                self.fail(
                    kind,
                    Diagnostic::new(
                        Code::UnreadableFile,
                        Span::whole(file),
                        format!("cannot read the file: {error}"),
                    ),
                );
                return;
            }
        };
        self.bytes(relative, kind, bytes);
    }

    /// Decodes and reads a CSV framework table (see [`crate::exchange::csv`]).
    fn table(&mut self, display: &str, bytes: Vec<u8>) {
        let (text, problem) = decode(bytes);
        let file = self.loaded.sources.add(display.to_owned(), text);
        if let Some(problem) = problem {
            self.fail(Kind::Framework, problem.locate(file));
            return;
        }
        match crate::exchange::csv::read(file, self.loaded.sources.text(file)) {
            Ok(read) => self.loaded.documents.push(Document {
                file,
                kind: read.kind,
                relative: display.to_owned(),
                value: read.value,
                spans: read.spans,
                body: None,
            }),
            Err(problems) => {
                for problem in problems {
                    self.fail(Kind::Framework, problem);
                }
            }
        }
    }

    /// Decodes and parses one file's bytes; `relative` is where it was found.
    fn bytes(&mut self, relative: PathBuf, kind: Kind, bytes: Vec<u8>) {
        let display = self.display_path(&relative);
        let (text, problem) = decode(bytes);
        let file = self.loaded.sources.add(display, text);
        if !self.decoded(file, kind, problem) {
            return;
        }
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        self.parse(file, kind, relative);
    }

    /// Reports what decoding found; `false` when the file cannot be parsed.
    fn decoded(&mut self, file: FileId, kind: Kind, problem: Option<Problem>) -> bool {
        let Some(problem) = problem else {
            return true;
        };
        if problem.severity == crate::diag::Severity::Error {
            self.fail(kind, problem.locate(file));
            return false;
        }
        self.report(problem.locate(file));
        true
    }

    fn parse(&mut self, file: FileId, kind: Kind, relative: String) {
        let text = self.loaded.sources.text(file);
        let (yaml_range, body) = if kind.has_front_matter() {
            match frontmatter::split(text) {
                Ok(split) => (split.front_matter, Some(split.body)),
                Err(frontmatter::SplitError::Missing) => {
                    let end = text.find('\n').unwrap_or(text.len());
                    self.fail(kind,
                        Diagnostic::new(
                            Code::MissingFrontMatter,
                            Span::new(file, 0..end),
                            format!("a {} must start with YAML front matter between `---` lines", kind.noun()),
                        )
                        .with_label("expected `---` here")
                        .with_hint(if kind == Kind::Lesson {
                            "start the file with `---`, the lesson's id, title, duration and teaches, then `---`"
                        } else {
                            "start the file with `---`, the assessment's id, title, kind, demonstrates, duration and rubric, then `---`"
                        }),
                    );
                    return;
                }
                Err(frontmatter::SplitError::Unterminated(open)) => {
                    self.fail(
                        kind,
                        Diagnostic::new(
                            Code::UnterminatedFrontMatter,
                            Span::new(file, open),
                            "front matter is never closed",
                        )
                        .with_label("opened here")
                        .with_hint(
                            "add a line containing only `---` after the last front-matter key",
                        ),
                    );
                    return;
                }
            }
        } else {
            (0..text.len(), None)
        };
        self.pending.push(Pending {
            file,
            kind,
            relative,
            yaml: yaml_range,
            body,
        });
    }

    /// Parses the YAML of every file read, in parallel (it is most of the
    /// loading time), and returns everything in the order the files were found.
    fn finish(mut self) -> Loaded {
        let sources = &self.loaded.sources;
        let parsed = crate::parallel::map(&self.pending, |p| {
            let text = &sources.text(p.file)[p.yaml.clone()];
            yaml::parse(text, p.yaml.start, p.file, Budget::default())
        });
        for (p, result) in std::mem::take(&mut self.pending).into_iter().zip(parsed) {
            match result {
                Ok(doc) => {
                    self.loaded.diagnostics.extend(doc.diagnostics);
                    self.loaded.documents.push(Document {
                        file: p.file,
                        kind: p.kind,
                        relative: p.relative,
                        value: doc.value,
                        spans: doc.spans,
                        body: p.body,
                    });
                }
                Err(diagnostic) => self.fail(p.kind, *diagnostic),
            }
        }
        self.loaded
    }
}

/// A file read and split, its YAML not yet parsed.
struct Pending {
    file: FileId,
    kind: Kind,
    relative: String,
    /// The YAML's byte range in the file's text.
    yaml: Range<usize>,
    body: Option<Range<usize>>,
}

/// Reads at most `limit` bytes; `None` when the file is larger. The size is
/// checked before reading, and the read is capped too, in case the file grows.
fn read_capped(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = fs::File::open(path)?;
    if file.metadata()?.len() > limit {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// A size as people read it in messages: `8.0 MiB`.
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A decoding finding before its file id is known.
struct Problem {
    code: Code,
    severity: crate::diag::Severity,
    range: Option<Range<usize>>,
    message: String,
    hint: &'static str,
}

impl Problem {
    fn new(code: Code, range: Option<Range<usize>>, message: String, hint: &'static str) -> Self {
        Problem {
            code,
            severity: code.default_severity(),
            range,
            message,
            hint,
        }
    }

    fn locate(self, file: FileId) -> Diagnostic {
        let span = match self.range {
            Some(range) => Span::new(file, range),
            None => Span::whole(file),
        };
        Diagnostic::new(self.code, span, self.message).with_hint(self.hint)
    }
}

/// Turns bytes into text: strips a UTF-8 byte-order mark (with a warning), refuses
/// UTF-16/32, invalid UTF-8 and NUL bytes. The returned text is what positions refer
/// to; for invalid UTF-8 it is a lossy copy, whose prefix up to the bad byte is exact.
fn decode(mut bytes: Vec<u8>) -> (String, Option<Problem>) {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    let wide_boms: [&[u8]; 4] = [
        b"\x00\x00\xFE\xFF",
        b"\xFF\xFE\x00\x00",
        b"\xFE\xFF",
        b"\xFF\xFE",
    ];
    if wide_boms.iter().any(|bom| bytes.starts_with(bom)) {
        return (
            String::new(),
            Some(Problem::new(
                Code::InvalidEncoding,
                None,
                "file is UTF-16 or UTF-32 (it starts with a wide byte-order mark)".into(),
                "save the file as UTF-8",
            )),
        );
    }
    let mut bom = None;
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
        bom = Some(Problem::new(
            Code::ByteOrderMark,
            Some(0..0),
            "file starts with a UTF-8 byte-order mark".into(),
            "save the file as UTF-8 without a byte-order mark",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            // The file is refused and its text only shown, so each NUL is
            // shown as the symbol for it: raw, it would reach the terminal.
            Some(at) => (
                text.replace('\0', "\u{2400}"),
                Some(Problem::new(
                    Code::NulByte,
                    Some(at..at + '\u{2400}'.len_utf8()),
                    "file contains a NUL byte; it looks binary or corrupted".into(),
                    "restore the file from git or remove the stray bytes",
                )),
            ),
            None => (text, bom),
        },
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let bad = error.as_bytes()[at];
            (
                text,
                Some(Problem::new(
                    Code::InvalidEncoding,
                    Some(at..at + '\u{FFFD}'.len_utf8()),
                    format!(
                        "file is not valid UTF-8: byte 0x{bad:02X} cannot start or continue a character"
                    ),
                    "re-save the file as UTF-8 in your editor",
                )),
            )
        }
    }
}
