//! C014: every measured feature of a rubric has limits the inspection sheet can
//! print.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let rows = c
        .assessments
        .iter()
        .flat_map(|a| &a.rubric.criteria)
        .flat_map(|k| &k.measured);
    for row in rows {
        if let Err(problem) = row.limits() {
            out.push(
                Diagnostic::new(Code::MeasuredLimits, problem.span, problem.message)
                    .with_label("no usable limits")
                    .with_hint(problem.hint),
            );
        }
    }
}
