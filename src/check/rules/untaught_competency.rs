//! R006 (warning): every competency should be taught by some lesson.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    if !c.complete.lessons {
        return;
    }
    let taught: BTreeSet<&str> = c
        .lessons
        .iter()
        .flat_map(|l| &l.teaches)
        .map(|id| id.value.as_str())
        .collect();
    for competency in c.competencies().filter(|k| k.deferred.is_none()) {
        if !taught.contains(competency.id.value.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::UntaughtCompetency,
                    competency.id.span.clone(),
                    format!("no lesson teaches `{}`", competency.id.value),
                )
                .with_label("untaught")
                .with_hint("add it to a lesson's `teaches`, write a lesson for it, mark it `deferred` with the reason if it is taught later or elsewhere, or remove it"),
            );
        }
    }
}
