//! `cib init` and `cib new`: a curriculum to start from, and a lesson, a
//! competency or a framework added to one. Every file comes from a template in
//! `src/templates/` and is checked before cib says it is done.
//!
//! *Why minijinja* (already used for the catalog) rather than string
//! replacement: its strict mode makes a misspelt placeholder an error that the
//! tests see, not empty text; and one formatter writes every value into the
//! YAML safely (plain when YAML reads it back as the same text, else
//! double-quoted), so a title such as `Taps: sizes` or `No` cannot change
//! what a file means. Text meant for Markdown is marked `| safe` in the
//! template.
//!
//! *Why check after writing:* the templates must always give files that
//! `cib check` accepts. [`add`] checks the curriculum before and after the
//! write, and if the write added an error it puts the old bytes back (and
//! says so: that is a bug in cib).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail, ensure};
use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};
use serde_json::{Value, json};

use crate::Checked;
use crate::check::schema::EMBEDDED;
use crate::generate::Out;
use crate::model::{Curriculum, FrameworkId};

/// The files of every new curriculum: (path in it, template).
const INIT: &[(&str, &str)] = &[
    ("README.md", include_str!("templates/init/README.md")),
    (".gitignore", include_str!("templates/init/gitignore")),
    (
        ".pre-commit-config.yaml",
        include_str!("templates/init/pre-commit-config.yaml"),
    ),
    (
        ".github/workflows/curriculum.yml",
        include_str!("templates/init/github-workflow.yml"),
    ),
    (
        ".helix/languages.toml",
        include_str!("templates/init/helix-languages.toml"),
    ),
];

/// The machine-shop example: an external framework, competencies aligned to
/// it and a lesson, all filled in.
const MACHINING: &[(&str, &str)] = &[
    (
        "curriculum.yaml",
        include_str!("templates/init/curriculum.yaml"),
    ),
    (
        "frameworks/example-standards.yaml",
        include_str!("templates/init/example-standards.yaml"),
    ),
    (
        "competencies/shop-basics.yaml",
        include_str!("templates/init/shop-basics.yaml"),
    ),
    (
        "lessons/shop-basics/shop-safety-and-steel-rule.md",
        include_str!("templates/init/shop-safety-and-steel-rule.md"),
    ),
];

const EMPTY_CURRICULUM: &str = include_str!("templates/init/empty/curriculum.yaml");
const EMPTY_COMPETENCIES: &str = include_str!("templates/init/empty/competencies.yaml");

const LESSON: &str = include_str!("templates/new/lesson.md");
const COMPETENCY: &str = include_str!("templates/new/competency.yaml");
/// A new competency's statement until the author writes one.
const STATEMENT: &str =
    "Replace with what the student can do, under what conditions, to what standard.";
const COMPETENCY_FRAMEWORK: &str = include_str!("templates/new/competency-framework.yaml");
const FRAMEWORK: &str = include_str!("templates/new/framework.yaml");

/// The license of what `cib new` writes when curriculum.yaml names none.
pub const DEFAULT_LICENSE: &str = "CC-BY-4.0";

/// What `cib init` puts in `curriculum.yaml`.
pub struct Project {
    pub title: String,
    pub publisher: String,
    /// An SPDX license identifier or expression.
    pub license: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub template: Template,
}

/// What a new curriculum starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// A competency framework named after the title, one competency and one
    /// lesson, with placeholders for the author's text (C025 lists them).
    Empty,
    /// A worked machine-shop example: an EXAMPLE external framework, two
    /// competencies aligned to it and a lesson teaching them.
    Machining,
}

/// The id of a program's competency framework, from its title: "Welding and
/// Metal Fabrication" is `welding-and-metal-fabrication`.
fn program_id(title: &str) -> String {
    crate::model::slug(title).unwrap_or_else(|| "program".to_owned())
}

