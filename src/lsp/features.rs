//! Answers to the editor's requests, read from the last check: hover,
//! definition, references, rename, quick fixes and the outline. Findings
//! become the protocol's diagnostics here too.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::engine::State;
use super::request::{Context, Refusal};
use super::symbols::{self, Occurrence, Target};
use super::text::{Encoding, Lines};
use super::{complete, uri};
use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::load::Kind;
use crate::model::Curriculum;

const METHODS: [&str; 8] = [
    "textDocument/completion",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/codeAction",
    "textDocument/documentSymbol",
];

/// Whether the server answers `method` (besides the life-cycle requests).
pub fn knows(method: &str) -> bool {
    METHODS.contains(&method)
}

/// The answer to a request of one of [`METHODS`]; `null` (or an empty list)
/// for a document outside the curriculum or before the first check.
pub fn answer(cx: &Context, method: &str, params: &Value) -> Result<Value, Refusal> {
    if method == "textDocument/completion" {
        return Ok(complete::complete(cx, params).unwrap_or(Value::Null));
    }
    let Some(at) = Place::of(cx, params) else {
        return Ok(match method {
            "textDocument/references"
            | "textDocument/codeAction"
            | "textDocument/documentSymbol" => {
                json!([])
            }
            _ => Value::Null,
        });
    };
    Ok(match method {
        "textDocument/hover" => hover(cx, &at),
        "textDocument/definition" => definition(cx, &at),
        "textDocument/references" => {
            let declaration = params["context"]["includeDeclaration"].as_bool() != Some(false);
            references(cx, &at, declaration)
        }
        "textDocument/prepareRename" => prepare_rename(cx, &at),
        "textDocument/rename" => {
            let Some(name) = params["newName"].as_str() else {
                return Err(Refusal::Params("a rename needs `newName`".to_owned()));
            };
            rename(cx, &at, name)?
        }
        "textDocument/codeAction" => code_actions(cx, &at, &params["range"]),
        "textDocument/documentSymbol" => document_symbols(cx, &at),
        _ => Value::Null,
    })
}

/// The document and position a request is about, in the last check.
struct Place<'s> {
    state: &'s State,
    root: &'s Path,
    file: FileId,
    kind: Kind,
    lines: Lines<'s>,
    /// The byte offset of the request's position, when it has one.
    offset: Option<usize>,
}

impl<'s> Place<'s> {
    fn of(cx: &Context<'s>, params: &Value) -> Option<Place<'s>> {
        let engine = cx.engine?;
        let state = engine.state()?;
        let path = uri::to_path(params["textDocument"]["uri"].as_str()?)?;
        let relative = uri::relative(engine.root(), &path)?;
        let (file, kind) = state.file(&relative)?;
        let lines = Lines::new(state.sources.text(file));
        let offset = params
            .get("position")
            .and_then(|p| lines.offset_of(p, cx.encoding));
        Some(Place {
            state,
            root: engine.root(),
            file,
            kind,
            lines,
            offset,
        })
    }

    fn text(&self) -> &'s str {
        self.state.sources.text(self.file)
    }

    /// The findings in this file whose range meets `wanted` (ends included).
    fn findings(
        &self,
        wanted: &std::ops::Range<usize>,
    ) -> impl Iterator<Item = (&'s Diagnostic, &'s std::ops::Range<usize>)> {
        let (file, wanted) = (self.file, wanted.clone());
        self.state.diagnostics.iter().filter_map(move |d| {
            let range = d.span.range.as_ref().filter(|_| d.span.file == file)?;
            (range.start <= wanted.end && wanted.start <= range.end).then_some((d, range))
        })
    }
}

/// A protocol `Location` for a span, its range counted in that file's text.
fn location(cx: &Context, state: &State, root: &Path, span: &Span) -> Value {
    let text = state.sources.text(span.file);
    let range = span.range.clone().unwrap_or(0..0);
    json!({
        "uri": file_uri(root, state, span.file, cx.open),
        "range": Lines::new(text).range(&range, cx.encoding),
    })
}

