//! Writing an imported framework as YAML that reads like the hand-written files:
//! block style, keys in the schema's order, plain words unquoted, long text
//! folded at word boundaries, anything YAML could misread in double quotes.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::{
    Association, AssociationEnd, CaseIdentity, CompetencyFramework, Framework, Requirements,
};

/// The widest line the writer folds long text to.
const WIDTH: usize = 88;

/// The YAML text of `value` (a mapping), led by the modeline that names its
/// schema for editors and `cib check`.
pub(crate) fn document(value: &Map<String, Value>, schema: &str) -> String {
    let mut out = format!("# yaml-language-server: $schema={schema}\n");
    mapping(&mut out, value, 0, false);
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Entries at `indent`; with `inline`, the first continues a `- ` already written.
fn mapping(out: &mut String, map: &Map<String, Value>, indent: usize, inline: bool) {
    for (n, (key, value)) in map.iter().enumerate() {
        if n > 0 || !inline {
            pad(out, indent);
        }
        out.push_str(key);
        out.push(':');
        match value {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                mapping(out, m, indent + 2, false);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                sequence(out, a, indent + 2);
            }
            _ => {
                out.push(' ');
                scalar(out, value, indent + 2);
            }
        }
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize) {
    for value in items {
        pad(out, indent);
        out.push_str("- ");
        match value {
            Value::Object(m) if !m.is_empty() => mapping(out, m, indent + 2, true),
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                sequence(out, a, indent + 2);
            }
            _ => scalar(out, value, indent + 2),
        }
    }
}

/// One scalar and its line end; folded text continues at `indent`.
fn scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::String(s) if is_plain(s) && (indent + s.len() <= WIDTH || !can_fold(s)) => {
            out.push_str(s)
        }
        Value::String(s) if can_fold(s) && indent + s.len() > WIDTH => {
            out.push_str(">-");
            let mut line = 0;
            for word in s.split(' ') {
                if line > 0 && line + 1 + word.len() > WIDTH - indent {
                    line = 0;
                }
                if line == 0 {
                    out.push('\n');
                    pad(out, indent);
                } else {
                    out.push(' ');
                    line += 1;
                }
                out.push_str(word);
                line += word.len();
            }
        }
        Value::String(s) => {
            out.push_str(&serde_json::to_string(s).expect("a string serializes"));
        }
        // Whole hours read better as `4` than `4.0`, and load as the same number.
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => {
                out.push_str(&(f as i64).to_string())
            }
            _ => out.push_str(&n.to_string()),
        },
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        other => out.push_str(&other.to_string()),
    }
    out.push('\n');
}

/// `s` as a YAML scalar on one line: plain when YAML reads it back as the same
/// text, else double-quoted (JSON's string syntax is YAML's too).
pub(crate) fn inline(s: &str) -> String {
    if is_plain(s) {
        s.to_owned()
    } else {
        serde_json::to_string(s).expect("a string serializes")
    }
}

/// Text YAML reads back as the same string without quotes: it starts with a
/// letter, is not a word YAML 1.1 took for a boolean or null, and holds nothing
/// that starts a comment, a mapping or another node.
fn is_plain(s: &str) -> bool {
    const WORDS: [&str; 12] = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "none", "nan", "inf",
    ];
    let starts = s.chars().next().is_some_and(|c| c.is_alphabetic());
    starts
        && !WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| c.is_control())
}

/// Text a folded block (`>-`) keeps exactly: one line, single spaces between
/// words, nothing YAML would have to escape.
fn can_fold(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !s.chars().any(|c| c.is_control())
}

/// An external framework in the shape of its schema, items nested again.
pub(crate) fn framework(f: &Framework) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("id".into(), json!(f.id.value.as_str()));
    o.insert("title".into(), json!(f.title));
    o.insert("publisher".into(), json!(f.publisher));
    o.insert("version".into(), json!(f.version));
    some(&mut o, "url", f.url.as_deref());
    some(&mut o, "source", f.source.as_deref());
    some(&mut o, "description", f.description.as_deref());
    if let Some(h) = f.hours {
        o.insert("hours".into(), json!(h));
    }
    if let Some(r) = &f.requirements {
        o.insert("requirements".into(), requirements(r));
    }
    case(&mut o, f.case.as_ref());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); f.items.len()];
    let mut roots = Vec::new();
    for (n, item) in f.items.iter().enumerate() {
        match item.parent {
            Some(p) => children[p].push(n),
            None => roots.push(n),
        }
    }
    o.insert("items".into(), Value::Array(items(f, &children, &roots)));
    o
}