/// The prefix of its competency ids: the initials of the title's words
/// ("WMF"), or the first letters of a one-word title ("WELD").
fn id_prefix(title: &str) -> String {
    const SMALL: [&str; 6] = ["and", "of", "the", "for", "in", "a"];
    let words: Vec<&str> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !SMALL.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    let prefix: String = match words.as_slice() {
        [] => "PROG".to_owned(),
        [one] => one.chars().take(4).collect(),
        many => many
            .iter()
            .filter_map(|w| w.chars().next())
            .take(5)
            .collect(),
    };
    let prefix = prefix.to_ascii_uppercase();
    if prefix.starts_with(|c: char| c.is_ascii_alphabetic()) {
        prefix
    } else {
        format!("P{prefix}")
    }
}

/// Writes a new curriculum into `dir`, which must be missing or empty, and
/// returns the files written (relative to `dir`). On failure the files
/// already written are removed again.
pub fn init(dir: &Path, project: &Project) -> anyhow::Result<Vec<String>> {
    one_line("title", &project.title)?;
    one_line("publisher", &project.publisher)?;
    license(&project.license)?;
    conform(
        "date",
        "curriculum.schema.json",
        "/properties/date",
        &json!(project.date),
    )?;
    crate::ensure_new_folder(dir, "init")?;
    let made_dir = !dir.exists();
    let mut out = Out::new(dir);
    let program = program_id(&project.title);
    let prefix = id_prefix(&project.title);
    let context = json!({
        "title": project.title,
        "publisher": project.publisher,
        "license": project.license,
        "date": project.date,
        "machining": project.template == Template::Machining,
        "program": program,
        "prefix": prefix,
        "instructor_title": format!("{} — instructor lesson plans", project.title),
        "student_title": format!("{} — student handouts", project.title),
        // The workflow installs the release of the cib that wrote it.
        "version": env!("CARGO_PKG_VERSION"),
    });
    let mut files: Vec<(String, String)> = Vec::new();
    match project.template {
        Template::Machining => {
            for (path, template) in MACHINING {
                files.push(((*path).to_owned(), render(path, template, &context)?));
            }
        }
        Template::Empty => {
            files.push((
                "curriculum.yaml".into(),
                render("curriculum.yaml", EMPTY_CURRICULUM, &context)?,
            ));
            let competencies = format!("competencies/{program}.yaml");
            files.push((
                competencies.clone(),
                render(&competencies, EMPTY_COMPETENCIES, &context)?,
            ));
            let lesson = format!("{program}-first-lesson");
            let path = format!("lessons/{program}/{lesson}.md");
            let lesson_context = json!({
                "id": lesson,
                "title": "Replace with the first lesson's title",
                "teaches": [format!("{prefix}-01")],
                "minutes": 45,
            });
            files.push((path.clone(), render(&path, LESSON, &lesson_context)?));
        }
    }
    for (path, template) in INIT {
        files.push(((*path).to_owned(), render(path, template, &context)?));
    }
    let written = out.schemas().and_then(|()| {
        for (path, text) in &files {
            out.file(path, text)?;
        }
        Ok(())
    });
    if let Err(error) = written {
        remove(dir, &out.written, made_dir);
        return Err(error);
    }
    Ok(out.written)
}

/// Removes files [`init`] wrote, then the folders that held them if that
/// left them empty.
fn remove(dir: &Path, files: &[String], made_dir: bool) {
    let mut folders = Vec::new();
    for file in files {
        let _ = fs::remove_file(dir.join(file));
        let mut folder = Path::new(file).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            folders.push(dir.join(f));
            folder = f.parent();
        }
    }
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    folders.dedup();
    for folder in folders {
        let _ = fs::remove_dir(folder);
    }
    if made_dir {
        let _ = fs::remove_dir(dir);
    }
}