fn file_uri(root: &Path, state: &State, file: FileId, open: &HashMap<PathBuf, String>) -> String {
    let path = Path::new(state.sources.path(file));
    match uri::relative(root, path) {
        Some(relative) => uri::of(root, &relative, open),
        None => String::new(),
    }
}

/// A finding as the protocol's `Diagnostic`: code, severity, the message
/// with its hints, both ends of a duplicate or a cycle as related places,
/// and the suggested word as `data` for the quick fix.
pub fn diagnostic<'s>(
    state: &'s State,
    d: &Diagnostic,
    encoding: Encoding,
    root: &Path,
    open: &HashMap<PathBuf, String>,
    lines: &mut HashMap<FileId, Lines<'s>>,
) -> Value {
    let mut range_of = |span: &Span| {
        lines
            .entry(span.file)
            .or_insert_with(|| Lines::new(state.sources.text(span.file)))
            .range(&span.range.clone().unwrap_or(0..0), encoding)
    };
    let mut message = d.message.clone();
    for hint in &d.hints {
        let _ = write!(message, "\nhelp: {hint}");
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|(span, note)| {
            json!({
                "location": {"uri": file_uri(root, state, span.file, open), "range": range_of(span)},
                "message": note,
            })
        })
        .collect();
    let mut out = json!({
        "range": range_of(&d.span),
        "severity": match d.severity {
            crate::diag::Severity::Error => 1,
            crate::diag::Severity::Warning => 2,
        },
        "code": d.code.as_str(),
        "source": "cib",
        "message": message,
    });
    if !related.is_empty() {
        out["relatedInformation"] = json!(related);
    }
    if let Some(s) = &d.suggestion {
        out["data"] = json!({"replace": s.word, "with": s.with});
    }
    out
}

fn hover(cx: &Context, at: &Place) -> Value {
    let Some(offset) = at.offset else {
        return Value::Null;
    };
    let c = &at.state.curriculum;
    let occurrences = symbols::all(c);
    let mut parts = Vec::new();
    let mut range = None;
    if let Some(o) = symbols::at(&occurrences, at.file, offset) {
        range = o.span.range.clone();
        parts.push(describe(c, &occurrences, &o.target));
    }
    // The explanation of each finding under the cursor, as `cib explain` gives it.
    let mut explained: Vec<Code> = Vec::new();
    for (d, _) in at.findings(&(offset..offset)) {
        if !explained.contains(&d.code) {
            explained.push(d.code);
            parts.push(format!(
                "**{}** {}: {}\n\n{}",
                d.code.as_str(),
                d.code.name(),
                d.code.title(),
                d.code.doc()
            ));
        }
    }
    if parts.is_empty() {
        return Value::Null;
    }
    let mut hover = json!({"contents": {"kind": "markdown", "value": parts.join("\n\n---\n\n")}});
    if let Some(range) = range {
        hover["range"] = at.lines.range(&range, cx.encoding);
    }
    hover
}

