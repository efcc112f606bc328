//! The edge where findings become text: human (rustc-style), short, JSON, GitHub.
//!
//! The JSON shape is a public interface, documented in `docs/diagnostics-json.md` and
//! versioned by its `version` field; change it only by adding fields.

use std::io::{self, Write};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files;
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
        let shown = match Excerpt::of(d, sources) {
            Some((excerpt, shifted)) => term::emit_to_write_style(
                &mut buffer,
                &config,
                &excerpt,
                &to_codespan(&shifted, sources, false),
            ),
            None => term::emit_to_write_style(
                &mut buffer,
                &config,
                sources,
                &to_codespan(d, sources, true),
            ),
        };
        shown.map_err(io::Error::other)?;
    }
    out.write_all(buffer.as_slice())
}

/// Lines longer than this are shown as an excerpt around the finding: a
/// minified JSON file (a CASE package) is one line of megabytes.
const LONG_LINE: usize = 240;
/// Bytes of context an excerpt keeps on each side of the finding.
const CONTEXT: usize = 60;

/// The part of one long line a finding points into, standing in for its file
/// with the file's own name, line and column numbers.
struct Excerpt<'a> {
    name: &'a str,
    /// `…`, the excerpt, `…`.
    text: String,
    line: usize,
    /// Characters of the line before the excerpt, less the leading `…`.
    columns_before: usize,
}

impl<'a> Excerpt<'a> {
    /// The excerpt for a finding on a long line, and the finding with its
    /// ranges moved into it; `None` for findings on ordinary lines. Related
    /// places on the same line stay labels; others become notes.
    fn of(d: &Diagnostic, sources: &'a Sources) -> Option<(Excerpt<'a>, Diagnostic)> {
        let range = d.span.range.as_ref()?;
        let file = d.span.file;
        let text = sources.text(file);
        let range = sources.clamp(file, range);
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[range.start..]
            .find('\n')
            .map_or(text.len(), |i| range.start + i);
        if line_end - line_start <= LONG_LINE {
            return None;
        }
        let on_line = |r: &std::ops::Range<usize>| r.start >= line_start && r.end <= line_end;
        let near = |r: &std::ops::Range<usize>| {
            r.start + 2 * CONTEXT >= range.start && r.end <= range.end + 2 * CONTEXT
        };
        let mut start = range.start;
        let mut end = range.end.max(range.start);
        for (span, _) in &d.related {
            if let Some(r) = &span.range
                && span.file == file
                && on_line(r)
                && near(r)
            {
                start = start.min(r.start);
                end = end.max(r.end);
            }
        }
        let mut from = start.saturating_sub(CONTEXT).max(line_start);
        let mut to = (end + CONTEXT).min(line_end);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let lead = if from > line_start { "…" } else { "" };
        let tail = if to < line_end { "…" } else { "" };
        let excerpt = Excerpt {
            name: sources.path(file),
            text: format!("{lead}{}{tail}", &text[from..to]),
            line: text[..line_start].matches('\n').count(),
            columns_before: text[line_start..from].chars().count(),
        };
        let shift =
            |r: &std::ops::Range<usize>| (r.start - from + lead.len())..(r.end - from + lead.len());
        let mut moved = d.clone();
        moved.span.range = Some(shift(&range));
        moved.related.clear();
        for (span, message) in &d.related {
            match &span.range {
                Some(r) if span.file == file && r.start >= from && r.end <= to => {
                    moved
                        .related
                        .push((Span::new(file, shift(r)), message.clone()));
                }
                _ => {
                    let at =
                        sources.position(span.file, span.range.as_ref().map_or(0, |r| r.start));
                    moved.hints.push(format!(
                        "{message}: {}:{}:{}",
                        sources.path(span.file),
                        at.line,
                        at.column
                    ));
                }
            }
        }
        Some((excerpt, moved))
    }
}

impl<'a> files::Files<'a> for Excerpt<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: usize) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, _: usize) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: usize, _: usize) -> Result<usize, files::Error> {
        Ok(self.line)
    }

    fn line_range(&'a self, _: usize, line: usize) -> Result<std::ops::Range<usize>, files::Error> {
        if line == self.line {
            Ok(0..self.text.len())
        } else {
            Err(files::Error::LineTooLarge {
                given: line,
                max: self.line,
            })
        }
    }

    fn column_number(&'a self, _: usize, _: usize, byte: usize) -> Result<usize, files::Error> {
        let before = self.text.get(..byte).map_or(0, |t| t.chars().count());
        let lead = usize::from(self.text.starts_with('…'));
        Ok(self.columns_before + before - lead.min(before) + 1)
    }
}

/// `clamp`: ranges are into the file's text (not into an [`Excerpt`]), and are
/// kept inside it.
fn to_codespan(d: &Diagnostic, sources: &Sources, clamp: bool) -> cs::Diagnostic<usize> {
    let place = |file, range: &std::ops::Range<usize>| {
        if clamp {
            sources.clamp(file, range)
        } else {
            range.clone()
        }
    };
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    match &d.span.range {
        Some(range) => labels.push(
            cs::Label::primary(Sources::codespan_id(d.span.file), place(d.span.file, range))
                .with_message(d.label.clone().unwrap_or_default()),
        ),
        None => notes.push(format!("in file: {}", sources.path(d.span.file))),
    }
    for (span, message) in &d.related {
        if let Some(range) = &span.range {
            labels.push(
                cs::Label::secondary(Sources::codespan_id(span.file), place(span.file, range))
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

/// `n` and `word`, made plural unless `n` is 1: "1 error", "7 warnings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One line for the end of a human or short report.
pub fn summary(tally: Tally, files: usize) -> String {
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
