//! The images and links in a lesson's Markdown, for the rules about them (C007,
//! C008) and for the fuzz targets, which skip what those rules refuse.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::diag::Span;
use crate::model::Lesson;

/// One image or link.
pub struct Reference {
    pub image: bool,
    pub dest: String,
    /// An autolinked e-mail address, written without `mailto:`.
    pub email: bool,
    /// The image's alt text (empty for links).
    pub alt: String,
    /// The byte range of the construct in the Markdown text.
    pub range: Range<usize>,
}

/// Every image and link in `markdown`, in order.
pub fn scan(markdown: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut open_image: Option<usize> = None;
    for (event, range) in
        Parser::new_ext(markdown, crate::render::markdown_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if open_image.is_none() => {
                open_image = Some(out.len());
                out.push(Reference {
                    image: true,
                    dest: dest_url.to_string(),
                    email: false,
                    alt: String::new(),
                    range,
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => out.push(Reference {
                image: false,
                dest: dest_url.to_string(),
                email: link_type == LinkType::Email,
                alt: String::new(),
                range,
            }),
            Event::Text(text) | Event::Code(text) => {
                if let Some(at) = open_image {
                    out[at].alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => open_image = None,
            _ => {}
        }
    }
    out
}

/// Where a lesson's Markdown texts are, so findings in them can be placed.
pub struct Text<'l> {
    pub markdown: &'l str,
    /// What the text is, for messages: "lesson text", "objectives", ...
    pub field: &'static str,
    /// Where the text's byte 0 sits in the file, when it is known (the body);
    /// other texts are placed at the lesson's id.
    pub offset: Option<usize>,
}

impl Text<'_> {
    /// Words for a message naming the field a finding is in; empty for the lesson
    /// text, whose span already shows where.
    pub fn place(&self) -> String {
        match self.offset {
            Some(_) => String::new(),
            None => format!(" in its {}", self.field),
        }
    }

    /// Where a construct at `range` of this text is in the lesson's file.
    pub fn span(&self, lesson: &Lesson, range: &Range<usize>) -> Span {
        match self.offset {
            Some(offset) => Span::new(lesson.file, offset + range.start..offset + range.end),
            None => lesson.id.span.clone(),
        }
    }
}

fn field<'l>(field: &'static str, markdown: &'l str) -> Text<'l> {
    Text {
        markdown,
        field,
        offset: None,
    }
}

/// Every text of a lesson that is rendered as Markdown.
pub fn texts(lesson: &Lesson) -> Vec<Text<'_>> {
    let mut out = vec![Text {
        markdown: &lesson.body,
        field: "lesson text",
        offset: Some(lesson.body_offset),
    }];
    out.extend(lesson.objectives.iter().map(|t| field("objectives", t)));
    out.extend(lesson.materials.iter().map(|t| field("materials", t)));
    out.extend(lesson.safety.iter().map(|t| field("safety", t)));
    out.extend(
        lesson
            .questions
            .iter()
            .map(|q| field("questions", &q.prompt)),
    );
    let instructor = &lesson.instructor;
    out.extend(
        instructor
            .notes
            .iter()
            .map(|t| field("instructor notes", t)),
    );
    out.extend(
        instructor
            .procedure
            .iter()
            .map(|s| field("procedure", &s.text)),
    );
    out.extend(
        instructor
            .answer_key
            .iter()
            .map(|(_, a)| field("answer key", a)),
    );
    out
}
