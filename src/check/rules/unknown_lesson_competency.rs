//! R005: lessons may teach and assess, and assessments demonstrate, only
//! competencies that exist.

use crate::diag::{Code, Diagnostic};
use crate::model::{CompetencyId, Curriculum, Spanned};

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    if !c.complete.competencies {
        return;
    }
    // (what names them, its id, the verb, the competency ids it names)
    let mut lists: Vec<(&str, &str, &str, &[Spanned<CompetencyId>])> = Vec::new();
    for lesson in &c.lessons {
        let id = lesson.id.value.as_str();
        lists.push(("lesson", id, "teaches", &lesson.teaches));
        lists.push(("lesson", id, "assesses", &lesson.assesses));
    }
    for a in &c.assessments {
        lists.push((
            "assessment",
            a.id.value.as_str(),
            "demonstrates",
            &a.demonstrates,
        ));
    }
    for (what, owner, verb, ids) in lists {
        for id in ids {
            if !index.competencies.contains_key(id.value.as_str()) {
                out.push(
                    Diagnostic::new(
                        Code::UnknownLessonCompetency,
                        id.span.clone(),
                        format!(
                            "{what} `{owner}` {verb} `{}`, which no competency framework defines",
                            id.value
                        ),
                    )
                    .with_label("unknown competency")
                    .with_suggestion(id.value.as_str(), index.competencies.keys().copied()),
                );
            }
        }
    }
}
