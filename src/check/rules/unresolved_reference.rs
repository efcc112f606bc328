//! R002: prerequisites, associations within a framework, bundle contents, coverage
//! thresholds and exceptions, rubric scales and scoring notes must name things that
//! exist.

use std::collections::HashSet;

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{
    Association, AssociationEnd, Curriculum, Framework, LessonId, RubricScale, Spanned,
};

use super::Index;

fn missing<'a>(
    what: &str,
    id: &str,
    span: &Span,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    Diagnostic::new(
        Code::UnresolvedReference,
        span.clone(),
        format!("{what} `{id}` does not exist"),
    )
    .with_label(format!("unknown {what}"))
    .with_suggestion(id, known)
}

/// Every lesson id of `ids` that names no lesson, when all lessons loaded.
fn lessons<'a>(
    c: &Curriculum,
    index: &Index,
    ids: impl IntoIterator<Item = &'a Spanned<LessonId>>,
    out: &mut Vec<Diagnostic>,
) {
    if !c.complete.lessons {
        return;
    }
    for l in ids {
        if !index.lessons.contains(l.value.as_str()) {
            out.push(missing(
                "lesson",
                l.value.as_str(),
                &l.span,
                index.lessons.iter().copied(),
            ));
        }
    }
}

fn missing_item(framework: &Framework, code: &str, span: &Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnresolvedReference,
        span.clone(),
        format!("framework `{}` has no item `{code}`", framework.id.value),
    )
    .with_label("unknown item")
    .with_suggestion(code, framework.items.iter().map(|i| i.code.value.as_str()))
}

/// The `to` ends of `associations` that name nothing in `known`.
fn dangling<'a>(
    associations: impl Iterator<Item = &'a Association>,
    known: &HashSet<&str>,
) -> Vec<&'a Spanned<String>> {
    associations
        .filter_map(|a| match &a.to {
            AssociationEnd::Item(end) if !known.contains(end.value.as_str()) => Some(end),
            _ => None,
        })
        .collect()
}

/// Associations within a framework name items, or competencies, it has.
fn associations(c: &Curriculum, out: &mut Vec<Diagnostic>) {
    const NODE: &str = "a node outside the framework is written with `node`";
    for framework in &c.frameworks {
        let codes: HashSet<&str> = framework
            .items
            .iter()
            .map(|i| i.code.value.as_str())
            .collect();
        let ends = framework.items.iter().flat_map(|i| &i.associations);
        for end in dangling(ends, &codes) {
            out.push(missing_item(framework, &end.value, &end.span).with_hint(NODE));
        }
    }
    for framework in &c.competency_frameworks {
        let ids: HashSet<&str> = framework
            .competencies
            .iter()
            .map(|k| k.id.value.as_str())
            .collect();
        let ends = framework.competencies.iter().flat_map(|k| &k.associations);
        for end in dangling(ends, &ids) {
            out.push(
                missing("competency", &end.value, &end.span, ids.iter().copied()).with_hint(NODE),
            );
        }
    }
}

/// An assessment's prerequisite lessons, rubric scale and scoring notes.
fn assessments(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    let scales: Vec<&str> = c
        .settings
        .iter()
        .flat_map(|s| &s.scales)
        .map(|s| s.id.value.as_str())
        .collect();
    for a in &c.assessments {
        lessons(c, index, &a.prerequisites, out);
        if let RubricScale::Named(id) | RubricScale::Both(id) = &a.rubric.scale
            && c.scale(&id.value).is_none()
        {
            out.push(
                missing("scale", &id.value, &id.span, scales.iter().copied())
                    .with_hint("scales are listed under `scales:` in curriculum.yaml"),
            );
        }
        let criteria = || a.rubric.criteria.iter().map(|k| k.id.value.as_str());
        for (id, _) in &a.instructor.scoring {
            if !criteria().any(|k| k == id.value) {
                out.push(missing("criterion", &id.value, &id.span, criteria()));
            }
        }
    }
}

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    if c.complete.competencies {
        for competency in c.competencies() {
            for p in &competency.prerequisites {
                if !index.competencies.contains_key(p.value.as_str()) {
                    out.push(missing(
                        "competency",
                        p.value.as_str(),
                        &p.span,
                        index.competencies.keys().copied(),
                    ));
                }
            }
        }
    }
    if c.complete.frameworks {
        for course in &c.competency_frameworks {
            if let Some(d) = &course.delivers
                && !index.frameworks.contains_key(d.value.as_str())
            {
                out.push(missing(
                    "framework",
                    d.value.as_str(),
                    &d.span,
                    index.frameworks.keys().copied(),
                ));
            }
        }
    }
    associations(c, out);
    assessments(c, index, out);
    let Some(settings) = &c.settings else {
        return;
    };
    let scale_ids = || settings.scales.iter().map(|s| s.id.value.as_str());
    if let Some(id) = &settings.records_scale
        && c.scale(&id.value).is_none()
    {
        out.push(missing("scale", &id.value, &id.span, scale_ids()));
    }
    for bundle in &settings.bundles {
        lessons(c, index, &bundle.lessons, out);
        if c.complete.assessments {
            for a in &bundle.assessments {
                if c.assessment(a.value.as_str()).is_none() {
                    out.push(missing(
                        "assessment",
                        a.value.as_str(),
                        &a.span,
                        c.assessments.iter().map(|a| a.id.value.as_str()),
                    ));
                }
            }
        }
        if c.complete.competencies {
            for f in &bundle.frameworks {
                if !index.competency_frameworks.contains(f.value.as_str()) {
                    out.push(
                        missing(
                            "competency framework",
                            f.value.as_str(),
                            &f.span,
                            index.competency_frameworks.iter().copied(),
                        )
                        .with_hint(
                            "bundles select lessons through our frameworks in competencies/",
                        ),
                    );
                }
            }
        }
    }
    if c.complete.frameworks {
        for target in settings.bundles.iter().flat_map(|b| &b.aligned_to) {
            let id = target.value.framework.as_str();
            match index.frameworks.get(id) {
                None => out.push(missing(
                    "framework",
                    id,
                    &target.span,
                    index.frameworks.keys().copied(),
                )),
                Some(framework)
                    if !framework
                        .items
                        .iter()
                        .any(|i| i.code.value == target.value.code) =>
                {
                    out.push(missing_item(framework, &target.value.code, &target.span))
                }
                Some(_) => {}
            }
        }
        let scopes = settings
            .thresholds
            .iter()
            .map(|t| (&t.framework, t.item.as_ref()))
            .chain(
                settings
                    .exceptions
                    .iter()
                    .map(|e| (&e.framework, Some(&e.item))),
            );
        for (framework, item) in scopes {
            let id = framework.value.as_str();
            let Some(framework) = index.frameworks.get(id) else {
                out.push(missing(
                    "framework",
                    id,
                    &framework.span,
                    index.frameworks.keys().copied(),
                ));
                continue;
            };
            if let Some(item) = item
                && !framework.items.iter().any(|i| i.code.value == item.value)
            {
                out.push(missing_item(framework, &item.value, &item.span));
            }
        }
    }
}
