//! cib — curriculum-in-a-box.
//!
//! A pipeline of stages over a curriculum repository, each a module with a small
//! surface: [`load`] reads files with positions, [`check`] validates them against
//! schemas and rules, [`resolve`] builds the typed [`model::Curriculum`],
//! [`analyze`] answers questions about it, [`render`] typesets PDFs,
//! [`package`] packs bundles and [`publish`] writes the catalog; [`build`] runs
//! them all; [`scaffold`] writes new curricula and files from templates.
//! Findings are [`diag::Diagnostic`] values until the CLI prints them.

pub mod analyze;
pub mod build;
pub mod check;
pub mod diag;
pub mod exchange;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod generate;
pub mod load;
pub mod lsp;
pub mod model;
pub mod package;
mod parallel;
pub mod publish;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;

use std::path::Path;

use diag::{Diagnostic, Sources};
use model::Curriculum;

/// What `cib check` produces: the curriculum as far as it could be resolved, every
/// finding (sorted), and the sources they point into.
pub struct Checked {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub curriculum: Curriculum,
    /// For an imported CASE package: what it held and what was kept.
    pub tally: Option<exchange::case::Tally>,
}

impl Checked {
    /// Whether any finding is an error, which stops every stage after the check.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == diag::Severity::Error)
    }

    /// Whether any error stops an exchange export: all do but those about
    /// printing (a character no font has, a lesson too large to typeset),
    /// which a CASE package or CSV table never does. A framework in Japanese
    /// exchanges as well as one in English.
    pub fn has_exchange_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| {
            d.severity == diag::Severity::Error
                && !matches!(
                    d.code,
                    diag::Code::UnprintableCharacter | diag::Code::DocumentSize
                )
        })
    }
}

/// Text with every run of whitespace as one space and none at either end: how
/// a YAML fold or a spreadsheet cell's line breaks are read as one line.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A CSV cell as cib writes it: one a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return first, unless it is a
/// number) gets a leading `'`, which spreadsheets read as "this is text" and
/// do not show. So does one that starts with `'` itself, so that
/// [`restore_csv_cell`] gives back exactly what was written.
pub(crate) fn defuse_csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    let number = value.parse::<f64>().is_ok_and(f64::is_finite);
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number;
    if formula || value.starts_with('\'') {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// A cell read from a table, as a spreadsheet shows it: without the leading
/// `'` that marks text ([`defuse_csv_cell`]).
pub(crate) fn restore_csv_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Refuses to write into `dir` unless it is missing or empty, so a command that
/// makes a folder of files never mixes them with (or overwrites) the user's.
pub(crate) fn ensure_new_folder(dir: &Path, verb: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read `{}`", dir.display()))?
            .next()
            .is_none();
        anyhow::ensure!(
            empty,
            "`{}` is not empty; {verb} into a new folder",
            dir.display()
        );
    }
    Ok(())
}

/// Runs load, schema validation, resolve and the semantic rules on `root`.
///
/// `Err` only when cib cannot run at all (no such directory, not a curriculum).
pub fn check(root: &Path) -> anyhow::Result<Checked> {
    checked(load::load(root)?, true)
}

/// Checks one framework file loaded by [`load::framework_file`]: its schema and
/// what resolving it finds (ids and codes unique). The rules are left out: they
/// follow references into files that are not there.
///
/// A CASE package is checked against its CASE schema and, if it passes, read
/// into the framework it describes ([`exchange::case`]), whose findings point
/// back into the package.
pub fn check_framework_file(mut loaded: load::Loaded) -> anyhow::Result<Checked> {
    let mut documents = Vec::new();
    let mut tally = None;
    for doc in std::mem::take(&mut loaded.documents) {
        if !matches!(doc.kind, load::Kind::Case) {
            documents.push(doc);
            continue;
        }
        let mut doc = doc;
        loaded.diagnostics.extend(exchange::case::repair(&mut doc));
        let problems = check::schema::validate(&doc, loaded.sources.text(doc.file));
        if !problems.is_empty() {
            loaded.diagnostics.extend(problems);
            loaded.failed.push(doc.kind);
            continue;
        }
        let imported = exchange::case::import(&doc, None);
        // The package's tree is done with; at state scale it is most of the
        // memory, and the framework's check is still to come.
        drop(std::mem::take(&mut doc.value));
        loaded.diagnostics.extend(imported.findings);
        tally = Some(imported.tally);
        let whole = doc.spans.span("");
        let spans = load::SpanIndex::mapped(&imported.value, whole, &|pointer| {
            let origin = imported.origins.get(pointer)?;
            Some(doc.spans.span(origin))
        });
        documents.push(load::Document {
            kind: imported.kind,
            value: imported.value,
            spans,
            ..doc
        });
    }
    loaded.documents = documents;
    let mut checked = checked(loaded, false)?;
    checked.tally = tally;
    Ok(checked)
}

/// Everything after loading; `Err` means the schema and the model disagree.
fn checked(loaded: load::Loaded, whole: bool) -> anyhow::Result<Checked> {
    let mut diagnostics = loaded.diagnostics;
    let schema_findings = parallel::map(&loaded.documents, |doc| {
        let text = loaded.sources.text(doc.file);
        if whole {
            check::document(doc, text)
        } else {
            check::schema::validate(doc, text)
        }
    });
    diagnostics.extend(schema_findings.into_iter().flatten());
    let resolved = resolve::resolve(&loaded.documents, &loaded.sources, &loaded.failed);
    diagnostics.extend(resolved.diagnostics);
    for (file, reason) in &resolved.rejected {
        let explained = diagnostics
            .iter()
            .any(|d| d.span.file == *file && d.severity == diag::Severity::Error);
        anyhow::ensure!(
            explained,
            "internal error: {} matches its schema but cib could not read it ({reason}); please report this",
            loaded.sources.path(*file)
        );
    }
    // The parsed YAML trees are done with; freeing millions of small nodes is a
    // tenth of a large check, so it happens on the side instead of in line.
    let documents = loaded.documents;
    if whole {
        std::thread::spawn(move || drop(documents));
    } else {
        // One framework file, maybe a state's package: freed before what
        // comes next allocates, so the peak is one tree, not two.
        drop(documents);
    }
    if whole {
        diagnostics.extend(check::rules::run(&resolved.curriculum));
    }
    diag::sort(&mut diagnostics, &loaded.sources);
    Ok(Checked {
        sources: loaded.sources,
        diagnostics,
        curriculum: resolved.curriculum,
        tally: None,
    })
}
