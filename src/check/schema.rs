//! JSON Schema validation, worded for curriculum authors.
//!
//! The schemas in `schemas/` are embedded in the binary, so a curriculum repo checks
//! against the schemas of the cib version that checks it. Every violation in a file is
//! reported (up to a cap), each at the node it concerns, and the schema's own title,
//! description and examples become the hint: the schema is the one place where a
//! property is explained, for editors and for cib alike.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Span};
use crate::load::{Document, Kind};

/// The schemas in `schemas/`, as compiled into this binary: (file name, text).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "assessment.schema.json",
        include_str!("../../schemas/assessment.schema.json"),
    ),
    (
        "competency-framework.schema.json",
        include_str!("../../schemas/competency-framework.schema.json"),
    ),
    (
        "curriculum.schema.json",
        include_str!("../../schemas/curriculum.schema.json"),
    ),
    (
        "formulas.schema.json",
        include_str!("../../schemas/formulas.schema.json"),
    ),
    (
        "framework.schema.json",
        include_str!("../../schemas/framework.schema.json"),
    ),
    (
        "lesson.schema.json",
        include_str!("../../schemas/lesson.schema.json"),
    ),
];

/// The 1EdTech CASE package schemas, verbatim (sources in `schemas/case/SOURCES.md`):
/// imports are checked against them, and so is every export, in the tests.
pub const CASE: &[(&str, &str)] = &[(
    "case/case_v1p1_cfpackage-jsonschema1.json",
    include_str!("../../schemas/case/case_v1p1_cfpackage-jsonschema1.json"),
)];

/// The most schema findings reported for one file; past it the last one says how
/// many were left out.
const MAX_PER_FILE: usize = 100;

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled(kind: Kind) -> &'static Compiled {
    const KINDS: usize = 7;
    static CACHE: [OnceLock<Compiled>; KINDS] = [const { OnceLock::new() }; KINDS];
    let slot = match kind {
        Kind::Curriculum => 0,
        Kind::Framework => 1,
        Kind::CompetencyFramework => 2,
        Kind::Lesson => 3,
        Kind::Case => 4,
        Kind::Assessment => 5,
        Kind::Formulas => 6,
    };
    CACHE[slot].get_or_init(|| {
        let text = EMBEDDED
            .iter()
            .chain(CASE)
            .find(|(name, _)| *name == kind.schema_file())
            .map(|(_, text)| *text)
            .expect("every kind has an embedded schema");
        let schema: Value = serde_json::from_str(text).expect("embedded schemas are valid JSON");
        let options = match kind {
            Kind::Case => jsonschema::draft201909::options(),
            _ => jsonschema::draft7::options(),
        };
        let validator = options
            .should_validate_formats(true)
            .build(&schema)
            .expect("embedded schemas compile");
        Compiled { schema, validator }
    })
}

/// The official CASE 1.1 package schema, for repairs that ask it what it refuses.
pub(crate) fn case_validator() -> &'static Validator {
    &compiled(Kind::Case).validator
}

/// Validates one document against the schema for its kind.
pub fn validate(doc: &Document, text: &str) -> Vec<Diagnostic> {
    let compiled = compiled(doc.kind);
    let mut found = Vec::new();
    let mut skipped = 0;
    for error in compiled.validator.iter_errors(&doc.value) {
        let room = MAX_PER_FILE.saturating_sub(found.len());
        if room == 0 {
            skipped += 1;
            continue;
        }
        let (mut described, hidden) = describe(&error, doc, text, &compiled.schema);
        skipped += hidden;
        if described.len() > room {
            skipped += described.len() - room;
            described.truncate(room);
        }
        found.extend(described);
    }
    if skipped > 0
        && let Some(last) = found.last_mut()
    {
        last.hints.push(format!(
            "{skipped} more schema violations in this file are not shown"
        ));
    }
    found
}