fn items(f: &Framework, children: &[Vec<usize>], level: &[usize]) -> Vec<Value> {
    level
        .iter()
        .map(|&n| {
            let i = &f.items[n];
            let mut o = Map::new();
            o.insert("code".into(), json!(i.code.value));
            o.insert("title".into(), json!(i.title.trim()));
            some(&mut o, "description", i.description.as_deref());
            some(&mut o, "kind", i.kind.as_deref());
            if let Some(h) = i.hours {
                o.insert("hours".into(), json!(h));
            }
            some(&mut o, "skill_level", i.skill_level.as_deref());
            if let Some(r) = i.required {
                o.insert("required".into(), json!(r));
            }
            o.insert("status".into(), json!(i.status.as_str()));
            some(&mut o, "source", i.source.as_deref());
            some(&mut o, "verify_against", i.verify_against.as_deref());
            if i.our_code {
                o.insert("our_code".into(), json!(true));
            }
            case(&mut o, i.case.as_ref());
            if !i.associations.is_empty() {
                o.insert("associations".into(), associations(&i.associations));
            }
            if !children[n].is_empty() {
                o.insert(
                    "items".into(),
                    Value::Array(items(f, children, &children[n])),
                );
            }
            Value::Object(o)
        })
        .collect()
}

/// One of our competency frameworks in the shape of its schema.
pub(crate) fn competency_framework(f: &CompetencyFramework) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("id".into(), json!(f.id.value.as_str()));
    o.insert("title".into(), json!(f.title));
    o.insert("version".into(), json!(f.version));
    o.insert("license".into(), json!(f.license));
    some(&mut o, "description", f.description.as_deref());
    if let Some(d) = &f.delivers {
        o.insert("delivers".into(), json!(d.value.as_str()));
    }
    case(&mut o, f.case.as_ref());
    let competencies = f
        .competencies
        .iter()
        .map(|k| {
            let mut c = Map::new();
            c.insert("id".into(), json!(k.id.value.as_str()));
            c.insert("title".into(), json!(k.title.trim()));
            c.insert("statement".into(), json!(k.statement.value.trim()));
            some(&mut c, "area", k.area.as_deref());
            c.insert("level".into(), json!(k.level.value.as_str()));
            c.insert("hours".into(), json!(k.hours));
            let criteria: Vec<&str> = k.criteria.iter().map(|s| s.trim()).collect();
            c.insert("criteria".into(), json!(criteria));
            if !k.prerequisites.is_empty() {
                let ids: Vec<&str> = k.prerequisites.iter().map(|p| p.value.as_str()).collect();
                c.insert("prerequisites".into(), json!(ids));
            }
            if !k.alignments.is_empty() {
                let alignments: Vec<Value> = k
                    .alignments
                    .iter()
                    .map(|a| {
                        let mut o = Map::new();
                        o.insert("target".into(), json!(a.target.value.to_string()));
                        o.insert("relation".into(), json!(a.relation.as_str()));
                        some(&mut o, "note", a.note.as_deref());
                        Value::Object(o)
                    })
                    .collect();
                c.insert("alignments".into(), Value::Array(alignments));
            }
            case(&mut c, k.case.as_ref());
            if !k.associations.is_empty() {
                c.insert("associations".into(), associations(&k.associations));
            }
            Value::Object(c)
        })
        .collect();
    o.insert("competencies".into(), Value::Array(competencies));
    o
}

/// A CASE identity under `case`, when there is one.
fn case(o: &mut Map<String, Value>, identity: Option<&CaseIdentity>) {
    if let Some(identity) = identity {
        o.insert("case".into(), case_value(identity));
    }
}