/// What a hover says about a target.
fn describe(c: &Curriculum, occurrences: &[Occurrence], target: &Target) -> String {
    let mut out = String::new();
    match target {
        Target::Competency(id) => {
            let Some(k) = c.competency(id) else {
                return format!("`{id}`: no competency framework defines it");
            };
            let _ = writeln!(out, "**{id}** · {}\n\n{}\n", k.title, k.statement.value);
            let _ = write!(
                out,
                "Level {} · {} h · framework `{}`",
                k.level.value,
                k.hours,
                k.framework.as_str()
            );
            if k.hands_on {
                out.push_str(" · hands-on");
            }
            out.push('\n');
            if let Some(deferred) = &k.deferred {
                let _ = writeln!(out, "\nDeferred: {}", deferred.reason);
            }
            let names = |list: &[crate::model::Spanned<crate::model::CompetencyId>]| {
                list.iter().any(|t| t.value.as_str() == id)
            };
            let taught = quoted(
                c.lessons
                    .iter()
                    .filter(|l| names(&l.teaches))
                    .map(|l| l.id.value.as_str()),
            );
            let _ = writeln!(out, "\nTaught in: {}", listed(&taught, "", "no lesson yet"));
            let assessed = quoted(
                c.assessments
                    .iter()
                    .filter(|a| names(&a.demonstrates))
                    .map(|a| a.id.value.as_str()),
            );
            if !assessed.is_empty() {
                let _ = writeln!(out, "\nDemonstrated in: {}", assessed.join(", "));
            }
            let aligned: Vec<String> = k
                .alignments
                .iter()
                .map(|a| format!("`{}` ({})", a.target.value, a.relation.as_str()))
                .collect();
            if !aligned.is_empty() {
                let _ = writeln!(out, "\nAligned to: {}", aligned.join(", "));
            }
        }
        Target::Item(framework, code) => {
            let found = c
                .frameworks
                .iter()
                .find(|f| f.id.value.as_str() == framework);
            let Some((f, item)) =
                found.and_then(|f| Some((f, f.items.iter().find(|i| i.code.value == *code)?)))
            else {
                return format!("`{framework}:{code}`: no framework item has this code");
            };
            let _ = writeln!(out, "**{framework}:{code}** · {}\n", item.title);
            if let Some(description) = &item.description {
                let _ = writeln!(out, "{description}\n");
            }
            let _ = write!(out, "{} ({}, {})", f.title, f.publisher, f.version);
            let marks = item.marks();
            if !marks.is_empty() {
                let _ = write!(out, " · {}", marks.join(", "));
            }
            out.push('\n');
            out.push_str(&coverage(c, framework, code));
        }
        Target::Lesson(id) => {
            let Some(l) = c.lessons.iter().find(|l| l.id.value.as_str() == id) else {
                return format!("`{id}`: no lesson has this id");
            };
            let teaches: Vec<&str> = l.teaches.iter().map(|t| t.value.as_str()).collect();
            let _ = writeln!(
                out,
                "**{id}** · {}\n\n{} min · teaches {}",
                l.title,
                l.duration_minutes,
                teaches.join(", ")
            );
        }
        Target::Framework(id) => {
            let uses = occurrences
                .iter()
                .filter(|o| o.target == *target && !o.definition)
                .count();
            if let Some(f) = c.frameworks.iter().find(|f| f.id.value.as_str() == id) {
                let _ = writeln!(
                    out,
                    "**{id}** · {}\n\n{}, {} · {} items",
                    f.title,
                    f.publisher,
                    f.version,
                    f.items.len()
                );
            } else if let Some(f) = c
                .competency_frameworks
                .iter()
                .find(|f| f.id.value.as_str() == id)
            {
                let _ = writeln!(
                    out,
                    "**{id}** · {}\n\nversion {} · {} competencies",
                    f.title,
                    f.version,
                    f.competencies.len()
                );
            } else {
                return format!("`{id}`: no framework has this id");
            }
            let _ = writeln!(out, "\nNamed {uses} times elsewhere");
        }
    }
    out
}

/// An item's coverage as `cib coverage` reports it: its status, the
/// competencies aligned to it, the lessons teaching them, and planned hours
/// against the owner's.
fn coverage(c: &Curriculum, framework: &str, code: &str) -> String {
    let report = crate::analyze::coverage::coverage(c);
    let Some(item) = report
        .framework(framework)
        .and_then(|f| f.items.iter().find(|i| i.item.code.value == code))
    else {
        return String::new();
    };
    let status = match &item.exception {
        Some(e) => format!("excepted ({})", e.status.as_str()),
        None if item.is_excepted() => "excepted".to_owned(),
        None => item.status.as_str().to_owned(),
    };
    let mut out = format!(
        "\nCoverage: **{status}**, {:.1} h planned",
        item.minutes / 60.0
    );
    if let Some(hours) = item.item.hours {
        let _ = write!(out, " of {hours} h required");
    }
    out.push('\n');
    let aligned: Vec<String> = item
        .competencies
        .iter()
        .map(|(k, relation)| format!("`{}` ({})", k.id.value.as_str(), relation.as_str()))
        .collect();
    let teaching = quoted(item.teaching.iter().map(|l| l.id.value.as_str()));
    let _ = writeln!(
        out,
        "\nCompetencies: {}",
        listed(&aligned, "", "none aligned")
    );
    let _ = writeln!(
        out,
        "\nTaught in: {}",
        listed(&teaching, "", "no lesson yet")
    );
    out
}

