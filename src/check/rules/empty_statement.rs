//! C001 (warning): a competency needs a statement to be assessable.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for competency in c.competencies() {
        if competency.statement.value.trim().is_empty() {
            out.push(
                Diagnostic::new(
                    Code::EmptyStatement,
                    competency.statement.span.clone(),
                    format!(
                        "competency `{}` has an empty statement",
                        competency.id.value
                    ),
                )
                .with_label("empty")
                .with_hint(
                    "state what the student can do, under what conditions, to what standard",
                ),
            );
        }
    }
}
