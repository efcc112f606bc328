//! C002: every question has exactly one answer in the instructor-only answer key,
//! and every answer belongs to a question.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        let answered: BTreeSet<&str> = lesson
            .instructor
            .answer_key
            .iter()
            .map(|(q, _)| q.value.as_str())
            .collect();
        let asked: BTreeSet<&str> = lesson
            .questions
            .iter()
            .map(|q| q.id.value.as_str())
            .collect();
        for question in &lesson.questions {
            if !answered.contains(question.id.value.as_str()) {
                out.push(
                    Diagnostic::new(
                        Code::AnswerKeyMismatch,
                        question.id.span.clone(),
                        format!(
                            "question `{}` has no answer in `instructor.answer_key`",
                            question.id.value
                        ),
                    )
                    .with_label("unanswered")
                    .with_hint(format!(
                        "add `{}: <answer>` under `instructor.answer_key`",
                        question.id.value
                    )),
                );
            }
        }
        for (question, _) in &lesson.instructor.answer_key {
            if !asked.contains(question.value.as_str()) {
                out.push(
                    Diagnostic::new(
                        Code::AnswerKeyMismatch,
                        question.span.clone(),
                        format!("the answer key has an answer for `{}`, but the lesson has no such question", question.value),
                    )
                    .with_label("no such question")
                    .with_suggestion(question.value.as_str(), asked.iter().copied()),
                );
            }
        }
    }
}
