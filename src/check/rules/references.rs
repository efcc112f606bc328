//! The images and links in the Markdown of lessons and assessments (and an
//! assessment's prints), for the rules about them (C007–C010) and for the fuzz
//! targets, which skip what those rules refuse.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::diag::{FileId, Span};
use crate::model::{Assessment, Curriculum, Lesson};

/// One image or link.
#[derive(Clone)]
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

/// A lesson or an assessment: a document whose texts are Markdown, printed
/// with the images in its folder.
pub struct Page<'c> {
    /// "lesson" or "assessment", for messages.
    pub what: &'static str,
    /// The file it is written in.
    pub file: crate::diag::FileId,
    /// The folder its images are named from, and the curriculum root, as paths
    /// cib can open.
    pub folder: &'c str,
    pub root: &'c str,
    pub texts: Vec<Text<'c>>,
    /// Short texts printed as they are (titles, features, instruments).
    pub plain: Vec<(&'static str, &'c str)>,
    /// Images named outside Markdown: an assessment's prints.
    pub figures: Vec<Found>,
}

/// An image or link and where it is.
#[derive(Clone)]
pub struct Found {
    pub reference: Reference,
    pub span: Span,
    /// The file name or address alone: what a finding about it underlines, so a
    /// long alt text does not fill the terminal.
    pub dest_span: Span,
    /// Words naming the field it is in (see [`Text::place`]).
    pub place: String,
    /// Named outside Markdown (a print), not written as `![alt](file)`.
    pub figure: bool,
}

impl Page<'_> {
    /// Every image and link of the page: those in its Markdown, then its figures.
    pub fn references(&self) -> Vec<Found> {
        let mut found: Vec<Found> = self
            .texts
            .iter()
            .flat_map(|text| {
                scan(text.markdown).into_iter().map(|reference| {
                    let construct = &text.markdown[reference.range.clone()];
                    let dest = match construct.rfind(reference.dest.as_str()) {
                        Some(at) if !reference.dest.is_empty() => {
                            let start = reference.range.start + at;
                            start..start + reference.dest.len()
                        }
                        _ => reference.range.clone(),
                    };
                    Found {
                        span: text.span(&reference.range),
                        dest_span: text.span(&dest),
                        place: text.place(),
                        figure: false,
                        reference,
                    }
                })
            })
            .collect();
        found.extend(self.figures.iter().cloned());
        found
    }
}

/// Where one Markdown text of a page is, so findings in it can be placed.
pub struct Text<'l> {
    pub markdown: &'l str,
    /// What the text is, for messages: "lesson text", "objectives", ...
    pub field: &'static str,
    /// Where the text's byte 0 sits in the file, when it is known (the body);
    /// other texts are placed at `fallback`.
    pub offset: Option<usize>,
    pub file: FileId,
    /// The page's id, where a finding in a front-matter text is shown when
    /// the text's own place is not known.
    pub fallback: &'l Span,
    /// The front-matter value the text is, when known.
    pub value: Option<&'l Span>,
}

impl Text<'_> {
    /// Words for a message naming the field a finding is in; empty for the body,
    /// whose span already shows where.
    pub fn place(&self) -> String {
        match self.offset {
            Some(_) => String::new(),
            None => format!(" in its {}", self.field),
        }
    }

    /// Where a construct at `range` of this text is in the page's file: in the
    /// body exactly, in front matter the value that holds it.
    pub fn span(&self, range: &Range<usize>) -> Span {
        match self.offset {
            Some(offset) => Span::new(self.file, offset + range.start..offset + range.end),
            None => self.value.unwrap_or(self.fallback).clone(),
        }
    }
}

impl Page<'_> {
    /// The file an image path names: below the page's folder, or below the
    /// curriculum root for a shared image (`/assets/…`).
    pub fn file(&self, dest: &str) -> std::path::PathBuf {
        match dest.strip_prefix('/') {
            Some(shared) => std::path::Path::new(self.root).join(shared),
            None => std::path::Path::new(self.folder).join(dest),
        }
    }
}

/// Every lesson and assessment, lessons first.
pub fn pages(c: &Curriculum) -> Vec<Page<'_>> {
    let mut pages: Vec<Page> = c.lessons.iter().map(lesson).collect();
    pages.extend(c.assessments.iter().map(assessment));
    pages
}

