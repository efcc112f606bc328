//! C017 (warning): a lesson's text does not repeat a section its layout
//! already prints.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diag::{Code, Diagnostic, Span};
use crate::model::Curriculum;

use super::Index;

/// The sections the lesson layout makes from front matter, as it titles them.
const GENERATED: [(&str, &str); 9] = [
    ("objectives", "`objectives`"),
    ("safety", "`safety`"),
    ("materials", "`materials`"),
    ("alignment", "`teaches` and the competencies' alignments"),
    ("procedure", "`instructor.procedure`"),
    ("instructor notes", "`instructor.notes`"),
    ("lesson", "the lesson text itself"),
    ("check your understanding", "`questions`"),
    ("answer key", "`instructor.answer_key`"),
];

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        for (title, range) in headings(&lesson.body) {
            let name = title.trim().trim_end_matches(':').trim().to_lowercase();
            let Some((section, source)) = GENERATED.iter().find(|(s, _)| *s == name) else {
                continue;
            };
            // The heading's own line, without the line break that ends it.
            let end = lesson.body[range.clone()]
                .find('\n')
                .map_or(range.end, |at| range.start + at);
            let span = Span::new(
                lesson.file,
                lesson.body_offset + range.start..lesson.body_offset + end,
            );
            out.push(
                Diagnostic::new(
                    Code::RepeatedSection,
                    span,
                    format!("the lesson text has a heading `{title}`, a section the layout already prints"),
                )
                .with_label("printed twice")
                .with_hint(format!(
                    "remove this section; the layout prints \"{}\" from {source}",
                    capitalized(section)
                )),
            );
        }
    }
}

/// The plain text and byte range of every heading in `markdown`.
pub(crate) fn headings(markdown: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut open: Option<(String, std::ops::Range<usize>)> = None;
    for (event, range) in
        Parser::new_ext(markdown, crate::render::markdown_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading { .. }) => open = Some((String::new(), range)),
            Event::End(TagEnd::Heading(_)) => found.extend(open.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some((title, _)) = &mut open {
                    title.push_str(&text);
                }
            }
            _ => {}
        }
    }
    found
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