/// Each id as code, for a list in Markdown.
fn quoted<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    ids.map(|id| format!("`{id}`")).collect()
}

/// `names` joined after `lead`, or `none` when there are none.
fn listed(names: &[String], lead: &str, none: &str) -> String {
    if names.is_empty() {
        none.to_owned()
    } else {
        format!("{lead}{}", names.join(", "))
    }
}

/// The places of what is under the cursor that `wanted` keeps; `None`
/// when nothing the curriculum names is there.
fn places(cx: &Context, at: &Place, wanted: impl Fn(&Occurrence) -> bool) -> Option<Vec<Value>> {
    let occurrences = symbols::all(&at.state.curriculum);
    let target = &symbols::at(&occurrences, at.file, at.offset?)?.target;
    let found = occurrences
        .iter()
        .filter(|o| o.target == *target && wanted(o))
        .map(|o| location(cx, at.state, at.root, &o.span))
        .collect();
    Some(found)
}

fn definition(cx: &Context, at: &Place) -> Value {
    match places(cx, at, |o| o.definition) {
        Some(found) if !found.is_empty() => json!(found),
        _ => Value::Null,
    }
}

fn references(cx: &Context, at: &Place, declaration: bool) -> Value {
    json!(places(cx, at, |o| declaration || !o.definition).unwrap_or_default())
}

/// The competency id under the cursor, with the range of the name itself.
fn renamable<'a>(
    at: &Place,
    occurrences: &'a [Occurrence],
) -> Option<(&'a str, std::ops::Range<usize>)> {
    let o = symbols::at(occurrences, at.file, at.offset?)?;
    let Target::Competency(id) = &o.target else {
        return None;
    };
    let range = symbols::inner(at.text(), o.span.range.as_ref()?);
    Some((id.as_str(), range))
}

fn prepare_rename(cx: &Context, at: &Place) -> Value {
    let occurrences = symbols::all(&at.state.curriculum);
    match renamable(at, &occurrences) {
        Some((id, range)) => {
            json!({"range": at.lines.range(&range, cx.encoding), "placeholder": id})
        }
        None => Value::Null,
    }
}

/// A competency id as the schema allows one: upper-case letters and digits
/// in at least two parts joined by hyphens. Such a name is a plain YAML
/// scalar anywhere, so it replaces the old one without new quoting.
fn competency_id(name: &str) -> bool {
    let mut parts = name.split('-');
    let first = parts.next().unwrap_or_default();
    let upper = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    first.starts_with(|c: char| c.is_ascii_uppercase())
        && upper(first)
        && name.contains('-')
        && parts.all(upper)
}

