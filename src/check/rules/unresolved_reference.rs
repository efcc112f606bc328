//! R002: prerequisites, bundle contents and coverage thresholds must name things
//! that exist.

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{Curriculum, Framework};

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

fn missing_item(framework: &Framework, code: &str, span: &Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnresolvedReference,
        span.clone(),
        format!("framework `{}` has no item `{code}`", framework.id.value),
    )
    .with_label("unknown item")
    .with_suggestion(code, framework.items.iter().map(|i| i.code.value.as_str()))
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
    let Some(settings) = &c.settings else {
        return;
    };
    for bundle in &settings.bundles {
        if c.complete.lessons {
            for l in &bundle.lessons {
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
        for t in &settings.thresholds {
            let id = t.framework.value.as_str();
            let Some(framework) = index.frameworks.get(id) else {
                out.push(missing(
                    "framework",
                    id,
                    &t.framework.span,
                    index.frameworks.keys().copied(),
                ));
                continue;
            };
            if let Some(item) = &t.item
                && !framework.items.iter().any(|i| i.code.value == item.value)
            {
                out.push(missing_item(framework, &item.value, &item.span));
            }
        }
    }
}
