//! Reading packages as real CASE servers write them, not only as the 1.1 schema
//! describes them: `null` for absent fields (OpenCASE), time stamps without a
//! zone and numbers as text (OpenSALT, 2017), fields of CASE 1.0 or of no version
//! (`CFPackageURI`, `CFDocumentURI`), control characters left by re-encoding.
//!
//! Each repair is one the meaning of is plain, and each kind has its own warning
//! code, given once per field name with a count and the first place. What the
//! schema still refuses afterwards is an error as before: the repairs are asked
//! of the validator (what it refuses, where), never guessed from field names.

use std::collections::{BTreeMap, HashSet};

use jsonschema::JsonType;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Span};
use crate::load::Document;

/// Repairs `doc` (a CASE package) in place and says what was repaired. Pointers
/// stay valid for the spans: members are removed and values replaced, but no
/// array element moves.
pub(crate) fn repair(doc: &mut Document) -> Vec<Diagnostic> {
    let mut seen = Seen::default();
    let mut nulls = Vec::new();
    let mut controls = Vec::new();
    scan(&doc.value, &mut String::new(), &mut nulls, &mut controls);
    for (pointer, key) in &nulls {
        if let Some(Value::Object(o)) = doc.value.pointer_mut(pointer) {
            o.remove(key);
        }
        seen.note(Code::CaseNull, key, member(pointer, key), true);
    }
    let nulls: HashSet<(String, String)> = nulls.into_iter().collect();
    for pointer in controls {
        if let Some(Value::String(s)) = doc.value.pointer_mut(&pointer) {
            s.retain(|c| !is_control(c));
        }
        let key = pointer.rsplit('/').next().unwrap_or_default().to_owned();
        seen.note(Code::CaseControlCharacter, &key, pointer, false);
    }
    // A repair can uncover another error at the same place (a removed member
    // was the only problem of its object); two passes see both.
    let validator = crate::check::schema::case_validator();
    for _ in 0..2 {
        if validator.is_valid(&doc.value) {
            break;
        }
        let fixes: Vec<Fix> = validator
            .iter_errors(&doc.value)
            .filter_map(|e| fix(e.kind(), e.instance_path().as_str(), e.instance(), &nulls))
            .collect();
        if fixes.is_empty() {
            break;
        }
        for f in fixes {
            match f {
                Fix::Remove { pointer, keys } => {
                    if let Some(Value::Object(o)) = doc.value.pointer_mut(&pointer) {
                        for key in &keys {
                            o.remove(key);
                        }
                    }
                    for key in keys {
                        let at = member(&pointer, &key);
                        seen.note(Code::CaseUnknownField, &key, at, true);
                    }
                }
                Fix::Empty { pointer, key } => {
                    if let Some(Value::Object(o)) = doc.value.pointer_mut(&pointer) {
                        o.insert(key, Value::String(String::new()));
                    }
                }
                Fix::Replace {
                    code,
                    pointer,
                    value,
                } => {
                    if let Some(slot) = doc.value.pointer_mut(&pointer) {
                        *slot = value;
                    }
                    let key = pointer.rsplit('/').next().unwrap_or_default().to_owned();
                    seen.note(code, &key, pointer, false);
                }
            }
        }
    }
    seen.findings(doc)
}

/// The members that are `null` (object pointer, key) and the strings holding
/// control characters. One pointer buffer grows and shrinks along the walk, so
/// a large package costs no string per node; the loader bounds the nesting.
fn scan(
    value: &Value,
    at: &mut String,
    nulls: &mut Vec<(String, String)>,
    controls: &mut Vec<String>,
) {
    let len = at.len();
    match value {
        Value::Object(o) => {
            for (key, v) in o {
                if v.is_null() {
                    nulls.push((at.clone(), key.clone()));
                } else {
                    at.push('/');
                    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    scan(v, at, nulls, controls);
                    at.truncate(len);
                }
            }
        }
        Value::Array(a) => {
            for (n, v) in a.iter().enumerate() {
                at.push('/');
                at.push_str(&n.to_string());
                scan(v, at, nulls, controls);
                at.truncate(len);
            }
        }
        Value::String(s) if s.chars().any(is_control) => controls.push(at.clone()),
        _ => {}
    }
}

