//! C006 (warning): a lesson's timed procedure must fit its duration.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    // A duration cib could not read is S001's to report, not a lesson of 0 minutes.
    for lesson in c.lessons.iter().filter(|l| l.duration_minutes > 0) {
        let planned: u32 = lesson.instructor.procedure.iter().map(|s| s.minutes).sum();
        if planned > lesson.duration_minutes {
            out.push(
                Diagnostic::new(
                    Code::ProcedureOverrun,
                    lesson.duration.span.clone(),
                    format!(
                        "the procedure of `{}` takes {planned} minutes, but the lesson is {} minutes",
                        lesson.id.value, lesson.duration_minutes
                    ),
                )
                .with_label("duration")
                .with_hint("shorten or move a step, or correct the duration"),
            );
        }
    }
}