/// Today (UTC) as `YYYY-MM-DD`, or the day of `SOURCE_DATE_EPOCH` when it is
/// set, so scripted runs can be repeated byte for byte.
pub fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (year, month, day) = crate::package::civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// What `cib new` adds.
pub enum Addition {
    /// `lessons/[folder/]<id>.md`.
    Lesson {
        id: String,
        title: String,
        teaches: Vec<String>,
        minutes: u32,
        folder: Option<String>,
    },
    /// A new last item of a competency framework's `competencies:` list.
    Competency {
        id: String,
        framework: String,
        title: String,
        /// The scale's lowest level when `None`.
        level: Option<String>,
        hours: f64,
        statement: Option<String>,
    },
    /// `competencies/<id>.yaml` with one placeholder competency, or, with a
    /// publisher, the external framework `frameworks/<id>.yaml` with one
    /// placeholder item.
    Framework {
        id: String,
        title: String,
        publisher: Option<String>,
        /// The placeholder competency's id [default: from the framework's].
        competency: Option<String>,
    },
}

impl Addition {
    fn id(&self) -> &str {
        match self {
            Addition::Lesson { id, .. }
            | Addition::Competency { id, .. }
            | Addition::Framework { id, .. } => id,
        }
    }

    /// Whether `c` holds what this addition adds.
    fn is_in(&self, c: &Curriculum) -> bool {
        match self {
            Addition::Lesson { id, .. } => c.lessons.iter().any(|l| l.id.value.as_str() == id),
            Addition::Competency { id, framework, .. } => c
                .competency(id)
                .is_some_and(|k| k.framework.as_str() == framework),
            Addition::Framework { id, .. } => framework_exists(c, id),
        }
    }
}

/// What [`add`] did.
pub struct Added {
    /// The file written, as `cib check` names it.
    pub path: String,
    /// Whether the file was new (else an existing one was extended).
    pub created: bool,
    /// The curriculum after the write, with only the findings the write added.
    pub report: Checked,
    /// All the curriculum's findings after the write, counted.
    pub total: crate::diag::Tally,
    /// The write added an error, so the file was put back as it was.
    pub rolled_back: bool,
}

/// Adds a lesson, a competency or a framework to the curriculum at `root`.
///
/// `Err` when the addition is refused before anything is written (a bad or
/// taken id, an unknown competency or framework, a file in the way) or the
/// write failed. A write that added an error to `cib check` is undone and
/// reported as [`Added::rolled_back`].
pub fn add(root: &Path, addition: &Addition) -> anyhow::Result<Added> {
    let before = crate::check(root)?;
    let change = plan(root, &before, addition)?;
    if let Err(error) = change.apply() {
        for folder in &change.folders {
            let _ = fs::remove_dir(folder);
        }
        return Err(error);
    }
    let after = match crate::check(root) {
        Ok(after) => after,
        Err(error) => {
            change.undo()?;
            return Err(error);
        }
    };
    let present = addition.is_in(&after.curriculum);
    let total = crate::diag::Tally::of(&after.diagnostics);
    let report = added_findings(&before, after);
    let rolled_back = !present || report.has_errors();
    if rolled_back {
        change.undo()?;
    }
    Ok(Added {
        path: change.display,
        created: change.previous.is_none(),
        report,
        total,
        rolled_back,
    })
}

/// One file to write, and what to put back.
struct Change {
    path: PathBuf,
    display: String,
    bytes: Vec<u8>,
    /// The file's bytes before, when it exists.
    previous: Option<Vec<u8>>,
    /// The folders a new file needs that are missing, deepest first.
    folders: Vec<PathBuf>,
}

impl Change {
    fn apply(&self) -> anyhow::Result<()> {
        if self.previous.is_none() {
            // Checked again just before writing: never replace a file.
            ensure!(!self.path.exists(), "`{}` exists", self.display);
            if let Some(folder) = self.folders.first() {
                fs::create_dir_all(folder)
                    .with_context(|| format!("cannot create `{}`", folder.display()))?;
            }
        }
        crate::build::replace_file(&self.path, &self.bytes)
            .with_context(|| format!("cannot write `{}`", self.display))
    }

    fn undo(&self) -> anyhow::Result<()> {
        match &self.previous {
            Some(bytes) => crate::build::replace_file(&self.path, bytes),
            None => fs::remove_file(&self.path).map_err(anyhow::Error::from),
        }
        .with_context(|| format!("cannot put `{}` back as it was", self.display))?;
        for folder in &self.folders {
            let _ = fs::remove_dir(folder);
        }
        Ok(())
    }
}

