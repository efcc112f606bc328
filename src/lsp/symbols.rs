//! Every place the model names a competency, a framework item, a lesson or a
//! framework, from its spans: what hover, definition, references and rename
//! stand on. Nothing here searches text, so a word in a comment or in prose
//! that looks like an id is never taken for one.

use crate::diag::{FileId, Span};
use crate::model::Curriculum;

/// What a name names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Competency(String),
    /// A framework item, as `framework:code`.
    Item(String, String),
    Lesson(String),
    Framework(String),
}

/// One place a target is named: where it is defined, or used.
pub struct Occurrence {
    pub target: Target,
    pub span: Span,
    pub definition: bool,
}

/// Every occurrence in the curriculum, definitions first within each kind.
pub fn all(c: &Curriculum) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut add = |target: Target, span: &Span, definition: bool| {
        out.push(Occurrence {
            target,
            span: span.clone(),
            definition,
        });
    };
    let competency = |id: &str| Target::Competency(id.to_owned());
    for f in &c.frameworks {
        add(
            Target::Framework(f.id.value.as_str().to_owned()),
            &f.id.span,
            true,
        );
        for item in &f.items {
            let target = Target::Item(f.id.value.as_str().to_owned(), item.code.value.clone());
            add(target, &item.code.span, true);
        }
    }
    for f in &c.competency_frameworks {
        add(
            Target::Framework(f.id.value.as_str().to_owned()),
            &f.id.span,
            true,
        );
        if let Some(delivers) = &f.delivers {
            add(
                Target::Framework(delivers.value.as_str().to_owned()),
                &delivers.span,
                false,
            );
        }
        for k in &f.competencies {
            add(competency(k.id.value.as_str()), &k.id.span, true);
            for p in &k.prerequisites {
                add(competency(p.value.as_str()), &p.span, false);
            }
            for a in &k.alignments {
                let target = Target::Item(
                    a.target.value.framework.as_str().to_owned(),
                    a.target.value.code.clone(),
                );
                add(target, &a.target.span, false);
            }
        }
    }
    for l in &c.lessons {
        add(
            Target::Lesson(l.id.value.as_str().to_owned()),
            &l.id.span,
            true,
        );
        for id in l.teaches.iter().chain(&l.assesses) {
            add(competency(id.value.as_str()), &id.span, false);
        }
    }
    for a in &c.assessments {
        for id in &a.demonstrates {
            add(competency(id.value.as_str()), &id.span, false);
        }
        for k in &a.rubric.criteria {
            add(
                competency(k.competency.value.as_str()),
                &k.competency.span,
                false,
            );
        }
        for l in &a.prerequisites {
            add(Target::Lesson(l.value.as_str().to_owned()), &l.span, false);
        }
    }
    for b in c.settings.iter().flat_map(|s| &s.bundles) {
        for l in &b.lessons {
            add(Target::Lesson(l.value.as_str().to_owned()), &l.span, false);
        }
        for f in &b.frameworks {
            add(
                Target::Framework(f.value.as_str().to_owned()),
                &f.span,
                false,
            );
        }
        for item in &b.aligned_to {
            let target = Target::Item(
                item.value.framework.as_str().to_owned(),
                item.value.code.clone(),
            );
            add(target, &item.span, false);
        }
    }
    out
}

/// The occurrence at a byte offset of a file: the innermost one whose span
/// holds it (its end included, where the cursor stands after a word).
pub fn at(occurrences: &[Occurrence], file: FileId, offset: usize) -> Option<&Occurrence> {
    occurrences
        .iter()
        .filter(|o| o.span.file == file)
        .filter(|o| {
            o.span
                .range
                .as_ref()
                .is_some_and(|r| r.start <= offset && offset <= r.end)
        })
        .min_by_key(|o| o.span.range.as_ref().map_or(usize::MAX, |r| r.len()))
}

/// The part of a span that is the name itself: inside its quotes, if it is
/// written quoted. An edit there keeps the author's quoting and layout.
pub fn inner(text: &str, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let written = text.get(range.clone()).unwrap_or_default();
    let quoted = written.len() >= 2
        && ((written.starts_with('"') && written.ends_with('"'))
            || (written.starts_with('\'') && written.ends_with('\'')));
    if quoted {
        range.start + 1..range.end - 1
    } else {
        range.clone()
    }
}
