//! Completion from the text as typed, which is often not valid YAML yet: the
//! key a value belongs to is read from the lines themselves, and what it may
//! name comes from the last check.

use std::path::Path;

use serde_json::{Value, json};

use super::request::Context;
use super::text::Lines;
use super::uri;
use crate::diag::FileId;
use crate::load::{self, Kind};
use crate::model::{Curriculum, Relation};

/// The most items sent at once: a curriculum has thousands of competency
/// ids, and sending them all costs more than the editor's wait allows. The
/// list says it is incomplete, so typing on asks again.
const MAX_ITEMS: usize = 200;

/// One candidate: what is inserted, what the list shows beside it, its
/// longer text, and the protocol's kind of item.
struct Candidate {
    label: String,
    detail: String,
    documentation: String,
    kind: u8,
}

const VALUE: u8 = 12;
const FILE: u8 = 17;
const REFERENCE: u8 = 18;
const ENUM_MEMBER: u8 = 20;

pub fn complete(cx: &Context, params: &Value) -> Option<Value> {
    let engine = cx.engine?;
    let state = engine.state()?;
    let path = uri::to_path(params["textDocument"]["uri"].as_str()?)?;
    let relative = uri::relative(engine.root(), &path)?;
    let kind = load::kind_of(&relative)?;
    let text = engine.text(&relative)?;
    let lines = Lines::new(&text);
    let offset = lines.offset_of(&params["position"], cx.encoding)?;
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |n| n + 1);
    let before = &text[line_start..offset];
    let c = &state.curriculum;
    let yaml = !kind.has_front_matter()
        || load::front_matter(&text).is_some_and(|fm| fm.start <= offset && offset <= fm.end)
        || (text.starts_with("---") && load::front_matter(&text).is_none());
    let (word, candidates) = if yaml {
        let typed = before
            .rsplit(|ch: char| !(ch.is_alphanumeric() || "-_.:/()".contains(ch)))
            .next()
            .unwrap_or_default();
        let key = key(&text[..line_start], before)?;
        let file = state.file(&relative).map(|(file, _)| file);
        (before.len() - typed.len(), for_key(c, kind, file, &key)?)
    } else {
        let opened = before.rfind("](")? + 2;
        if before[opened..].contains([')', ' ']) {
            return None;
        }
        let folder = engine.root().join(relative.parent()?);
        (opened, images(&folder))
    };
    let typed = &before[word..];
    let range = lines.range(&(line_start + word..offset), cx.encoding);
    let matching: Vec<&Candidate> = candidates
        .iter()
        .filter(|k| starts_with_ignoring_case(&k.label, typed))
        .collect();
    let incomplete = matching.len() > MAX_ITEMS;
    let items: Vec<Value> = matching
        .into_iter()
        .take(MAX_ITEMS)
        .map(|k| {
            let mut item = json!({
                "label": k.label,
                "kind": k.kind,
                "detail": k.detail,
                "filterText": k.label,
                "textEdit": {"range": range, "newText": k.label},
            });
            if !k.documentation.is_empty() {
                item["documentation"] = json!({"kind": "markdown", "value": k.documentation});
            }
            item
        })
        .collect();
    Some(json!({"isIncomplete": incomplete, "items": items}))
}

fn starts_with_ignoring_case(label: &str, typed: &str) -> bool {
    label
        .get(..typed.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(typed))
}

/// The key the value at the end of `line` belongs to: the line's own
/// (`teaches: [MTT-`, `- target: dese`), or for a list item or a key being
/// written, the nearest line above, indented less, that opens a block.
fn key(above: &str, line: &str) -> Option<String> {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = line.trim_start_matches(' ');
    let item = content.strip_prefix('-').map(str::trim_start);
    let own = item.unwrap_or(content);
    if let Some((name, _)) = own.split_once(':')
        && is_key(name)
    {
        return Some(name.to_owned());
    }
    let here = indent(line);
    for previous in above.lines().rev() {
        let trimmed = previous.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = indent(previous);
        let opens = previous.trim_end().strip_suffix(':').map(|k| {
            let k = k.trim_start_matches(' ');
            k.strip_prefix("- ").unwrap_or(k).trim()
        });
        match opens {
            // A list may sit at its key's own indent.
            Some(name) if is_key(name) && (at < here || (item.is_some() && at == here)) => {
                return Some(name.to_owned());
            }
            _ if at < here => return None,
            _ => {}
        }
    }
    None
}

