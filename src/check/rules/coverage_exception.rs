//! C019, C020 and C021: what curriculum.yaml's coverage settings claim must
//! hold. An exception gives a reason and hides no required item (C019), is
//! not written on an item the curriculum covers (C020), and a threshold on
//! required hours names something that requires hours (C021).

use crate::diag::{Code, Diagnostic};
use crate::model::{Curriculum, Framework, MinHours};

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    let Some(settings) = &c.settings else {
        return;
    };
    for e in &settings.exceptions {
        if e.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            out.push(
                Diagnostic::new(
                    Code::CoverageException,
                    e.item.span.clone(),
                    format!(
                        "the exception for `{}:{}` gives no reason",
                        e.framework.value, e.item.value
                    ),
                )
                .with_label("no `reason`")
                .with_hint(
                    "add `reason:` saying why the item is left out (the rule or decision that allows it); an auditor signs this report",
                ),
            );
        }
        // An unknown framework or item is R002's finding.
        let Some(framework) = index.frameworks.get(e.framework.value.as_str()) else {
            continue;
        };
        let Some(at) = framework
            .items
            .iter()
            .position(|i| i.code.value == e.item.value)
        else {
            continue;
        };
        let subtree = subtree(framework, at);
        if let Some(required) = subtree
            .iter()
            .map(|&i| &framework.items[i])
            .find(|i| i.required == Some(true))
        {
            let what = if required.code.value == e.item.value {
                format!("`{}` is required", e.item.value)
            } else {
                format!("`{}`, below it, is required", required.code.value)
            };
            out.push(
                Diagnostic::new(
                    Code::CoverageException,
                    e.item.span.clone(),
                    format!(
                        "the exception for `{}:{}` hides a required item: {what} ({})",
                        e.framework.value, e.item.value, required.title
                    ),
                )
                .with_label("required by the framework")
                .with_related(required.code.span.clone(), "marked `required: true` here")
                .with_hint(
                    "remove the exception and teach the item; a required item cannot be left out",
                ),
            );
        }
        let covering = c.competencies().find(|k| {
            k.alignments.iter().any(|a| {
                a.relation.covers()
                    && a.target.value.framework == framework.id.value
                    && subtree
                        .iter()
                        .any(|&i| framework.items[i].code.value == a.target.value.code)
            })
        });
        if let Some(k) = covering {
            out.push(
                Diagnostic::new(
                    Code::CoveredException,
                    e.item.span.clone(),
                    format!(
                        "the exception for `{}:{}` is on an item the curriculum covers: competency `{}` is aligned to it",
                        e.framework.value, e.item.value, k.id.value
                    ),
                )
                .with_label("excepted, yet covered")
                .with_related(k.id.span.clone(), "this competency covers it")
                .with_hint("remove the exception if the item is taught now, or correct the alignment"),
            );
        }
    }
    for t in &settings.thresholds {
        let Some(min) = &t.min_hours else { continue };
        let Some(framework) = index.frameworks.get(t.framework.value.as_str()) else {
            continue;
        };
        if min.value != MinHours::Required {
            continue;
        }
        let (required, scope) = match &t.item {
            None => (
                framework.required_hours(),
                format!("framework `{}`", framework.id.value),
            ),
            Some(code) => match framework.items.iter().find(|i| i.code.value == code.value) {
                Some(item) => (
                    item.hours,
                    format!("item `{}:{}`", framework.id.value, code.value),
                ),
                None => continue,
            },
        };
        if required.is_none() {
            out.push(
                Diagnostic::new(
                    Code::HoursThreshold,
                    min.span.clone(),
                    format!("`min_hours: required`, but {scope} states no required hours"),
                )
                .with_label("nothing to compare with")
                .with_hint(
                    "give a number of hours (`min_hours: 120`), or record the owner's `hours` in the framework file",
                ),
            );
        }
    }
}

/// The indexes of an item and everything below it (items are in pre-order).
fn subtree(framework: &Framework, at: usize) -> Vec<usize> {
    let depth = framework.items[at].depth;
    std::iter::once(at)
        .chain((at + 1..framework.items.len()).take_while(|&i| framework.items[i].depth > depth))
        .collect()
}
