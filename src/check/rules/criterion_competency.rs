//! C012: a rubric criterion evidences a competency the assessment claims, and
//! names a performance criterion that competency has.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    for a in &c.assessments {
        for k in &a.rubric.criteria {
            let id = k.competency.value.as_str();
            if !a.demonstrates.iter().any(|d| d.value.as_str() == id) {
                out.push(
                    Diagnostic::new(
                        Code::CriterionCompetency,
                        k.competency.span.clone(),
                        format!(
                            "criterion `{}` evidences `{id}`, which `{}` does not claim to demonstrate",
                            k.id.value, a.id.value
                        ),
                    )
                    .with_label("not in `demonstrates`")
                    .with_suggestion(id, a.demonstrates.iter().map(|d| d.value.as_str()))
                    .with_hint("add it to `demonstrates`, or tie the criterion to a competency listed there"),
                );
                continue;
            }
            let (Some(number), Some(competency)) = (&k.criterion, index.competencies.get(id))
            else {
                continue;
            };
            let count = competency.criteria.len();
            if number.value == 0 || number.value as usize > count {
                out.push(
                    Diagnostic::new(
                        Code::CriterionCompetency,
                        number.span.clone(),
                        format!(
                            "`{id}` has {count} performance {}, so there is no criterion {}",
                            if count == 1 { "criterion" } else { "criteria" },
                            number.value
                        ),
                    )
                    .with_label("no such criterion")
                    .with_hint("performance criteria count from 1, in the order of the competency's `criteria` list"),
                );
            }
        }
    }
}