fn is_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What a value of `key` may name, in a file of `kind`.
fn for_key(c: &Curriculum, kind: Kind, file: Option<FileId>, key: &str) -> Option<Vec<Candidate>> {
    let competencies = || {
        c.competencies()
            .map(|k| Candidate {
                label: k.id.value.as_str().to_owned(),
                detail: k.title.clone(),
                documentation: k.statement.value.clone(),
                kind: REFERENCE,
            })
            .collect()
    };
    let lessons = || {
        c.lessons
            .iter()
            .map(|l| Candidate {
                label: l.id.value.as_str().to_owned(),
                detail: l.title.clone(),
                documentation: String::new(),
                kind: REFERENCE,
            })
            .collect()
    };
    Some(match (kind, key) {
        (Kind::Assessment, "prerequisites") | (Kind::Curriculum, "lessons") => lessons(),
        (_, "teaches" | "assesses" | "prerequisites" | "demonstrates" | "competency") => {
            competencies()
        }
        (_, "target" | "aligned_to") => items(c),
        (_, "relation") => Relation::ALL
            .iter()
            .map(|r| Candidate {
                label: r.as_str().to_owned(),
                detail: String::new(),
                documentation: String::new(),
                kind: ENUM_MEMBER,
            })
            .collect(),
        (_, "frameworks" | "delivers") => c
            .frameworks
            .iter()
            .map(|f| (f.id.value.as_str(), &f.title))
            .chain(
                c.competency_frameworks
                    .iter()
                    .map(|f| (f.id.value.as_str(), &f.title)),
            )
            .map(|(id, title)| Candidate {
                label: id.to_owned(),
                detail: title.clone(),
                documentation: String::new(),
                kind: REFERENCE,
            })
            .collect(),
        (Kind::Lesson, "kind") => crate::check::formula::BUILTIN
            .iter()
            .map(|b| {
                (
                    b.name.to_owned(),
                    b.title.to_owned(),
                    b.expression.to_owned(),
                )
            })
            .chain(c.formulas.iter().map(|f| {
                (
                    f.name.value.clone(),
                    f.title.clone(),
                    f.expression.value.clone(),
                )
            }))
            .map(|(label, detail, expression)| Candidate {
                label,
                detail,
                documentation: format!("`{expression}`"),
                kind: VALUE,
            })
            .collect(),
        (_, "level") => c
            .settings
            .iter()
            .flat_map(|s| &s.competency_levels)
            .map(|level| Candidate {
                label: level.clone(),
                detail: String::new(),
                documentation: String::new(),
                kind: ENUM_MEMBER,
            })
            .collect(),
        (_, "machine") => c
            .settings
            .iter()
            .flat_map(|s| &s.shop)
            .flat_map(|shop| &shop.machines)
            .map(|(name, count)| Candidate {
                label: name.clone(),
                detail: format!("{count} in the shop"),
                documentation: String::new(),
                kind: VALUE,
            })
            .collect(),
        (Kind::Lesson, "answer_key") => {
            let lesson = c.lessons.iter().find(|l| Some(l.file) == file)?;
            lesson
                .questions
                .iter()
                .map(|q| Candidate {
                    label: q.id.value.clone(),
                    detail: String::new(),
                    documentation: q.prompt.clone(),
                    kind: VALUE,
                })
                .collect()
        }
        _ => return None,
    })
}

/// Every framework item as `framework:code`, with its title and what a
/// reader must know before trusting the code (provisional, ours).
fn items(c: &Curriculum) -> Vec<Candidate> {
    c.frameworks
        .iter()
        .flat_map(|f| f.items.iter().map(move |item| (f, item)))
        .map(|(f, item)| {
            let marks = item.marks();
            let detail = if marks.is_empty() {
                item.title.clone()
            } else {
                format!("{} ({})", item.title, marks.join(", "))
            };
            Candidate {
                label: format!("{}:{}", f.id.value.as_str(), item.code.value),
                detail,
                documentation: item.description.clone().unwrap_or_default(),
                kind: REFERENCE,
            }
        })
        .collect()
}

/// The images a lesson in `folder` can show: files below it, as paths
/// relative to it.
fn images(folder: &Path) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = walkdir::WalkDir::new(folder)
        .max_depth(3)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let extension = e.path().extension()?.to_str()?.to_ascii_lowercase();
            let image = ["png", "jpg", "jpeg", "gif", "svg", "webp"].contains(&extension.as_str());
            let relative = e.path().strip_prefix(folder).ok()?;
            image.then(|| relative.to_string_lossy().replace('\\', "/"))
        })
        .map(|label| Candidate {
            label,
            detail: String::new(),
            documentation: String::new(),
            kind: FILE,
        })
        .collect();
    out.truncate(10 * MAX_ITEMS);
    out
}

#[cfg(test)]
mod tests {
    use super::key;

    /// The key for a value typed at the end of the last line of `text`.
    fn key_of(text: &str) -> Option<String> {
        let start = text.rfind('\n').map_or(0, |n| n + 1);
        key(&text[..start], &text[start..])
    }

    #[test]
    fn the_key_is_read_from_lines_that_are_not_yaml_yet() {
        assert_eq!(key_of("id: x\nteaches: [MTT-").as_deref(), Some("teaches"));
        assert_eq!(
            key_of("alignments:\n  - target: dese:").as_deref(),
            Some("target")
        );
        // A block list, indented under its key or at the key's own indent.
        assert_eq!(
            key_of("prerequisites:\n  - MTT-01\n  - MT").as_deref(),
            Some("prerequisites")
        );
        assert_eq!(key_of("teaches:\n- MTT-01\n- ").as_deref(), Some("teaches"));
        // A key being written in a mapping: its parent.
        assert_eq!(
            key_of("instructor:\n  answer_key:\n    q1: >-\n      An answer.\n    q").as_deref(),
            Some("answer_key")
        );
        // Comments and blank lines are passed over; a line indented less
        // that opens nothing ends the search.
        assert_eq!(
            key_of("teaches:\n  # first\n\n  - ").as_deref(),
            Some("teaches")
        );
        assert_eq!(key_of("title: x\n  - "), None);
        assert_eq!(key_of(""), None);
    }
}