/// The findings of `after` that `before` did not have (same code, file and
/// message), with `after`'s sources and curriculum.
fn added_findings(before: &Checked, after: Checked) -> Checked {
    let old: HashSet<_> = before
        .diagnostics
        .iter()
        .map(|d| (d.code, before.sources.path(d.span.file), d.message.as_str()))
        .collect();
    let Checked {
        sources,
        diagnostics,
        curriculum,
        tally,
    } = after;
    let diagnostics = diagnostics
        .into_iter()
        .filter(|d| !old.contains(&(d.code, sources.path(d.span.file), d.message.as_str())))
        .collect();
    Checked {
        sources,
        diagnostics,
        curriculum,
        tally,
    }
}

/// Works out the file to write, refusing what `cib check` would not accept.
fn plan(root: &Path, before: &Checked, addition: &Addition) -> anyhow::Result<Change> {
    let c = &before.curriculum;
    let id = addition.id();
    match addition {
        Addition::Lesson {
            title,
            teaches,
            minutes,
            folder,
            ..
        } => {
            conform(
                "lesson id",
                "lesson.schema.json",
                "/properties/id",
                &json!(id),
            )?;
            one_line("title", title)?;
            conform(
                "duration",
                "lesson.schema.json",
                "/properties/duration",
                &json!(minutes),
            )?;
            complete(c.complete.lessons, "lesson")?;
            if let Some(l) = c.lessons.iter().find(|l| l.id.value.as_str() == id) {
                bail!(
                    "a lesson with id `{id}` already exists: {}",
                    before.sources.path(l.file)
                );
            }
            ensure!(!teaches.is_empty(), "--teaches needs a competency id");
            for (n, k) in teaches.iter().enumerate() {
                conform(
                    "competency id",
                    "lesson.schema.json",
                    "/properties/teaches/items",
                    &json!(k),
                )?;
                ensure!(!teaches[..n].contains(k), "--teaches names `{k}` twice");
                if c.competency(k).is_none() {
                    let known = c.competencies().map(|k| k.id.value.as_str());
                    let hint = match crate::diag::suggest(k, known) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => " (`cib new competency` adds one)".to_owned(),
                    };
                    complete(c.complete.competencies, "competency framework")?;
                    bail!("no competency `{k}` in competencies/{hint}");
                }
            }
            let mut relative = PathBuf::from("lessons");
            if let Some(folder) = folder {
                relative.push(lesson_folder(folder)?);
            }
            relative.push(format!("{id}.md"));
            let context = json!({
                "id": id, "title": title, "minutes": minutes, "teaches": teaches,
            });
            new_file(root, &relative, render("lesson.md", LESSON, &context)?)
        }
        Addition::Competency {
            framework,
            title,
            level,
            hours,
            statement,
            ..
        } => {
            let competency = "/definitions/competency/properties";
            let schema = "competency-framework.schema.json";
            conform(
                "competency id",
                schema,
                &format!("{competency}/id"),
                &json!(id),
            )?;
            one_line("title", title)?;
            let scale = c
                .settings
                .as_ref()
                .map(|s| s.competency_levels.clone())
                .unwrap_or_else(|| crate::model::DESE_LEVELS.map(str::to_owned).to_vec());
            let level = level.as_ref().unwrap_or(&scale[0]);
            if !scale.contains(level) {
                bail!(
                    "`{level}` is not a level of the curriculum's scale: it must be one of {}",
                    scale.join(", ")
                );
            }
            conform(
                "hours",
                schema,
                &format!("{competency}/hours"),
                &json!(hours),
            )?;
            if let Some(s) = statement {
                one_line("statement", s)?;
            }
            complete(c.complete.competencies, "competency framework")?;
            if let Some(k) = c.competency(id) {
                bail!(
                    "a competency with id `{id}` already exists, in {}",
                    before.sources.path(k.id.span.file)
                );
            }
            let Some(f) = c.competency_framework(&FrameworkId::new(framework.as_str())) else {
                if c.frameworks
                    .iter()
                    .any(|f| f.id.value.as_str() == framework)
                {
                    bail!(
                        "`{framework}` is an external framework (frameworks/); competencies belong to one of ours in competencies/"
                    );
                }
                let known = c.competency_frameworks.iter().map(|f| f.id.value.as_str());
                let hint = match crate::diag::suggest(framework, known) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => " (`cib new framework` adds one)".to_owned(),
                };
                bail!("no competency framework `{framework}` in competencies/{hint}");
            };
            let display = before.sources.path(f.id.span.file).to_owned();
            let path = PathBuf::from(&display);
            ensure!(
                !fs::symlink_metadata(&path)?.file_type().is_symlink(),
                "`{display}` is a symbolic link; add the competency to the file it points to"
            );
            let previous = fs::read(&path).with_context(|| format!("cannot read `{display}`"))?;
            let text = std::str::from_utf8(&previous)
                .with_context(|| format!("`{display}` is not UTF-8 text"))?;
            let hours = if hours.fract() == 0.0 && hours.abs() < 1e15 {
                json!(*hours as i64)
            } else {
                json!(hours)
            };
            let context = json!({
                "id": id, "title": title, "level": level, "hours": hours,
                "statement": statement.as_deref().unwrap_or(STATEMENT),
            });
            let entry = render("competency.yaml", COMPETENCY, &context)?;
            let bytes = append_competency(text, &entry)
                .with_context(|| format!("cannot add a competency to `{display}`"))?
                .into_bytes();
            Ok(Change {
                path,
                display,
                bytes,
                previous: Some(previous),
                folders: Vec::new(),
            })
        }
        Addition::Framework {
            title,
            publisher,
            competency,
            ..
        } => {
            let (schema, folder) = match publisher {
                Some(_) => ("framework.schema.json", "frameworks"),
                None => ("competency-framework.schema.json", "competencies"),
            };
            conform("framework id", schema, "/properties/id", &json!(id))?;
            one_line("title", title)?;
            complete(c.complete.frameworks, "framework")?;
            complete(c.complete.competencies, "competency framework")?;
            ensure!(
                !framework_exists(c, id),
                "a framework with id `{id}` already exists"
            );
            let relative = Path::new(folder).join(format!("{id}.yaml"));
            let text = match publisher {
                Some(publisher) => {
                    one_line("publisher", publisher)?;
                    let context = json!({
                        "id": id, "title": title, "publisher": publisher, "code": "ITEM-1",
                    });
                    render("framework.yaml", FRAMEWORK, &context)?
                }
                None => {
                    let first = match competency {
                        Some(k) => k.clone(),
                        None => first_competency(id),
                    };
                    conform(
                        "competency id (--competency)",
                        schema,
                        "/definitions/competency/properties/id",
                        &json!(first),
                    )?;
                    ensure!(
                        c.competency(&first).is_none(),
                        "a competency with id `{first}` already exists; name the new framework's first competency with --competency"
                    );
                    let license = c
                        .settings
                        .as_ref()
                        .map_or(DEFAULT_LICENSE, |s| s.license.as_str());
                    let context = json!({
                        "id": id, "title": title, "license": license, "competency": first,
                    });
                    render("competency-framework.yaml", COMPETENCY_FRAMEWORK, &context)?
                }
            };
            new_file(root, &relative, text)
        }
    }
}