fn rename(cx: &Context, at: &Place, name: &str) -> Result<Value, Refusal> {
    let c = &at.state.curriculum;
    let occurrences = symbols::all(c);
    let Some((old, _)) = renamable(at, &occurrences) else {
        return Err(Refusal::Failed(
            "only a competency id can be renamed; put the cursor on one".to_owned(),
        ));
    };
    if !competency_id(name) {
        return Err(Refusal::Failed(format!(
            "`{name}` is not a competency id: write upper-case letters and digits in parts joined by hyphens, like MTT-MEAS-07"
        )));
    }
    if name != old && c.competency(name).is_some() {
        return Err(Refusal::Failed(format!(
            "a competency `{name}` exists already"
        )));
    }
    let mut changes: HashMap<String, Vec<(usize, Value)>> = HashMap::new();
    for o in occurrences
        .iter()
        .filter(|o| o.target == Target::Competency(old.to_owned()))
    {
        let Some(range) = &o.span.range else { continue };
        let text = at.state.sources.text(o.span.file);
        let inner = symbols::inner(text, range);
        let edit = json!({"range": Lines::new(text).range(&inner, cx.encoding), "newText": name});
        let uri = file_uri(at.root, at.state, o.span.file, cx.open);
        changes.entry(uri).or_default().push((inner.start, edit));
    }
    let changes: serde_json::Map<String, Value> = changes
        .into_iter()
        .map(|(uri, mut edits)| {
            edits.sort_by_key(|(start, _)| *start);
            edits.dedup_by_key(|(start, _)| *start);
            (
                uri,
                Value::Array(edits.into_iter().map(|(_, e)| e).collect()),
            )
        })
        .collect();
    Ok(json!({"changes": changes}))
}

fn code_actions(cx: &Context, at: &Place, range: &Value) -> Value {
    let Some(wanted) = at.lines.bytes(range, cx.encoding) else {
        return json!([]);
    };
    let uri = file_uri(at.root, at.state, at.file, cx.open);
    let mut actions = Vec::new();
    for (d, span) in at.findings(&wanted) {
        let finding = diagnostic(
            at.state,
            d,
            cx.encoding,
            at.root,
            cx.open,
            &mut HashMap::new(),
        );
        let mut action = |title: String, uri: &str, edits: Vec<Value>| {
            actions.push(json!({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [finding.clone()],
                "isPreferred": true,
                "edit": {"changes": {uri: edits}},
            }));
        };
        if let Some(s) = &d.suggestion {
            let inner = symbols::inner(at.text(), span);
            if at.text().get(inner.clone()) == Some(s.word.as_str()) {
                let edit = json!({"range": at.lines.range(&inner, cx.encoding), "newText": s.with});
                action(
                    format!("Replace `{}` with `{}`", s.word, s.with),
                    &uri,
                    vec![edit],
                );
            }
        }
        if d.code == Code::AnswerKeyMismatch
            && let Some(edit) = missing_answer(cx, at, span)
        {
            let question = &at.text()[span.clone()];
            action(
                format!("Add `{question}` to the answer key"),
                &uri,
                vec![edit],
            );
        }
        if d.code == Code::UnknownLessonCompetency
            && let Some((title, file_uri, edit)) = new_competency(cx, at, span)
        {
            action(title, &file_uri, vec![edit]);
        }
    }
    json!(actions)
}

/// An edit adding a question's entry to the lesson's answer key, after the
/// last entry and indented like it; `None` when the key has no entry to
/// line up with, or the question has an answer already.
fn missing_answer(cx: &Context, at: &Place, question: &std::ops::Range<usize>) -> Option<Value> {
    let lesson = at
        .state
        .curriculum
        .lessons
        .iter()
        .find(|l| l.file == at.file)?;
    let id = symbols::inner(at.text(), question);
    let id = at.text().get(id)?;
    if !lesson.questions.iter().any(|q| q.id.value == id)
        || lesson
            .instructor
            .answer_key
            .iter()
            .any(|(q, _)| q.value == id)
    {
        return None;
    }
    let last = lesson.instructor.answer_key.last()?.0.span.range.clone()?;
    let text = at.text();
    let line_start = text[..last.start].rfind('\n').map_or(0, |n| n + 1);
    let indent = last.start - line_start;
    // The entry ends before the next line indented no deeper than its key.
    let mut end = text[last.start..]
        .find('\n')
        .map_or(text.len(), |n| last.start + n + 1);
    while end < text.len() {
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
        let line = &text[end..line_end];
        let deeper = line.len() - line.trim_start_matches(' ').len() > indent;
        if !(line.trim().is_empty() || deeper) {
            break;
        }
        end = line_end;
    }
    let insert = format!("{}{id}: Replace with the answer.\n", " ".repeat(indent));
    Some(json!({"range": at.lines.range(&(end..end), cx.encoding), "newText": insert}))
}

