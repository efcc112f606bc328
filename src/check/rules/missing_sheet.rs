//! C018 (warning): what a student reads names no sheet or card that the
//! build never makes.
//!
//! Class paperwork is recognised by its words: a "recording sheet", a "task
//! card", a "worksheet". Such a thing exists when cib prints it (the lesson's
//! question sheet, an assessment's task and score sheets) or when the lesson
//! holds it as a section, under a heading that names it. A real-world document
//! (a Safety Data Sheet, the machine's setup sheet) is named with other words
//! and is never reported.

use pulldown_cmark::{Event, Parser};

use crate::diag::{Code, Diagnostic};
use crate::model::{Curriculum, Lesson};

use super::references::{self, Text};
use super::{Index, repeated_section};

/// Words before "sheet" or "card" that make it class paperwork.
const PAPERWORK: [&str; 17] = [
    "question",
    "answer",
    "recording",
    "record",
    "task",
    "score",
    "practice",
    "lab",
    "station",
    "tally",
    "log",
    "planning",
    "proving",
    "activity",
    "scenario",
    "exit",
    "step",
];
/// The fields of a lesson a student reads.
const STUDENT_FIELDS: [&str; 5] = [
    "lesson text",
    "objectives",
    "materials",
    "safety",
    "questions",
];

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let pages = references::pages(c);
    for (lesson, page) in c.lessons.iter().zip(&pages) {
        let sections: Vec<String> = repeated_section::headings(&lesson.body)
            .into_iter()
            .map(|(title, _)| title.to_lowercase())
            .collect();
        for text in page
            .texts
            .iter()
            .filter(|t| STUDENT_FIELDS.contains(&t.field))
        {
            for (name, range) in named_paperwork(text) {
                if exists(c, lesson, &sections, &name) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Code::MissingSheet,
                        text.span(&range),
                        format!(
                            "students are sent to the \"{name}\"{}, which the build does not make",
                            text.place()
                        ),
                    )
                    .with_label("no such sheet")
                    .with_hint(
                        "point to what exists (a table or section of this lesson, its question sheet, an assessment's task sheet), give the lesson a section headed with this name, or move the text to `instructor.notes`",
                    ),
                );
            }
        }
    }
}

/// Whether the thing `name` ("recording sheet") is printed for this lesson.
fn exists(c: &Curriculum, lesson: &Lesson, sections: &[String], name: &str) -> bool {
    let singular = name.trim_end_matches('s');
    match singular {
        "question sheet" => !lesson.questions.is_empty(),
        "task sheet" | "score sheet" => c.assessments.iter().any(|a| {
            a.demonstrates
                .iter()
                .any(|d| lesson.teaches.iter().any(|t| t.value == d.value))
        }),
        _ => sections.iter().any(|s| s.contains(singular)),
    }
}

/// The class paperwork a text names, lower-cased, with where each name is in
/// the text. Only names written in one run of text are found.
fn named_paperwork(text: &Text) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    for (event, range) in
        Parser::new_ext(text.markdown, crate::render::markdown_options()).into_offset_iter()
    {
        let Event::Text(run) = event else { continue };
        // Point at the words when the run is as written (no entity decoded).
        let written = text.markdown.get(range.clone()) == Some(&*run);
        let words = words(&run);
        for (i, (word, at)) in words.iter().enumerate() {
            let place = |end: usize| match written {
                true => range.start + at.start..range.start + end,
                false => range.clone(),
            };
            if matches!(word.as_str(), "worksheet" | "worksheets") {
                found.push((word.clone(), place(at.end)));
            }
            let Some((next, next_at)) = words.get(i + 1) else {
                continue;
            };
            let adjacent = run[at.end..next_at.start].chars().all(char::is_whitespace);
            if adjacent
                && PAPERWORK.contains(&word.as_str())
                && matches!(next.as_str(), "sheet" | "sheets" | "card" | "cards")
            {
                found.push((format!("{word} {next}"), place(next_at.end)));
            }
        }
    }
    found
}

/// The lower-cased words of `text` (runs of letters) and their byte ranges.
fn words(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, ch) in text.char_indices().chain([(text.len(), ' ')]) {
        match (ch.is_alphabetic(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                out.push((text[from..at].to_lowercase(), from..at));
                start = None;
            }
            _ => {}
        }
    }
    out
}