fn framework_exists(c: &Curriculum, id: &str) -> bool {
    c.frameworks.iter().any(|f| f.id.value.as_str() == id)
        || c.competency_frameworks
            .iter()
            .any(|f| f.id.value.as_str() == id)
}

/// The id of a new framework's first competency: `cnc-mill` gives `CNC-MILL-01`.
fn first_competency(framework: &str) -> String {
    let prefix = framework.to_ascii_uppercase();
    if prefix.starts_with(|c: char| c.is_ascii_digit()) {
        format!("C{prefix}-01")
    } else {
        format!("{prefix}-01")
    }
}

/// Refuses to add to a curriculum whose files of one kind did not all load:
/// an id in the file that failed could not be checked as taken.
fn complete(loaded: bool, noun: &str) -> anyhow::Result<()> {
    ensure!(
        loaded,
        "a {noun} file could not be read (see `cib check`); fix it first, so that ids can be checked as unique"
    );
    Ok(())
}

/// A new file at `relative` under `root`, refused if something is there.
fn new_file(root: &Path, relative: &Path, text: String) -> anyhow::Result<Change> {
    let path = root.join(relative);
    let display = if root == Path::new(".") {
        relative.display().to_string()
    } else {
        path.display().to_string()
    };
    ensure!(
        fs::symlink_metadata(&path).is_err(),
        "`{display}` exists; cib new never replaces a file"
    );
    let folders = path
        .ancestors()
        .skip(1)
        .take_while(|f| !f.as_os_str().is_empty() && fs::symlink_metadata(f).is_err())
        .map(Path::to_path_buf)
        .collect();
    Ok(Change {
        path,
        display,
        bytes: text.into_bytes(),
        previous: None,
        folders,
    })
}

