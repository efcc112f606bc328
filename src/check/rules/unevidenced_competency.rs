//! C013: every competency an assessment claims has a rubric criterion.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for a in &c.assessments {
        for id in &a.demonstrates {
            let scored = a
                .rubric
                .criteria
                .iter()
                .any(|k| k.competency.value == id.value);
            if !scored {
                out.push(
                    Diagnostic::new(
                        Code::UnevidencedCompetency,
                        id.span.clone(),
                        format!(
                            "`{}` claims `{}`, but no rubric criterion evidences it",
                            a.id.value, id.value
                        ),
                    )
                    .with_label("no criterion")
                    .with_hint("add a rubric criterion with this `competency`, or remove it from `demonstrates`"),
                );
            }
        }
    }
}
