//! R005: lessons may teach and assess only competencies that exist.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    if !c.complete.competencies {
        return;
    }
    for lesson in &c.lessons {
        let lists = [("teaches", &lesson.teaches), ("assesses", &lesson.assesses)];
        for (verb, ids) in lists {
            for id in ids.iter() {
                if !index.competencies.contains_key(id.value.as_str()) {
                    out.push(
                        Diagnostic::new(
                            Code::UnknownLessonCompetency,
                            id.span.clone(),
                            format!(
                                "lesson `{}` {verb} `{}`, which no competency framework defines",
                                lesson.id.value, id.value
                            ),
                        )
                        .with_label("unknown competency")
                        .with_suggestion(id.value.as_str(), index.competencies.keys().copied()),
                    );
                }
            }
        }
    }
}