/// A folder under lessons/, given as `a/b`: plain names only, so a lesson
/// cannot be written outside lessons/.
fn lesson_folder(folder: &str) -> anyhow::Result<PathBuf> {
    let parts: Vec<&str> = folder.trim_end_matches('/').split('/').collect();
    let plain = |p: &&str| {
        !p.is_empty()
            && !p.starts_with('.')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    ensure!(
        parts.iter().all(plain),
        "--folder `{folder}` must be a folder under lessons/ named with letters, digits, `-`, `_` and `.` (such as `cnc-mill` or `shop/safety`)"
    );
    Ok(parts.iter().collect())
}

/// Refuses text that is empty or spans lines, which no title or name should.
fn one_line(what: &str, text: &str) -> anyhow::Result<()> {
    ensure!(!text.trim().is_empty(), "the {what} is empty");
    ensure!(
        !text.chars().any(char::is_control),
        "the {what} holds a line break, tab or other control character; give it on one line"
    );
    Ok(())
}

/// Refuses a license that is not an SPDX identifier or expression
/// (identifiers joined by AND, OR or WITH).
fn license(text: &str) -> anyhow::Result<()> {
    let identifier = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | ':'))
    };
    let words: Vec<&str> = text
        .split(' ')
        .map(|w| w.trim_matches(['(', ')']))
        .collect();
    let valid = words.len() % 2 == 1
        && words.iter().enumerate().all(|(i, w)| {
            if i % 2 == 1 {
                matches!(*w, "AND" | "OR" | "WITH")
            } else {
                identifier(w)
            }
        });
    ensure!(
        valid,
        "`{text}` is not an SPDX license identifier or expression, such as CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0 (https://spdx.org/licenses/)"
    );
    Ok(())
}

/// Refuses `value` unless the part of an embedded schema at `pointer` accepts
/// it, and says what that part asks for: the schemas stay the one place where
/// an id's pattern is written down.
fn conform(what: &str, schema: &str, pointer: &str, value: &Value) -> anyhow::Result<()> {
    let text = EMBEDDED
        .iter()
        .find(|(name, _)| *name == schema)
        .map(|(_, text)| *text)
        .expect("the schema is embedded");
    let root: Value = serde_json::from_str(text).expect("embedded schemas are JSON");
    let part = root.pointer(pointer).expect("the schema has this property");
    let validator = jsonschema::draft7::options()
        .build(part)
        .expect("embedded schemas compile");
    if validator.is_valid(value) {
        return Ok(());
    }
    let mut rules = Vec::new();
    if let Some(pattern) = part["pattern"].as_str() {
        rules.push(format!("match the pattern {pattern}"));
    }
    if let Some(n) = part["maxLength"].as_u64() {
        rules.push(format!("be at most {n} characters long"));
    }
    if let Some(values) = part["enum"].as_array() {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        rules.push(format!("be one of {}", values.join(", ").replace('"', "")));
    }
    match (part["minimum"].as_f64(), part["maximum"].as_f64()) {
        (Some(lo), Some(hi)) => rules.push(format!("be from {lo} to {hi}")),
        (Some(lo), None) => rules.push(format!("be at least {lo}")),
        (None, Some(hi)) => rules.push(format!("be at most {hi}")),
        (None, None) => {}
    }
    if let Some(example) = part["examples"].get(0).and_then(Value::as_str) {
        rules.push(format!("such as `{example}`"));
    }
    let shown = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    bail!(
        "`{shown}` is not a valid {what}: it must {} ({schema})",
        rules.join(", ")
    )
}