/// Findings for one validation error, and how many more it stands for that were
/// not described (one error can list every key of a hostile mapping).
fn describe(
    error: &ValidationError<'_>,
    doc: &Document,
    text: &str,
    schema: &Value,
) -> (Vec<Diagnostic>, usize) {
    let pointer = error.instance_path().as_str();
    let place = readable(pointer);
    let keyword_path = error.schema_path().as_str();
    // The schema node holding the failed keyword: a property's own schema.
    let node = parent_pointer(keyword_path).and_then(|p| resolve(schema, p));
    let at = |range| Span::new(doc.file, range);
    let instance = doc.value.pointer(pointer).unwrap_or(&Value::Null);
    let snippet = |range: std::ops::Range<usize>| text.get(range).unwrap_or("").trim().to_owned();

    let found = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known: Vec<&str> = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let shown = unexpected.len().min(MAX_PER_FILE);
            let found = unexpected[..shown]
                .iter()
                .map(|key| {
                    let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    let range = doc
                        .spans
                        .key_span(&child)
                        .unwrap_or_else(|| doc.spans.span(pointer));
                    let d = Diagnostic::new(
                        Code::SchemaViolation,
                        at(range),
                        format!("unknown property `{key}` in {}", place_or(&place, doc.kind)),
                    )
                    .with_label("not allowed here")
                    .with_suggestion(key, known.iter().copied());
                    let allowed = if known.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "allowed here: {}; ",
                            known
                                .iter()
                                .filter(|k| !k.starts_with('$'))
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    d.with_hint(format!(
                        "{allowed}keys starting with `x-` are free for your own data"
                    ))
                })
                .collect();
            return (found, unexpected.len() - shown);
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let range = doc.spans.span(pointer);
            let mut d = Diagnostic::new(
                Code::SchemaViolation,
                at(range),
                format!(
                    "{} is missing the required property `{name}`",
                    place_or(&place, doc.kind)
                ),
            )
            .with_label(format!("`{name}` missing"));
            let property_schema = node
                .and_then(|n| n.get("properties"))
                .and_then(|p| p.get(name))
                .map(|p| deref(schema, p));
            if let Some(help) = property_schema.and_then(describe_property) {
                d = d.with_hint(format!("`{name}`: {help}"));
            }
            vec![d]
        }
        ValidationErrorKind::Type { .. } => {
            let range = doc.spans.span(pointer);
            let expected = node
                .and_then(|n| n.get("type"))
                .map(type_names)
                .unwrap_or_else(|| "another type".into());
            let found = json_type(instance);
            let mut d = Diagnostic::new(
                Code::SchemaViolation,
                at(range.clone()),
                format!(
                    "{} must be {expected}, found {found}",
                    place_or(&place, doc.kind)
                ),
            )
            .with_label(format!("this is {found}"));
            if expected.contains("text") && matches!(instance, Value::Number(_) | Value::Bool(_)) {
                let source = snippet(range);
                d = d.with_hint(format!("quote it so YAML reads it as text: \"{source}\""));
            } else if let Some(help) = node.and_then(describe_property) {
                d = d.with_hint(help);
            }
            vec![d]
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<&str> = options
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let value = instance
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| instance.to_string());
            vec![
                Diagnostic::new(
                    Code::SchemaViolation,
                    at(doc.spans.span(pointer)),
                    format!(
                        "{}: `{value}` is not one of {}",
                        place_or(&place, doc.kind),
                        allowed.join(", ")
                    ),
                )
                .with_label("not an allowed value")
                .with_suggestion(&value, allowed.iter().copied()),
            ]
        }
        ValidationErrorKind::AnyOf { .. } => {
            let alternatives: Vec<String> = node
                .and_then(|n| n.get("anyOf"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|alt| {
                    alt.get("required")?.as_array().map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                })
                .collect();
            let message = if alternatives.is_empty() {
                format!(
                    "{} does not match any allowed form",
                    place_or(&place, doc.kind)
                )
            } else {
                format!(
                    "{} needs {}",
                    place_or(&place, doc.kind),
                    alternatives.join(" or ")
                )
            };
            vec![
                Diagnostic::new(Code::SchemaViolation, at(doc.spans.span(pointer)), message)
                    .with_label("here"),
            ]
        }
        _ => {
            let range = doc.spans.span(pointer);
            let what = match error.kind() {
                ValidationErrorKind::Pattern { .. } => {
                    format!("`{}` is not in the expected form", snippet(range.clone()))
                }
                ValidationErrorKind::UniqueItems => "has the same entry twice".to_owned(),
                ValidationErrorKind::MinItems { limit } => format!(
                    "needs at least {limit} entr{}",
                    if *limit == 1 { "y" } else { "ies" }
                ),
                ValidationErrorKind::MinLength { .. } => "must not be empty".to_owned(),
                _ => error.to_string(),
            };
            let mut d = Diagnostic::new(
                Code::SchemaViolation,
                at(range),
                format!("{}: {what}", place_or(&place, doc.kind)),
            )
            .with_label("here");
            if let Some(help) = node.and_then(describe_property) {
                d = d.with_hint(help);
            }
            vec![d]
        }
    };
    (found, 0)
}