fn member(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Characters no text means: C0 controls other than tab and line breaks, DEL
/// and the C1 controls (what U+0080..U+009F bytes become in a second decoding).
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

enum Fix {
    Remove {
        pointer: String,
        keys: Vec<String>,
    },
    /// A required field that was null: empty text (its X004 was given).
    Empty {
        pointer: String,
        key: String,
    },
    Replace {
        code: Code,
        pointer: String,
        value: Value,
    },
}

/// The repair for one schema error, if it has one whose meaning is plain.
fn fix(
    kind: &ValidationErrorKind,
    pointer: &str,
    instance: &Value,
    nulls: &HashSet<(String, String)>,
) -> Option<Fix> {
    match kind {
        ValidationErrorKind::Required { property } => {
            let key = property.as_str()?.to_owned();
            nulls
                .contains(&(pointer.to_owned(), key.clone()))
                .then(|| Fix::Empty {
                    pointer: pointer.to_owned(),
                    key,
                })
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => Some(Fix::Remove {
            pointer: pointer.to_owned(),
            keys: unexpected.clone(),
        }),
        ValidationErrorKind::Format { format } if format == "date-time" => {
            let value = Value::String(with_zone(instance.as_str()?)?);
            Some(Fix::Replace {
                code: Code::CaseTimeZone,
                pointer: pointer.to_owned(),
                value,
            })
        }
        ValidationErrorKind::Type {
            kind: TypeKind::Single(expected),
        } => {
            let value = match (expected, instance) {
                (JsonType::Integer, Value::String(s)) => Value::from(s.trim().parse::<i64>().ok()?),
                (JsonType::Number, Value::String(s)) => {
                    let n = s.trim().parse::<f64>().ok().filter(|n| n.is_finite())?;
                    Value::from(n)
                }
                (JsonType::String, Value::Number(n)) => Value::String(n.to_string()),
                _ => return None,
            };
            Some(Fix::Replace {
                code: Code::CaseValueType,
                pointer: pointer.to_owned(),
                value,
            })
        }
        _ => None,
    }
}

/// A date and time without a zone (`2017-05-25T18:05:33`, or with a space
/// for the `T`) as the same time in UTC; `None` for anything else.
fn with_zone(text: &str) -> Option<String> {
    let (date, time) = text.split_once(['T', ' '])?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let d: Vec<&str> = date.split('-').collect();
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let t: Vec<&str> = clock.split(':').collect();
    let plain = d.len() == 3
        && digits(d[0], 4)
        && digits(d[1], 2)
        && digits(d[2], 2)
        && (t.len() == 2 || t.len() == 3)
        && t.iter().all(|p| digits(p, 2))
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if !plain {
        return None;
    }
    let seconds = if t.len() == 2 { ":00" } else { "" };
    Some(format!("{date}T{time}{seconds}Z"))
}

/// Repairs by kind and field name: how many, and the first place.
#[derive(Default)]
struct Seen {
    by: BTreeMap<(Code, String), (usize, String, bool)>,
}

impl Seen {
    /// `key_place`: the finding points at the member's key rather than its value.
    fn note(&mut self, code: Code, key: &str, pointer: String, key_place: bool) {
        self.by
            .entry((code, key.to_owned()))
            .or_insert((0, pointer, key_place))
            .0 += 1;
    }

    fn findings(self, doc: &Document) -> Vec<Diagnostic> {
        self.by
            .into_iter()
            .map(|((code, key), (count, pointer, key_place))| {
                let range = if key_place {
                    doc.spans
                        .key_span(&pointer)
                        .unwrap_or_else(|| doc.spans.span(&pointer))
                } else {
                    doc.spans.span(&pointer)
                };
                let place = place(&pointer);
                let times = if count == 1 {
                    "here".to_owned()
                } else {
                    format!("here and in {} more place{}", count - 1, plural(count - 1))
                };
                let (message, label, hint) = match code {
                    Code::CaseNull => (
                        format!("`{key}` is null {times}; read as not given"),
                        "null",
                        "CASE 1.1 leaves a field out rather than giving it no value; a field it requires is read as empty text",
                    ),
                    Code::CaseTimeZone => (
                        format!("`{key}` has no time zone {times}; read as UTC"),
                        "no zone",
                        "CASE 1.1 time stamps name their offset from UTC, such as `+00:00`",
                    ),
                    Code::CaseValueType => (
                        format!("`{key}` has a number as text, or text as a number, {times}; read as CASE 1.1 types it"),
                        "wrong type",
                        "CASE 1.1 gives `sequenceNumber` and rubric positions as numbers, codes as text",
                    ),
                    Code::CaseUnknownField => (
                        format!("`{key}` is not a field of {place} in CASE 1.1 ({times}); left out"),
                        "not CASE 1.1",
                        "such fields are CASE 1.0's links back to the package, or a server's own additions; if one holds data you need, ask the publisher",
                    ),
                    _ => (
                        format!("`{key}` holds control characters {times}; removed"),
                        "control characters",
                        "they come from text decoded twice; compare the text with the publisher's document",
                    ),
                };
                Diagnostic::new(code, Span::new(doc.file, range), message)
                    .with_label(label)
                    .with_hint(hint)
            })
            .collect()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What a pointer into a package names, for messages: `a CFItem`.
fn place(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let class = match parts.as_slice() {
        ["CFDocument", ..] if parts.len() <= 2 => "the CFDocument",
        ["CFItems", _, _] => "a CFItem",
        ["CFAssociations", _, _] => "a CFAssociation",
        ["CFDefinitions", kind, _, _] => {
            return format!("a {}", kind.trim_end_matches('s'));
        }
        ["CFRubrics", ..] => "a rubric",
        [.., link, _] if link.ends_with("URI") => "a link",
        _ => "this object",
    };
    class.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_zone_less_times_get_a_zone() {
        assert_eq!(
            with_zone("2017-05-25T18:05:33").as_deref(),
            Some("2017-05-25T18:05:33Z")
        );
        assert_eq!(
            with_zone("2017-05-25 18:05").as_deref(),
            Some("2017-05-25T18:05:00Z")
        );
        assert_eq!(
            with_zone("2017-05-25T18:05:33.25").as_deref(),
            Some("2017-05-25T18:05:33.25Z")
        );
        for bad in [
            "2017-05-25",
            "yesterday",
            "2017-5-25T18:05:33",
            "2017-05-25T18:05:3x",
        ] {
            assert_eq!(with_zone(bad), None, "{bad}");
        }
    }
}