/// Renders one of the templates. Every value is written as a YAML scalar
/// unless the template marks it `| safe`; a template that does not render is
/// a bug, since the templates and their data are both ours.
fn render(name: &str, template: &str, context: &Value) -> anyhow::Result<String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_formatter(|out, _state, value| {
        let text = match value.as_str() {
            Some(s) if !value.is_safe() => crate::exchange::yaml_scalar(s),
            _ => value.to_string(),
        };
        out.write_str(&text).map_err(minijinja::Error::from)
    });
    env.add_template(name, template)
        .and_then(|()| env.get_template(name))
        .and_then(|t| t.render(minijinja::value::Serde(context)))
        .map_err(|e| anyhow::anyhow!("internal error: the template {name} does not render: {e}"))
}

/// `text` (a competency framework file) with a competency `id` added from
/// `cib new competency`'s template, its title and statement left for the
/// author to write: the quick fix an editor offers for an id no framework
/// defines.
pub(crate) fn with_new_competency(text: &str, id: &str, level: &str) -> anyhow::Result<String> {
    let context = json!({
        "id": id, "title": "Replace with the competency's title", "level": level, "hours": 1,
        "statement": STATEMENT,
    });
    append_competency(text, &render("competency.yaml", COMPETENCY, &context)?)
}