fn lesson<'l>(lesson: &'l Lesson) -> Page<'l> {
    let field = |field: &'static str, pointer: String, markdown| Text {
        markdown,
        field,
        offset: None,
        file: lesson.file,
        fallback: &lesson.id.span,
        value: lesson.text_spans.get(&pointer),
    };
    let list = |name: &'static str, key: &str, items: &'l [String]| {
        items
            .iter()
            .enumerate()
            .map(move |(i, t)| field(name, format!("/{key}/{i}"), t.as_str()))
            .collect::<Vec<_>>()
    };
    let mut texts = vec![Text {
        offset: Some(lesson.body_offset),
        ..field("lesson text", String::new(), &lesson.body)
    }];
    texts.extend(list("objectives", "objectives", &lesson.objectives));
    texts.extend(list("materials", "materials", &lesson.materials));
    texts.extend(list("safety", "safety", &lesson.safety));
    texts.extend(
        lesson
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| field("questions", format!("/questions/{i}/prompt"), &q.prompt)),
    );
    let instructor = &lesson.instructor;
    texts.extend(
        instructor
            .notes
            .iter()
            .map(|t| field("instructor notes", "/instructor/notes".to_owned(), t)),
    );
    texts.extend(list(
        "instructor materials",
        "instructor/materials",
        &instructor.materials,
    ));
    texts.extend(list(
        "instructor safety notes",
        "instructor/safety",
        &instructor.safety,
    ));
    texts.extend(instructor.procedure.iter().enumerate().map(|(i, s)| {
        field(
            "procedure",
            format!("/instructor/procedure/{i}/step"),
            &s.text,
        )
    }));
    texts.extend(instructor.answer_key.iter().map(|(q, a)| {
        field(
            "answer key",
            format!("/instructor/answer_key/{}", q.value),
            a,
        )
    }));
    Page {
        what: "lesson",
        file: lesson.file,
        folder: &lesson.folder,
        root: &lesson.root,
        texts,
        plain: vec![("title", &lesson.title)],
        figures: Vec::new(),
    }
}

fn assessment(a: &Assessment) -> Page<'_> {
    let field = |field: &'static str, markdown| Text {
        markdown,
        field,
        offset: None,
        file: a.file,
        fallback: &a.id.span,
        value: None,
    };
    let mut texts = vec![Text {
        offset: Some(a.body_offset),
        ..field("task", &a.body)
    }];
    texts.extend(a.materials.iter().map(|t| field("materials", t)));
    texts.extend(a.safety.iter().map(|t| field("safety", t)));
    texts.extend(a.signoff.iter().map(|t| field("sign-off", t)));
    texts.extend(a.schedule.iter().map(|s| field("schedule", &s.text)));
    let criteria = &a.rubric.criteria;
    texts.extend(
        criteria
            .iter()
            .flat_map(|k| &k.descriptors)
            .map(|(_, d)| field("rubric", d)),
    );
    texts.extend(
        a.rubric
            .passing
            .text
            .iter()
            .map(|t| field("passing standard", t)),
    );
    let instructor = &a.instructor;
    texts.extend(instructor.setup.iter().map(|t| field("setup notes", t)));
    texts.extend(instructor.notes.iter().map(|t| field("scoring notes", t)));
    texts.extend(
        instructor
            .scoring
            .iter()
            .map(|(_, t)| field("scoring notes", t)),
    );
    texts.extend(
        instructor
            .model_answers
            .iter()
            .map(|t| field("model answers", t)),
    );
    let mut plain: Vec<(&str, &str)> = vec![("title", &a.title)];
    plain.extend(
        a.schedule
            .iter()
            .filter_map(|s| s.machine.as_deref())
            .map(|m| ("schedule", m)),
    );
    for print in &a.prints {
        plain.push(("prints", &print.alt));
        plain.extend(print.title.iter().map(|t| ("prints", t.as_str())));
    }
    for k in criteria {
        plain.push(("rubric", &k.title));
        for m in &k.measured {
            plain.push(("inspection rows", &m.feature));
            plain.push(("inspection rows", &m.instrument));
            plain.extend(m.unit.iter().map(|u| ("inspection rows", u.as_str())));
        }
    }
    let figures = a
        .prints
        .iter()
        .map(|print| Found {
            reference: Reference {
                image: true,
                dest: print.src.value.clone(),
                email: false,
                alt: print.alt.clone(),
                range: 0..0,
            },
            span: print.src.span.clone(),
            dest_span: print.src.span.clone(),
            place: " in its prints".to_owned(),
            figure: true,
        })
        .collect();
    Page {
        what: "assessment",
        file: a.file,
        folder: &a.folder,
        root: &a.root,
        texts,
        plain,
        figures,
    }
}