/// A CASE identity in the shape of its schema.
pub(super) fn case_value(identity: &CaseIdentity) -> Value {
    let mut c = Map::new();
    c.insert("identifier".into(), json!(identity.identifier));
    some(&mut c, "uri", identity.uri.as_deref());
    some(&mut c, "code", identity.code.as_deref());
    some(&mut c, "child_of", identity.child_of.as_deref());
    Value::Object(c)
}

/// An item's associations in the shape of their schema.
pub(super) fn associations(list: &[Association]) -> Value {
    list.iter()
        .map(|a| {
            let mut o = Map::new();
            o.insert("type".into(), json!(a.kind));
            match &a.to {
                AssociationEnd::Item(code) => {
                    o.insert("to".into(), json!(code.value));
                }
                AssociationEnd::Node {
                    identifier,
                    uri,
                    title,
                } => {
                    o.insert(
                        "node".into(),
                        json!({"identifier": identifier, "uri": uri, "title": title}),
                    );
                }
            }
            some(&mut o, "identifier", a.identifier.as_deref());
            some(&mut o, "note", a.note.as_deref());
            Value::Object(o)
        })
        .collect()
}

/// Inserts trimmed text when there is some.
pub(super) fn some(o: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        o.insert(key.into(), json!(v.trim()));
    }
}

/// The delivery requirements in the shape the framework YAML gives them.
pub(super) fn requirements(r: &Requirements) -> Value {
    let mut o = BTreeMap::new();
    if let Some(h) = r.total_hours {
        o.insert("total_hours", json!(h));
    }
    if let Some(h) = r.max_hours_per_day {
        o.insert("max_hours_per_day", json!(h));
    }
    let groups: Vec<Value> = r
        .groups
        .iter()
        .map(|g| {
            let mut o = Map::new();
            o.insert("kind".into(), json!(g.kind));
            if let Some(h) = g.min_hours {
                o.insert("min_hours".into(), json!(h));
            }
            if let Some(n) = g.min_topics {
                o.insert("min_topics".into(), json!(n));
            }
            if let Some(h) = g.min_topic_hours {
                o.insert("min_topic_hours".into(), json!(h));
            }
            Value::Object(o)
        })
        .collect();
    if !groups.is_empty() {
        o.insert("groups", Value::Array(groups));
    }
    json!(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reread(text: &str) -> Value {
        let loaded = crate::load::framework_bytes("x.yaml", text.as_bytes().to_vec());
        assert!(loaded.diagnostics.is_empty(), "{text}");
        loaded.documents[0].value.clone()
    }

    #[test]
    fn what_is_written_reads_back_as_the_same_value() {
        let long = "Start up a CNC vertical machining center, home all axes, warm up the spindle, and jog the axes safely; #1 rule: the door stays closed.";
        let value = serde_json::json!({
            "id": "cnc-mill",
            "version": "2014",
            "code": "1.A.01a",
            "words": ["true", "No", "null", "~", "-5", "a: b", "x #y", "ends:", "", " lead", "tab\there", "two  spaces", "é accent", "line\nbreak"],
            "long": long,
            "number": 4.5,
            "int": 3,
            "flag": false,
            "empty": [],
            "nested": [{"a": 1, "b": [{"c": "d"}]}, ["x", "y"]],
        });
        let text = document(value.as_object().unwrap(), "schemas/x.json");
        assert!(text.starts_with("# yaml-language-server: $schema=schemas/x.json\n"));
        assert!(text.contains("long: >-\n  Start up"), "{text}");
        assert!(text.lines().all(|l| l.len() <= WIDTH), "{text}");
        assert!(text.contains("\nid: cnc-mill\n"), "{text}");
        assert_eq!(reread(&text), value, "{text}");
    }

    #[test]
    fn whole_hours_are_written_without_a_fraction_and_read_as_the_same_number() {
        let value = serde_json::json!({"hours": 4.0, "big": 1e20});
        let text = document(value.as_object().unwrap(), "s.json");
        assert!(text.contains("\nhours: 4\n"), "{text}");
        let again = reread(&text);
        assert_eq!(again["hours"].as_f64(), Some(4.0));
        assert_eq!(again["big"].as_f64(), Some(1e20));
    }
}
