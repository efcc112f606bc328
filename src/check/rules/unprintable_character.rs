//! C010: every character a PDF would show is in a font cib embeds.

use std::ops::Range;

use pulldown_cmark::Parser;

use crate::diag::{Code, Diagnostic, Span};
use crate::model::Curriculum;

use super::{Index, references};

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let mut report = |span: Span, ch: char, field: &str| {
        out.push(
            Diagnostic::new(
                Code::UnprintableCharacter,
                span,
                format!(
                    "the character `{ch}` (U+{:04X}){field} is in none of the fonts cib prints with",
                    ch as u32
                ),
            )
            .with_label("cannot be printed")
            .with_hint("replace it with a character of the Latin, Greek or Cyrillic alphabets, or describe it in words"),
        );
    };
    for page in references::pages(c) {
        for text in &page.texts {
            if let Some((range, ch)) = in_markdown(text.markdown) {
                report(text.span(&range), ch, &text.place());
            }
        }
        let Some(fallback) = page.texts.first().map(|t| t.fallback) else {
            continue;
        };
        for (field, text) in &page.plain {
            if let Some(found) = crate::render::unprintable(text) {
                report(
                    fallback.clone(),
                    found.1,
                    &format!(" in the {}'s {field}", page.what),
                );
            }
        }
    }
    for competency in c.competencies() {
        let texts = [&competency.title, &competency.statement.value];
        if let Some(found) = texts.iter().find_map(|t| crate::render::unprintable(t)) {
            report(competency.id.span.clone(), found.1, " in this competency");
        }
    }
    for framework in &c.frameworks {
        for item in &framework.items {
            if let Some(found) = crate::render::unprintable(&item.title) {
                report(item.code.span.clone(), found.1, " in this item's title");
            }
        }
    }
}

/// The first unprintable character of what `markdown` shows, and the range of
/// the text that holds it. Entities and escapes are decoded first: `&#xD06;` is
/// a character like any other.
pub fn in_markdown(markdown: &str) -> Option<(Range<usize>, char)> {
    Parser::new_ext(markdown, crate::render::markdown_options())
        .into_offset_iter()
        .find_map(|(event, range)| {
            let text = crate::render::printed_text(&event)?;
            let (at, c) = crate::render::unprintable(text)?;
            // Point at the character itself when the text is as written (no
            // entity or escape decoded in it).
            Some(match markdown.get(range.clone()) == Some(text) {
                true => (range.start + at..range.start + at + c.len_utf8(), c),
                false => (range, c),
            })
        })
}
