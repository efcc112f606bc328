//! C016 (warning): every hands-on competency is demonstrated by a performance
//! assessment.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    if !c.complete.assessments {
        return;
    }
    let evidence = c.evidence();
    for k in c
        .competencies()
        .filter(|k| k.hands_on && k.deferred.is_none())
    {
        let demonstrated = evidence
            .get(k.id.value.as_str())
            .is_some_and(|found| found.iter().any(|e| e.assessment.is_performance()));
        if !demonstrated {
            out.push(
                Diagnostic::new(
                    Code::UndemonstratedSkill,
                    k.id.span.clone(),
                    format!(
                        "`{}` is a hands-on skill, but no performance assessment demonstrates it",
                        k.id.value
                    ),
                )
                .with_label("not demonstrated")
                .with_hint("add it to a performance assessment's `demonstrates`, with a rubric criterion for it"),
            );
        }
    }
}