/// A competency id no framework defines, added to the competency framework
/// whose ids share the longest beginning with it, from `cib new`'s template.
fn new_competency(
    cx: &Context,
    at: &Place,
    span: &std::ops::Range<usize>,
) -> Option<(String, String, Value)> {
    let c = &at.state.curriculum;
    let id = at.text().get(symbols::inner(at.text(), span))?;
    if !competency_id(id) || c.competency(id).is_some() {
        return None;
    }
    let shared = |other: &str| {
        id.chars()
            .zip(other.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let framework = c.competency_frameworks.iter().max_by_key(|f| {
        f.competencies
            .iter()
            .map(|k| shared(k.id.value.as_str()))
            .max()
            .unwrap_or(0)
    })?;
    let file = framework.id.span.file;
    let text = at.state.sources.text(file);
    let level = c
        .settings
        .as_ref()
        .and_then(|s| s.competency_levels.first().cloned())
        .unwrap_or_else(|| crate::model::DESE_LEVELS[0].to_owned());
    let new = crate::scaffold::with_new_competency(text, id, &level).ok()?;
    let lines = Lines::new(text);
    let edit = json!({"range": lines.range(&(0..text.len()), cx.encoding), "newText": new});
    Some((
        format!(
            "Create competency `{id}` in `{}`",
            framework.id.value.as_str()
        ),
        file_uri(at.root, at.state, file, cx.open),
        edit,
    ))
}

/// The outline: a framework's items or competencies, or a lesson's id and
/// the sections of its text.
fn document_symbols(cx: &Context, at: &Place) -> Value {
    let c = &at.state.curriculum;
    let symbol = |name: &str, detail: &str, kind: u8, range: &std::ops::Range<usize>| {
        let range = at.lines.range(range, cx.encoding);
        json!({"name": name, "detail": detail, "kind": kind, "range": range, "selectionRange": range})
    };
    let spanned = |span: &Span| span.range.clone().filter(|_| span.file == at.file);
    let mut out = Vec::new();
    match at.kind {
        Kind::Framework => {
            for f in &c.frameworks {
                for item in &f.items {
                    if let Some(r) = spanned(&item.code.span) {
                        out.push(symbol(&item.code.value, &item.title, 14, &r));
                    }
                }
            }
        }
        Kind::CompetencyFramework => {
            for k in c.competencies() {
                if let Some(r) = spanned(&k.id.span) {
                    out.push(symbol(k.id.value.as_str(), &k.title, 5, &r));
                }
            }
        }
        Kind::Lesson => {
            if let Some(l) = c.lessons.iter().find(|l| l.file == at.file) {
                if let Some(r) = spanned(&l.id.span) {
                    out.push(symbol(l.id.value.as_str(), &l.title, 2, &r));
                }
                for (title, range) in crate::check::rules::repeated_section::headings(&l.body) {
                    let heading = l.body[range.clone()].trim_end().len();
                    let start = l.body_offset + range.start;
                    out.push(symbol(&title, "", 15, &(start..start + heading)));
                }
            }
        }
        Kind::Assessment => {
            if let Some(a) = c.assessments.iter().find(|a| a.file == at.file) {
                if let Some(r) = spanned(&a.id.span) {
                    out.push(symbol(a.id.value.as_str(), &a.title, 2, &r));
                }
                for k in &a.rubric.criteria {
                    if let Some(r) = spanned(&k.id.span) {
                        out.push(symbol(&k.id.value, k.competency.value.as_str(), 8, &r));
                    }
                }
            }
        }
        Kind::Curriculum | Kind::Formulas | Kind::Case => {}
    }
    json!(out)
}