/// `text` (a competency framework file) with `entry` (a list item written
/// from column 0) added as the last item of its top-level `competencies:`
/// list, indented like the items before it and separated by a blank line if
/// they are. Every byte of `text` is kept, in order: the entry goes at the
/// end of the file, or, when a key follows the list, after the list's last
/// line (comments and blank lines before that key stay with it).
fn append_competency(text: &str, entry: &str) -> anyhow::Result<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        lines.push((offset, raw.trim_end_matches(['\n', '\r'])));
        offset += raw.len();
    }
    let content = |l: &str| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#')
    };
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let is_item = |l: &str| {
        let t = l.trim_start_matches(' ');
        t == "-" || t.starts_with("- ")
    };
    let key = lines
        .iter()
        .position(|(_, l)| {
            l.strip_prefix("competencies:").is_some_and(|rest| {
                let rest = rest.trim();
                rest.is_empty() || rest.starts_with('#')
            })
        })
        .context("it has no `competencies:` line followed by a list of `- id: …` items")?;
    let first = (key + 1..lines.len())
        .find(|&i| content(lines[i].1))
        .filter(|&i| is_item(lines[i].1))
        .context("`competencies:` is not followed by a list of `- id: …` items")?;
    let item = indent(lines[first].1);
    let end = (first..lines.len()).find(|&i| {
        let l = lines[i].1;
        content(l) && (indent(l) < item || (indent(l) == item && !is_item(l)))
    });
    let last_item = (first..end.unwrap_or(lines.len()))
        .rev()
        .find(|&i| indent(lines[i].1) == item && is_item(lines[i].1))
        .unwrap_or(first);
    let separated = last_item > 0 && lines[last_item - 1].1.trim().is_empty();
    let at = match end {
        None => text.len(),
        Some(end) => {
            let last = (first..end)
                .rev()
                .find(|&i| content(lines[i].1))
                .unwrap_or(first);
            lines[last + 1].0
        }
    };
    let (head, tail) = text.split_at(at);
    let mut out = String::with_capacity(text.len() + entry.len() + 64);
    out.push_str(head);
    if !head.is_empty() && !head.ends_with('\n') {
        out.push_str(newline);
    }
    let blank_before = head.ends_with("\n\n") || head.ends_with("\n\r\n");
    if separated && !blank_before {
        out.push_str(newline);
    }
    for line in entry.lines() {
        if !line.is_empty() {
            out.push_str(&" ".repeat(item));
            out.push_str(line);
        }
        out.push_str(newline);
    }
    out.push_str(tail);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_names_the_program_and_its_competency_ids() {
        use super::{id_prefix, program_id};
        assert_eq!(
            program_id("Welding and Metal Fabrication"),
            "welding-and-metal-fabrication"
        );
        assert_eq!(id_prefix("Welding and Metal Fabrication"), "WMF");
        assert_eq!(id_prefix("Culinary Arts"), "CA");
        assert_eq!(id_prefix("Welding"), "WELD");
        assert_eq!(id_prefix("3D Design: Year 1"), "P3DY1");
        assert_eq!(program_id("  !!  "), "program");
        assert_eq!(id_prefix("  !!  "), "PROG");
    }

    use super::*;

    const ENTRY: &str = "- id: NEW-01\n  title: New\n";

    #[test]
    fn a_competency_goes_after_the_last_item_and_every_byte_stays() {
        let text = "# top\nid: f\ncompetencies:\n  # first\n  - id: A-01\n    title: A\n\n  - id: B-01\n    statement: >\n      text\n# trailing\n";
        let out = append_competency(text, ENTRY).unwrap();
        assert_eq!(out, format!("{text}\n  - id: NEW-01\n    title: New\n"));
    }

    #[test]
    fn a_key_after_the_list_keeps_its_comments_and_the_list_its_style() {
        let text =
            "competencies:\n- id: A-01\n  title: A\n\n# about the description\ndescription: x\n";
        let out = append_competency(text, ENTRY).unwrap();
        assert_eq!(
            out,
            "competencies:\n- id: A-01\n  title: A\n- id: NEW-01\n  title: New\n\n# about the description\ndescription: x\n"
        );
    }

    #[test]
    fn line_ends_and_a_missing_last_line_end_are_kept() {
        let out = append_competency("competencies:\r\n  - id: A-01", ENTRY).unwrap();
        assert_eq!(
            out,
            "competencies:\r\n  - id: A-01\r\n  - id: NEW-01\r\n    title: New\r\n"
        );
    }

    #[test]
    fn a_flow_list_or_no_list_is_refused() {
        assert!(append_competency("competencies: [a]\n", ENTRY).is_err());
        assert!(append_competency("id: x\n", ENTRY).is_err());
        assert!(append_competency("competencies:\nid: x\n", ENTRY).is_err());
    }

    #[test]
    fn values_are_yaml_scalars_unless_marked_safe() {
        let context = json!({"a": "Taps: sizes", "b": "No", "c": "plain words", "n": 1.5});
        let text = render(
            "t",
            "{{ a }}|{{ b }}|{{ c }}|{{ n }}|{{ a | safe }}\n",
            &context,
        );
        assert_eq!(
            text.unwrap(),
            "\"Taps: sizes\"|\"No\"|plain words|1.5|Taps: sizes\n"
        );
        assert!(render("t", "{{ missing }}", &context).is_err());
    }

    #[test]
    fn ids_are_refused_with_the_schema_pattern() {
        let error = conform(
            "lesson id",
            "lesson.schema.json",
            "/properties/id",
            &json!("Bad_Id"),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("^[a-z0-9]+(-[a-z0-9]+)*$"), "{error}");
        assert!(conform("x", "lesson.schema.json", "/properties/id", &json!("ok-1")).is_ok());
        assert_eq!(first_competency("cnc-mill"), "CNC-MILL-01");
        assert_eq!(first_competency("3d-print"), "C3D-PRINT-01");
    }

    #[test]
    fn licenses_are_spdx() {
        for good in ["CC-BY-4.0", "MIT OR Apache-2.0", "LicenseRef-school"] {
            assert!(license(good).is_ok(), "{good}");
        }
        for bad in ["", "my license", "CC BY"] {
            assert!(license(bad).is_err(), "{bad}");
        }
    }
}
