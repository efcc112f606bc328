//! The edge where findings become text: human (rustc-style), short, JSON, GitHub.
//!
//! The JSON shape is a public interface, documented in `docs/diagnostics-json.md` and
//! versioned by its `version` field; change it only by adding fields.

use std::io::{self, Write};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::{Diagnostic, Severity, Sources, Span, Tally};

/// The output formats of `cib check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
    Github,
}

/// Writes `diagnostics` in `format`. `color` applies to the human format only.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    color: bool,
    diagnostics: &[Diagnostic],
    sources: &Sources,
) -> io::Result<()> {
    match format {
        Format::Human => human(out, color, diagnostics, sources),
        Format::Short => {
            for d in diagnostics {
                writeln!(out, "{}", short_line(d, sources))?;
            }
            Ok(())
        }
        Format::Json => {
            let report = JsonReport::new(diagnostics, sources);
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)
        }
        Format::Github => {
            for d in diagnostics {
                writeln!(out, "{}", github_line(d, sources))?;
            }
            Ok(())
        }
    }
}

fn human(
    out: &mut dyn Write,
    color: bool,
    diagnostics: &[Diagnostic],
    sources: &Sources,
) -> io::Result<()> {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diagnostics {
        term::emit_to_write_style(
            &mut buffer,
            &config,
            sources.codespan(),
            &to_codespan(d, sources),
        )
        .map_err(io::Error::other)?;
    }
    out.write_all(buffer.as_slice())
}

fn to_codespan(d: &Diagnostic, sources: &Sources) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    match &d.span.range {
        Some(range) => labels.push(
            cs::Label::primary(
                Sources::codespan_id(d.span.file),
                sources.clamp(d.span.file, range),
            )
            .with_message(d.label.clone().unwrap_or_default()),
        ),
        None => notes.push(format!("in file: {}", sources.path(d.span.file))),
    }
    for (span, message) in &d.related {
        if let Some(range) = &span.range {
            labels.push(
                cs::Label::secondary(
                    Sources::codespan_id(span.file),
                    sources.clamp(span.file, range),
                )
                .with_message(message.clone()),
            );
        }
    }
    notes.extend(d.hints.iter().map(|h| format!("help: {h}")));
    notes.push(format!(
        "see `cib explain {}` ({})",
        d.code.as_str(),
        d.code.name()
    ));
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// `path:line:col: severity[CODE]: message`, or `path: ...` for whole-file findings.
pub fn short_line(d: &Diagnostic, sources: &Sources) -> String {
    let place = match &d.span.range {
        Some(range) => {
            let p = sources.position(d.span.file, range.start);
            format!("{}:{}:{}", sources.path(d.span.file), p.line, p.column)
        }
        None => sources.path(d.span.file).to_owned(),
    };
    format!(
        "{place}: {}[{}]: {}",
        d.severity.as_str(),
        d.code.as_str(),
        d.message
    )
}

/// A GitHub Actions workflow command, so findings show up on the pull request diff.
fn github_line(d: &Diagnostic, sources: &Sources) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = vec![format!(
        "file={}",
        escape_property(sources.path(d.span.file))
    )];
    if let Some(range) = &d.span.range {
        let start = sources.position(d.span.file, range.start);
        let end = sources.position(d.span.file, range.end);
        props.push(format!("line={}", start.line));
        props.push(format!("col={}", start.column));
        props.push(format!("endLine={}", end.line));
        if end.line == start.line {
            props.push(format!("endColumn={}", end.column));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", d.code.as_str(), d.code.name()))
    ));
    let mut message = d.message.clone();
    for hint in &d.hints {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    format!("::{command} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One line for the end of a human or short report.
pub fn summary(tally: Tally, files: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    if tally.errors == 0 && tally.warnings == 0 {
        format!("checked {}: no problems found", plural(files, "file"))
    } else {
        format!(
            "checked {}: {}, {}",
            plural(files, "file"),
            plural(tally.errors, "error"),
            plural(tally.warnings, "warning")
        )
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: &'static str,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    range: Option<JsonRange>,
    label: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    hints: &'a [String],
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    range: Option<JsonRange>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

impl<'a> JsonReport<'a> {
    fn new(diagnostics: &'a [Diagnostic], sources: &'a Sources) -> Self {
        let tally = Tally::of(diagnostics);
        JsonReport {
            version: 1,
            tool: concat!("cib ", env!("CARGO_PKG_VERSION")),
            summary: JsonSummary {
                files: sources.len(),
                errors: tally.errors,
                warnings: tally.warnings,
            },
            diagnostics: diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    code: d.code.as_str(),
                    name: d.code.name(),
                    severity: d.severity.as_str(),
                    message: &d.message,
                    file: sources.path(d.span.file),
                    range: json_range(&d.span, sources),
                    label: d.label.as_deref(),
                    related: d
                        .related
                        .iter()
                        .map(|(span, message)| JsonRelated {
                            file: sources.path(span.file),
                            range: json_range(span, sources),
                            message,
                        })
                        .collect(),
                    hints: &d.hints,
                })
                .collect(),
        }
    }
}

fn json_range(span: &Span, sources: &Sources) -> Option<JsonRange> {
    let range = sources.clamp(span.file, span.range.as_ref()?);
    let at = |offset: usize| {
        let p = sources.position(span.file, offset);
        JsonPosition {
            line: p.line,
            column: p.column,
            offset,
        }
    };
    Some(JsonRange {
        start: at(range.start),
        end: at(range.end),
    })
}