/// `/competencies/3/alignments/0/relation` → `competencies[3].alignments[0].relation`.
fn readable(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

fn place_or(place: &str, kind: Kind) -> String {
    if place.is_empty() {
        format!("the {}", kind.noun())
    } else {
        format!("`{place}`")
    }
}

fn parent_pointer(path: &str) -> Option<&str> {
    path.rfind('/').map(|i| &path[..i])
}

/// Follows a keyword location through the schema, jumping through local `$ref`s.
fn resolve<'a>(schema: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = schema;
    for token in path.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = if token == "$ref" {
            deref(schema, node)
        } else {
            match node {
                Value::Object(map) => map.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            }
        };
    }
    Some(deref(schema, node))
}

fn deref<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => match schema.pointer(pointer) {
                Some(target) => node = target,
                None => break,
            },
            None => break,
        }
    }
    node
}

fn describe_property(node: &Value) -> Option<String> {
    let description = node.get("description")?.as_str()?.to_owned();
    let examples: Vec<String> = node
        .get("examples")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| {
            e.as_str()
                .map(|s| format!("`{s}`"))
                .unwrap_or_else(|| e.to_string())
        })
        .collect();
    Some(if examples.is_empty() {
        description
    } else {
        format!("{description} (for example {})", examples.join(", "))
    })
}

fn type_names(ty: &Value) -> String {
    fn name(t: &str) -> &str {
        match t {
            "string" => "text",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "a mapping",
            "null" => "empty",
            other => other,
        }
    }
    match ty {
        Value::String(t) => name(t).to_owned(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(name)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".to_owned(),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(n) if n.is_f64() => "a decimal number",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Checks that a YAML file's first line names the schema for its kind, so editors
/// validate it while it is typed.
pub fn modeline(doc: &Document, text: &str) -> Option<Diagnostic> {
    if doc.kind.has_front_matter() {
        return None;
    }
    let depth = doc.relative.matches('/').count();
    let expected = format!("{}schemas/{}", "../".repeat(depth), doc.kind.schema_file());
    let wanted_line = format!("# yaml-language-server: $schema={expected}");
    let first = text.lines().next().unwrap_or("");
    let first_range = 0..first.len();
    let named = first
        .strip_prefix('#')
        .map(str::trim)
        .and_then(|rest| rest.strip_prefix("yaml-language-server:"))
        .and_then(|rest| rest.trim().strip_prefix("$schema="))
        .map(str::trim);
    let problem = match named {
        None => format!(
            "the first line does not name the schema for this {}",
            doc.kind.noun()
        ),
        Some(name) if names_schema(name, &expected, doc.kind) => return None,
        Some(name) if name.ends_with(&format!("/{}", doc.kind.schema_file())) => format!(
            "the first line names `{name}`, which is not where the schema is from this file"
        ),
        Some(name) => format!(
            "the first line names `{name}`, but this file is {} {}",
            article(doc.kind.noun()),
            doc.kind.noun()
        ),
    };
    Some(
        Diagnostic::new(
            Code::SchemaModeline,
            Span::new(doc.file, first_range),
            problem,
        )
        .with_label("expected the schema line here")
        .with_hint(format!("make the first line: {wanted_line}")),
    )
}

/// The expected relative path, or a URL ending in the right schema file.
fn names_schema(name: &str, expected: &str, kind: Kind) -> bool {
    name == expected
        || (name.contains("://") && name.rsplit('/').next() == Some(kind.schema_file()))
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_read_like_paths() {
        assert_eq!(
            readable("/competencies/3/alignments/0/relation"),
            "competencies[3].alignments[0].relation"
        );
        assert_eq!(readable(""), "");
    }

    #[test]
    fn keyword_paths_resolve_through_refs() {
        let schema = serde_json::json!({
            "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/item"}}},
            "definitions": {"item": {"properties": {"code": {"description": "The code."}}}}
        });
        let node = resolve(&schema, "/properties/items/items/$ref/properties/code").unwrap();
        assert_eq!(node["description"], "The code.");
    }
}
